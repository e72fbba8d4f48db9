/**
 * The token list's column heads. The columns the store can sort on an index (Issued: when a token entered the
 * history; Expires) are buttons in their head, which carries aria-sort; the store does the sorting (ListSort).
 */
import type { ListSort } from '../../../../shared/model.ts';
import { LIST_SORT_WORDS } from '../../../../shared/model.ts';

interface SortableHead {
  readonly label: string;
  readonly className: string;
  readonly ascending: ListSort;
  readonly descending: ListSort;
  /** The first click's sort. */
  readonly first: ListSort;
  readonly title: string;
}

const ISSUED: SortableHead = {
  label: 'Issued',
  className: 'issued',
  ascending: 'received',
  descending: '-received',
  first: '-received',
  title: 'Sort by when each token entered the history',
};

const EXPIRES: SortableHead = {
  label: 'Expires',
  className: 'expires',
  ascending: 'expires',
  descending: '-expires',
  first: 'expires',
  title: 'Sort by expiry time (tokens with no expiry known come last)',
};

function SortHead({ head, sort, onSort }: { head: SortableHead; sort: ListSort; onSort: (sort: ListSort) => void }) {
  const state = sort === head.ascending ? 'ascending' : sort === head.descending ? 'descending' : 'none';
  const next = state === 'none' ? head.first : state === 'ascending' ? head.descending : head.ascending;
  return (
    <th className={`cell ${head.className}`} aria-sort={state} scope="col">
      <button
        type="button"
        className={`sort-head ${state === 'none' ? '' : 'sorted'}`}
        onClick={() => onSort(next)}
        title={`${head.title}: now ${state === 'none' ? 'not sorted by this column' : LIST_SORT_WORDS[sort]}`}
        data-testid={`sort-${head.className}`}
      >
        {head.label}
        <span className="sort-mark" aria-hidden="true">
          {state === 'ascending' ? ' ↑' : state === 'descending' ? ' ↓' : ' ↕'}
        </span>
      </button>
    </th>
  );
}

export function TokenListHeader({ sort, onSort }: { sort: ListSort; onSort: (sort: ListSort) => void }) {
  return (
    <table className="token-head" aria-label={`Token list columns, sorted ${LIST_SORT_WORDS[sort]}`}>
      <thead>
        <tr className="token-row header">
          <th className="cell kind" scope="col">
            Kind
          </th>
          <th className="cell issuer" scope="col">
            Issuer / profile
          </th>
          <th className="cell subject" scope="col">
            Subject
          </th>
          <th className="cell scopes" scope="col">
            Scopes
          </th>
          <SortHead head={ISSUED} sort={sort} onSort={onSort} />
          <SortHead head={EXPIRES} sort={sort} onSort={onSort} />
          <th className="cell status" scope="col">
            Status
          </th>
        </tr>
      </thead>
    </table>
  );
}

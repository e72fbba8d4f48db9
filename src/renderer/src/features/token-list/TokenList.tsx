/** The token history: search, status filters with counts, a virtualized list, and the way in for a new user. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  countText,
  LIST_SORT_WORDS,
  TOKEN_STATUSES,
  type ListSort,
  type ListTokensQuery,
  type TokenStatus,
} from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { GrantGroups, GroupByGrantToggle } from './GrantGroups.tsx';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { navigate } from '../../ui/route.ts';
import { useResult } from '../../ui/use-result.ts';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { ImportDialog } from '../export/ImportDialog.tsx';
import { DemoLoginButton } from '../flows/DemoLoginButton.tsx';
import { TokenListHeader } from './TokenListHeader.tsx';
import { TokenRows } from './TokenRows.tsx';
import { useTokenPages, type PageSource } from './use-token-pages.ts';

type Filter = 'all' | TokenStatus | 'expiring';
const FILTERS: readonly { id: Filter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'expiring', label: 'Expiring soon' },
  ...TOKEN_STATUSES.filter((s) => s !== 'active').map((s) => ({ id: s, label: `${s.slice(0, 1).toUpperCase()}${s.slice(1)}` })),
];

/** Active tokens expiring within five minutes: the store's counts with that filter, status aside. */
function useExpiringCount(text: string, revision: unknown): string | undefined {
  const [n, setN] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void api.listTokens({ limit: 1, expiringWithinMinutes: 5, ...(text ? { text } : {}) }).then((r) => {
      const counts = r.ok ? r.value.counts : undefined;
      if (live && counts) setN(countText(counts.active, counts));
    });
    return () => {
      live = false;
    };
  }, [text, revision]);
  return n;
}

const listSource: PageSource = (q) => api.listTokens(q);

export function TokenList({ source = listSource }: { source?: PageSource }) {
  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<ListSort>('-received');
  const [active, setActive] = useState(-1);
  const [dialog, setDialog] = useState<'export' | 'import' | null>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 200);
    return () => clearTimeout(t);
  }, [text]);

  const query = useMemo<ListTokensQuery>(() => {
    const q: { -readonly [K in keyof ListTokensQuery]: ListTokensQuery[K] } = {};
    if (debounced) q.text = debounced;
    if (sort !== '-received') q.sort = sort;
    if (filter === 'expiring') {
      q.status = 'active';
      q.expiringWithinMinutes = 5;
    } else if (filter !== 'all') q.status = filter;
    return q;
  }, [debounced, filter, sort]);

  const pages = useTokenPages(source, query);
  const counts = pages.counts;
  const [profiles] = useResult(() => api.listProfiles(), []);
  const profileNames = useMemo(
    () => new Map(profiles.state === 'ok' ? profiles.value.map((p) => [p.id, p.name] as const) : []),
    [profiles],
  );
  const expiringCount = useExpiringCount(debounced, counts);
  const { reload } = pages;

  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'tokens-changed') {
          reload();
        }
      }),
    [reload],
  );

  useEffect(() => {
    // "/" jumps to the search box from anywhere on this screen.
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      e.preventDefault();
      search.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const open = useCallback((id: string) => navigate({ screen: 'token', id }), []);
  const empty = pages.settled && !pages.error && pages.items.length === 0;
  const filtered = debounced !== '' || filter !== 'all';
  const [grouped, setGrouped] = useState(false);

  return (
    <section className="tokens-screen" aria-labelledby="tokens-title">
      <div className="screen-head">
        <h2 id="tokens-title">Token history</h2>
        <div className="toolbar">
          <GroupByGrantToggle grouped={grouped} onChange={setGrouped} />
          <button type="button" className="btn" onClick={() => setDialog('import')}>
            Import…
          </button>
          <button type="button" className="btn" onClick={() => setDialog('export')}>
            Export…
          </button>
        </div>
      </div>
      <div className="filters">
        <label className="search">
          <span className="visually-hidden">Search tokens</span>
          <input
            ref={search}
            type="search"
            className="input"
            placeholder="Search ( / ): profile, subject, claims…"
            title="Search profile names, issuers, subjects, clients, scopes, claim names and values, previews (shortcut: /)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                document.querySelector<HTMLElement>('[data-testid="token-rows"]')?.focus();
              }
            }}
            aria-keyshortcuts="/"
          />
        </label>
        <div className="chips" role="group" aria-label="Filter by status">
          {FILTERS.map((f) => {
            const n =
              f.id === 'expiring' ? expiringCount : counts && countText(f.id === 'all' ? counts.total : counts[f.id], counts);
            return (
              <button
                key={f.id}
                type="button"
                className={`filter-chip ${filter === f.id ? 'on' : ''}`}
                aria-pressed={filter === f.id}
                onClick={() => setFilter(f.id)}
                data-testid={`filter-${f.id}`}
              >
                {f.label}
                {n !== undefined && <span className="count">{n}</span>}
              </button>
            );
          })}
        </div>
      </div>
      {pages.error && <ErrorBanner error={pages.error} />}
      {!pages.settled && (
        <p className="muted" aria-busy="true">
          Loading history…
        </p>
      )}
      {empty && !filtered && <EmptyHistory />}
      {empty && filtered && <p className="muted empty-filter">No token matches this search or filter.</p>}
      {grouped && <GrantGroups />}
      {!grouped && pages.items.length > 0 && (
        <div className="token-table-v">
          <TokenListHeader sort={sort} onSort={setSort} />
          <TokenRows
            items={pages.items}
            hasMore={pages.hasMore}
            loadingMore={pages.loading}
            onNeedMore={pages.loadMore}
            activeIndex={active}
            onActiveChange={setActive}
            onOpen={(t) => open(t.id)}
            label={`Tokens, ${LIST_SORT_WORDS[sort]}. Arrow keys move, Enter opens.`}
            profileNames={profileNames}
          />
        </div>
      )}
      {dialog === 'export' && <ExportDialog onClose={() => setDialog(null)} />}
      {dialog === 'import' && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onImported={() => {
            reload();
          }}
        />
      )}
    </section>
  );
}

function EmptyHistory() {
  return (
    <div className="empty-state" data-testid="empty-history">
      <h2>No tokens yet</h2>
      <p>Tokenscope keeps every token it sees, decodes it and counts down its expiry. Start with one of these:</p>
      <div className="empty-actions">
        <div className="empty-card">
          <h3>Get a token from the demo issuer</h3>
          <p className="muted">
            A local OpenID Connect server runs inside Tokenscope. Log in as the demo user in your browser and the tokens land
            here.
          </p>
          <DemoLoginButton />
        </div>
        <div className="empty-card">
          <h3>Paste a token to inspect</h3>
          <p className="muted">
            A JWT, an opaque token, an Authorization header, a redirect URL or a token response. Or just press Ctrl+V anywhere.
          </p>
          <button type="button" className="btn" onClick={() => navigate({ screen: 'inspect' })}>
            Paste a token to inspect
          </button>
        </div>
      </div>
    </div>
  );
}

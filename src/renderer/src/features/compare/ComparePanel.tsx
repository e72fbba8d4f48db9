/** The concept × format table for one token (columns can be hidden), and the diff of two tokens. */
import { useMemo, useState } from 'react';
import { compare, diff, getFormatSpec } from '../../../../shared/formats/index.ts';
import type { CanonicalRecord, ComparisonCell, ComparisonTable, FormatId, TokenDiff } from '../../../../shared/formats/types.ts';
import type { GrantDetail, TokenDetail } from '../../../../shared/model.ts';
import type { Result } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { navigate, routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { asText } from '../../ui/value.ts';
import { TableHead } from '../../ui/TableHead.tsx';
import { SelectField } from '../../ui/FormFields.tsx';

interface Loaded {
  readonly detail: TokenDetail;
  readonly grant: GrantDetail | null;
  readonly record: CanonicalRecord;
  /** The token itself, then the other tokens of its token response the record pairs it with. */
  readonly tokenIds: readonly string[];
}

/** The token, its grant and its canonical record: the back end's, the one Export writes (values masked). */
async function loadRecord(id: string): Promise<Result<Loaded>> {
  const d = await api.getToken(id);
  if (!d.ok) return d;
  const c = await api.canonicalRecord({ tokenId: id });
  if (!c.ok) return c;
  let grant: GrantDetail | null = null;
  if (d.value.summary.grantId) {
    const g = await api.getGrant(d.value.summary.grantId);
    if (g.ok) grant = g.value;
  }
  return { ok: true, value: { detail: d.value, grant, record: c.value.record, tokenIds: c.value.tokenIds } };
}

const SHORT: Readonly<Record<FormatId, string>> = {
  'rfc6749.TokenResponse': 'RFC 6749',
  'serendip.TokenModel': 'Serendip',
  'affinidi.ConsumerAuthTokenEndpointOutput': 'Affinidi (TS)',
  'affinidi.OAuth2Token': 'Affinidi (Python)',
  'gusto.RefreshTokenAuthentication': 'Gusto',
  'authlete.AccessToken': 'Authlete',
};

const FLAG_TEXT: Readonly<Record<string, string>> = {
  MISSING_REQUIRED: 'required but missing',
  DOC_TYPE_MISMATCH: 'documented type differs from real values',
  UNIT_SUSPECT: 'unit looks wrong',
  NOT_REPRESENTABLE: 'this format cannot hold it',
  INVALID_VALUE: 'value not allowed here',
};

export function ComparePanel({ id, other }: { id?: string | undefined; other?: string | undefined }) {
  if (!id) return <PickToken />;
  return <CompareToken key={`${id}/${other ?? ''}`} id={id} other={other} />;
}

function PickToken() {
  const [page] = useResult(() => api.listTokens({ limit: 30 }), []);
  return (
    <section className="panel wide" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare across formats</h2>
      <p>
        Pick a token: Tokenscope shows how each of the six documented token formats would hold it, field by field, in that
        format's units.
      </p>
      {page.state === 'error' && <ErrorBanner error={page.error} />}
      {page.state === 'ok' && page.value.items.length === 0 && <p className="muted">No tokens in the history yet.</p>}
      {page.state === 'ok' && (
        <ul className="pick-list">
          {page.value.items.map((t) => (
            <li key={t.id}>
              <a href={routeHref({ screen: 'compare', id: t.id })}>
                {t.kind.replace('_', ' ')} · <SafeText text={t.subject ?? t.clientId ?? t.preview} /> · {t.status}
              </a>
              <span className="muted small"> {formatLocal(t.createdAtMs)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CompareToken({ id, other }: { id: string; other?: string | undefined }) {
  const [loaded] = useResult(() => loadRecord(id), [id]);
  const [otherLoaded] = useResult(
    () => (other ? loadRecord(other) : Promise.resolve({ ok: true as const, value: null })),
    [other],
  );
  const table = useMemo<ComparisonTable | null>(() => {
    if (loaded.state !== 'ok') return null;
    try {
      return compare(loaded.value.record);
    } catch {
      return null;
    }
  }, [loaded]);

  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'error') return <ErrorBanner error={loaded.error} />;
  const { detail, grant, tokenIds } = loaded.value;
  const paired = tokenIds.map((t) => (t === id ? detail.summary.kind : (grant?.tokens.find((s) => s.id === t)?.kind ?? 'token')));
  const candidates = (grant?.tokens ?? []).filter((t) => t.id !== id && t.kind === detail.summary.kind);

  return (
    <section className="compare-screen" aria-labelledby="compare-title">
      <p className="back">
        <a href={routeHref({ screen: 'token', id })}>← Token detail</a>
      </p>
      <h2 id="compare-title">{detail.summary.kind.replace('_', ' ')} across the six documented formats</h2>
      <p className="muted">
        Each cell: the field's name in that format, its documented type and unit, whether it is required, and this token's value
        converted to that unit. Token values are shown masked.
      </p>
      {tokenIds.length > 1 && (
        <p className="muted small" data-testid="compare-paired" data-token-ids={tokenIds.join(' ')}>
          From one token response, as Export writes it: {paired.map((k) => k.replace('_', ' ')).join(' · ')}
        </p>
      )}
      {table && <CompareTable table={table} />}
      <DiffSection
        id={id}
        other={other}
        candidates={candidates.map((c) => ({ id: c.id, label: `${c.status} · ${c.preview} · ${formatLocal(c.createdAtMs)}` }))}
        a={loaded.value.record}
        b={otherLoaded.state === 'ok' && otherLoaded.value ? otherLoaded.value.record : null}
      />
    </section>
  );
}

/** The concept × format table with columns that can be hidden (also used by Inspect for pasted tokens). */
export function CompareTable({ table }: { table: ComparisonTable }) {
  const [hidden, setHidden] = useState<ReadonlySet<FormatId>>(new Set());
  const formats = table.formats.filter((f) => !hidden.has(f));
  return (
    <>
      <fieldset className="column-toggles">
        <legend className="label">Columns</legend>
        {table.formats.map((f) => (
          <label key={f} className="checkbox inline">
            <input
              type="checkbox"
              checked={!hidden.has(f)}
              onChange={(e) => {
                const next = new Set(hidden);
                if (e.target.checked) next.delete(f);
                else next.add(f);
                setHidden(next);
              }}
            />{' '}
            {SHORT[f]}
          </label>
        ))}
      </fieldset>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Comparison table">
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">Concept</th>
              <th scope="col">Tokenscope value</th>
              {formats.map((f) => (
                <th key={f} scope="col" data-format={f}>
                  <span className="format-short">{SHORT[f]}</span>
                  <span className="format-id mono">{f}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.concept} data-concept={row.concept}>
                <th scope="row">{row.label}</th>
                <td className="canonical mono">
                  {row.canonical === undefined ? (
                    <span className="muted">—</span>
                  ) : (
                    <CanonicalValue concept={row.concept} value={row.canonical} />
                  )}
                </td>
                {row.cells
                  .filter((c) => !hidden.has(c.format))
                  .map((c) => (
                    <Cell key={c.format} cell={{ ...c, concept: row.concept }} />
                  ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CanonicalValue({ concept, value }: { concept: string; value: unknown }) {
  if (typeof value === 'number' && concept.endsWith('AtMs')) {
    return (
      <>
        {value} <span className="muted small">ms · {formatLocal(value)}</span>
      </>
    );
  }
  if (typeof value === 'number' && concept.endsWith('InS')) return <>{value} s</>;
  return <SafeText text={Array.isArray(value) ? value.join(' ') : asText(value)} />;
}

function Cell({ cell }: { cell: ComparisonCell & { concept?: string } }) {
  if (!cell.representable) {
    return (
      <td className="cell-na" data-format={cell.format}>
        <span className="muted">no field</span>{' '}
        {cell.flags.includes('NOT_REPRESENTABLE') && (
          <span className="flag info" title="This format has no field for the value this token has">
            value lost here
          </span>
        )}
      </td>
    );
  }
  let meaning: string | undefined;
  try {
    meaning = getFormatSpec(cell.format).fields.find((f) => f.name === cell.field)?.meaning;
  } catch {
    meaning = undefined;
  }
  return (
    <td data-format={cell.format} data-field={cell.field} className={cell.flags.length ? 'cell-flagged' : ''}>
      <span className="cell-field mono" title={meaning}>
        {cell.field}
      </span>
      {cell.sdkField && <span className="muted small mono"> / {cell.sdkField}</span>}
      <span className="cell-meta small muted">
        {cell.documentedType} · {cell.unit} · {cell.required ? 'required' : 'optional'}
      </span>
      {cell.value !== undefined && (
        <span className="cell-value mono" data-testid="cell-value">
          <SafeText text={Array.isArray(cell.value) ? JSON.stringify(cell.value) : asText(cell.value)} />
        </span>
      )}
      {cell.flags.map((f) => (
        <span
          key={f}
          className={`flag ${f === 'MISSING_REQUIRED' || f === 'INVALID_VALUE' ? 'danger' : 'warn'}`}
          title={FLAG_TEXT[f]}
        >
          {f}
        </span>
      ))}
      {meaning && (cell.flags.length > 0 || cell.unit === 'numeric-id' || /Hash$/.test(cell.concept ?? '')) && (
        <span className="cell-meaning small muted">{meaning}</span>
      )}
    </td>
  );
}

function DiffSection({
  id,
  other,
  candidates,
  a,
  b,
}: {
  id: string;
  other?: string | undefined;
  candidates: readonly { id: string; label: string }[];
  a: CanonicalRecord;
  b: CanonicalRecord | null;
}) {
  const result = useMemo<TokenDiff | null>(() => {
    if (!b) return null;
    try {
      return diff(b, a);
    } catch {
      return null;
    }
  }, [a, b]);
  return (
    <div className="card diff-card">
      <h3>Compare with another token</h3>
      <SelectField
        label="Earlier token of the same grant (before a refresh, for example)"
        value={other ?? ''}
        onChange={(choice) => navigate({ screen: 'compare', id, ...(choice ? { other: choice } : {}) })}
        options={[['', '— choose —'] as const, ...candidates.map((c) => [c.id, c.label] as const)]}
      />
      {candidates.length === 0 && !other && (
        <p className="muted small">No other token of this kind in the grant yet: refresh to get one.</p>
      )}
      {result && (
        <table className="simple-table diff-table" data-testid="diff-table">
          <TableHead columns={['Concept', 'Change', 'Before', 'After']} />
          <tbody>
            {result.entries.map((e) => (
              <tr key={e.concept} data-concept={e.concept} data-change={e.change}>
                <th scope="row">{e.concept}</th>
                <td>
                  <span className={`change change-${e.change}`}>{e.change}</span> <SafeText text={e.summary} />
                </td>
                <td className="mono small">
                  {e.before === undefined ? '—' : <CanonicalValue concept={e.concept} value={e.before} />}
                </td>
                <td className="mono small">
                  {e.after === undefined ? '—' : <CanonicalValue concept={e.concept} value={e.after} />}
                </td>
              </tr>
            ))}
            {result.entries.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No differences.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {result && result.unchanged.length > 0 && <p className="muted small">Unchanged: {result.unchanged.join(', ')}</p>}
    </div>
  );
}

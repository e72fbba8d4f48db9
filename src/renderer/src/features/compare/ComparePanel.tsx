/**
 * The concept × format table for one history token, from the back end's canonical record of its own issuance (the
 * record Export writes), with a legend and a per-format summary; and the diff against another token of its grant.
 */
import { useState } from 'react';
import { getFormatSpec } from '../../../../shared/formats/index.ts';
import type { ComparisonCell, ComparisonTable, FormatId } from '../../../../shared/formats/types.ts';
import type { TokenCanonicalRecord } from '../../../../shared/api.ts';
import type { GrantLineage } from '../../../../shared/issuance.ts';
import type { TokenDetail } from '../../../../shared/model.ts';
import type { Result } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { asText } from '../../ui/value.ts';
import { CanonicalValue } from './CanonicalValue.tsx';
import { CompareDiff } from './CompareDiff.tsx';
import { CompareLegend, FormatSummaries } from './CompareLegend.tsx';
import { ComparePicker } from './ComparePicker.tsx';

interface Loaded {
  readonly detail: TokenDetail;
  readonly canonical: TokenCanonicalRecord;
  readonly lineage: GrantLineage | null;
}

/** The token, its canonical record (with its issuance, table and summaries) and its grant's lineage: all the back end's. */
async function loadRecord(id: string): Promise<Result<Loaded>> {
  const d = await api.getToken(id);
  if (!d.ok) return d;
  const c = await api.canonicalRecord({ tokenId: id });
  if (!c.ok) return c;
  let lineage: GrantLineage | null = null;
  if (d.value.summary.grantId) {
    const g = await api.grantLineage({ grantId: d.value.summary.grantId });
    if (g.ok) lineage = g.value;
  }
  return { ok: true, value: { detail: d.value, canonical: c.value, lineage } };
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

const KIND: Readonly<Record<string, string>> = {
  access_token: 'access token',
  refresh_token: 'refresh token',
  id_token: 'ID token',
  unknown: 'token',
};

export function ComparePanel({ id, other }: { id?: string | undefined; other?: string | undefined }) {
  if (!id) return <ComparePicker />;
  return <CompareToken key={id} id={id} other={other} />;
}

function CompareToken({ id, other }: { id: string; other?: string | undefined }) {
  const [loaded] = useResult(() => loadRecord(id), [id]);
  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'error') return <ErrorBanner error={loaded.error} />;
  const { detail, canonical, lineage } = loaded.value;
  const kindOf = (t: string): string =>
    t === id
      ? detail.summary.kind
      : (lineage?.issuances.flatMap((i) => i.tokens).find((s) => s.id === t)?.kind ??
        canonical.issuance?.tokens.find((s) => s.id === t)?.kind ??
        'unknown');
  const { issuance } = canonical;
  return (
    <section className="compare-screen" aria-labelledby="compare-title">
      <p className="back">
        <a href={routeHref({ screen: 'token', id })}>← Token detail</a> ·{' '}
        <a href={routeHref({ screen: 'compare' })}>pick another token</a>
      </p>
      <h2 id="compare-title">{KIND[detail.summary.kind] ?? 'token'} across the six documented formats</h2>
      <p
        className="compare-issuance"
        data-testid="compare-paired"
        data-token-ids={canonical.tokenIds.join(' ')}
        data-token-kinds={canonical.tokenIds.map(kindOf).join(' ')}
        data-issuance={canonical.issuanceText}
      >
        {issuance ? (
          <>
            From the <strong>{issuance.label}</strong> response of {formatLocal(issuance.receivedAtMs)}, as Export writes it:{' '}
          </>
        ) : (
          <>
            <strong>{canonical.issuanceText}</strong>: this token is shown alone:{' '}
          </>
        )}
        {canonical.tokenIds.map((t, i) => (
          <span key={t}>
            {i > 0 ? ' · ' : ''}
            {t === id ? (
              <strong>{KIND[kindOf(t)] ?? 'token'}</strong>
            ) : (
              <a href={routeHref({ screen: 'token', id: t })}>{KIND[kindOf(t)] ?? 'token'}</a>
            )}
          </span>
        ))}
      </p>
      <p className="muted small">
        Each cell: the field's name in that format, its documented type and unit, whether it is required, and this token's value
        converted to that unit. Token values are shown masked.
      </p>
      <FormatSummaries formats={canonical.formats} />
      <CompareTable table={canonical.comparison} />
      <CompareDiff id={id} kind={detail.summary.kind} other={other} lineage={lineage} />
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
      <div className="table-scroll compare-scroll" tabIndex={0} role="region" aria-label="Comparison table">
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
      <CompareLegend />
    </>
  );
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

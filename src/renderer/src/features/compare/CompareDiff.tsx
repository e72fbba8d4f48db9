/**
 * Compare with another token of the same grant: the back end's diff of the two canonical records (each with its own
 * issuance), so Compare says what `tokenscope diff` says. The candidates are named by their issuance ("refresh 1").
 */
import type { DiffEntry } from '../../../../shared/formats/types.ts';
import type { GrantLineage } from '../../../../shared/issuance.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { SelectField } from '../../ui/FormFields.tsx';
import { navigate } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { TableHead } from '../../ui/TableHead.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { CanonicalValue } from './CanonicalValue.tsx';

/** The grant's other tokens of this kind, each named by the response it came in. */
function candidatesOf(lineage: GrantLineage | null, id: string, kind: string): { id: string; label: string }[] {
  if (!lineage) return [];
  return lineage.issuances.flatMap((i) =>
    i.tokens
      .filter((t) => t.kind === kind && t.id !== id)
      .map((t) => ({ id: t.id, label: `${i.label} · ${formatLocal(i.receivedAtMs)} · ${t.status} · ${t.preview}` })),
  );
}

export function CompareDiff({
  id,
  kind,
  other,
  lineage,
}: {
  id: string;
  kind: string;
  other?: string | undefined;
  lineage: GrantLineage | null;
}) {
  const candidates = candidatesOf(lineage, id, kind);
  const [result] = useResult(
    () => (other ? api.diffHistoryTokens({ a: other, b: id }) : Promise.resolve({ ok: true as const, value: null })),
    [id, other],
  );
  return (
    <div className="card diff-card">
      <h3>Compare with another token</h3>
      <SelectField
        label="Another token of the same grant (before a refresh, for example)"
        value={other ?? ''}
        onChange={(choice) => navigate({ screen: 'compare', id, ...(choice ? { other: choice } : {}) })}
        options={[['', '— choose —'] as const, ...candidates.map((c) => [c.id, c.label] as const)]}
      />
      {candidates.length === 0 && !other && (
        <p className="muted small">No other token of this kind in the grant yet: refresh to get one.</p>
      )}
      {result.state === 'error' && <ErrorBanner error={result.error} />}
      {result.state === 'ok' && result.value && (
        <>
          <p className="muted small" data-testid="diff-sides">
            Before: {result.value.a.issuance} · after: {result.value.b.issuance}
          </p>
          <table className="simple-table diff-table" data-testid="diff-table">
            <TableHead columns={['Concept', 'Change', 'Before', 'After']} />
            <tbody>
              {result.value.diff.entries.map((e) => (
                <DiffRow key={e.concept} e={e} />
              ))}
              {result.value.diff.entries.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No differences.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          {result.value.diff.unchanged.length > 0 && (
            <p className="muted small">Unchanged: {result.value.diff.unchanged.join(', ')}</p>
          )}
        </>
      )}
    </div>
  );
}

function DiffRow({ e }: { e: DiffEntry }) {
  return (
    <tr data-concept={e.concept} data-change={e.change}>
      <th scope="row">{e.concept}</th>
      <td>
        <span className={`change change-${e.change}`}>{e.change}</span> <SafeText text={e.summary} />
      </td>
      <td className="mono small">{e.before === undefined ? '—' : <CanonicalValue concept={e.concept} value={e.before} />}</td>
      <td className="mono small">{e.after === undefined ? '—' : <CanonicalValue concept={e.concept} value={e.after} />}</td>
    </tr>
  );
}

/**
 * Decoded claims, one row each: the name, the value as inert text (times also local and relative, links
 * only https and only after a confirmation), and what the claim means.
 */
import { useNow } from './clock.tsx';
import { ExternalLink } from './ExternalLink.tsx';
import { SafeText } from './SafeText.tsx';
import { formatLocal, formatRelative, secondsClaimToMs } from './time-format.ts';
import { asText } from './value.ts';
import { TableHead } from './TableHead.tsx';

export const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at', 'rat', 'pwd_exp', 'created_at']);
/** Claims whose value is a page meant for people (OIDC): offered as links, https only, after a confirmation. */
const LINK_CLAIMS = new Set(['picture', 'website', 'profile']);

export type Explain = (name: string, where: 'header' | 'payload') => string | undefined;

function TimeValue({ value }: { value: unknown }) {
  const now = useNow();
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return (
      <>
        <SafeText text={asText(value)} /> <span className="flag warn">not a number: not a valid time</span>
      </>
    );
  }
  const { ms, msSuspect } = secondsClaimToMs(value);
  return (
    <>
      <span className="mono">{String(value)}</span>
      <span className="time-local">
        {formatLocal(ms)} ·{' '}
        <span className="relative" data-testid="claim-relative">
          {formatRelative(ms, now)}
        </span>
      </span>
      {msSuspect && <span className="flag warn">looks like milliseconds in a seconds field</span>}
    </>
  );
}

export function ClaimValue({ name, value }: { name: string; value: unknown }) {
  if (TIME_CLAIMS.has(name)) return <TimeValue value={value} />;
  if (typeof value === 'string' && LINK_CLAIMS.has(name)) return <ExternalLink url={value} />;
  if (typeof value === 'string') return <SafeText text={value} />;
  if (typeof value === 'object' && value !== null) {
    return (
      <pre className="mono claim-json">
        <SafeText text={JSON.stringify(value, null, 2)} />
      </pre>
    );
  }
  return <span className="mono">{asText(value)}</span>;
}

export function ClaimsTable({
  title,
  claims,
  where,
  explain,
  testId,
}: {
  title: string;
  claims: Readonly<Record<string, unknown>>;
  where: 'header' | 'payload';
  explain?: Explain;
  testId?: string;
}) {
  const entries = Object.entries(claims);
  return (
    <div className="claims">
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted">empty</p>
      ) : (
        <table className="claims-table" data-testid={testId}>
          <TableHead columns={['Claim', 'Value', 'Meaning']} />
          <tbody>
            {entries.map(([name, value]) => {
              const meaning = explain?.(name, where);
              return (
                <tr key={name} data-claim={name}>
                  <th scope="row" className="mono claim-name">
                    <SafeText text={name} />
                  </th>
                  <td className="claim-value">
                    <ClaimValue name={name} value={value} />
                  </td>
                  <td className={`claim-meaning ${meaning ? '' : 'muted'}`}>{meaning ?? 'not a registered claim'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <details className="raw-json">
        <summary>{title} as JSON</summary>
        <pre className="mono json">
          <SafeText text={JSON.stringify(claims, null, 2)} />
        </pre>
      </details>
    </div>
  );
}

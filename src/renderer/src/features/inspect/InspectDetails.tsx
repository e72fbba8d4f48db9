/**
 * What the back end read out of the text, beyond the claims: the token's coloured segments, the token extracted from
 * an Authorization header or redirect URL, the redirect's parameters as a table, and the history's copy of the token.
 */
import type { HistoryMatch } from '../../../../shared/model.ts';
import type { InspectResult } from '../../../../shared/token/inspect.ts';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { JweSegments, JwtSegments, SegmentLegend } from './TokenSegments.tsx';

const ROLE_TEXT = { access_token: 'access token', refresh_token: 'refresh token', id_token: 'ID token' } as const;

function HistoryMatches({ matches }: { matches: readonly HistoryMatch[] }) {
  if (matches.length === 0) return null;
  return (
    <ul className="history-matches" data-testid="history-matches">
      {matches.map((m) => (
        <li key={m.token.id} data-token-id={m.token.id}>
          Already in the history: the {ROLE_TEXT[m.role]}{' '}
          <a href={routeHref({ screen: 'token', id: m.token.id })} data-testid="history-match-link">
            open it
          </a>{' '}
          <StatusChip status={m.token.status} />
          {m.grant && (
            <span className="muted small">
              {' '}
              · grant {m.grant.grantType}
              {m.grant.state === 'dead' ? ' (dead)' : ''}
              {m.grant.scopes.length > 0 ? ` · ${m.grant.scopes.join(' ')}` : ''}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function InspectDetails({ result, matches }: { result: InspectResult; matches: readonly HistoryMatch[] }) {
  const { input } = result;
  const extracted =
    input.kind === 'authorization-header' || input.kind === 'redirect-url'
      ? (result.canonical.accessToken ?? result.canonical.idToken)
      : undefined;
  return (
    <>
      <HistoryMatches matches={matches} />
      {extracted !== undefined && (
        <p data-testid="extracted-token">
          Token found in the {input.kind === 'redirect-url' ? 'redirect URL' : `${input.scheme ?? ''} header`}:{' '}
          <code className="mono extracted">
            <SafeText text={extracted} />
          </code>
        </p>
      )}
      {result.jwt && (
        <>
          <JwtSegments jwt={result.jwt} />
          <SegmentLegend jwe={false} />
        </>
      )}
      {result.jwe && (
        <>
          <JweSegments jwe={result.jwe} />
          <SegmentLegend jwe />
        </>
      )}
      {input.redirect && (
        <div className="redirect-params">
          <h3>Redirect parameters ({input.redirect.location})</h3>
          <table className="claims-table" data-testid="redirect-params">
            <thead>
              <tr>
                <th scope="col">Parameter</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {input.redirect.parameters.map((p, i) => (
                <tr key={`${p.name}-${String(i)}`} data-param={p.name}>
                  <th scope="row" className="mono">
                    <SafeText text={p.name} />
                  </th>
                  <td className="mono">
                    <SafeText text={p.value} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

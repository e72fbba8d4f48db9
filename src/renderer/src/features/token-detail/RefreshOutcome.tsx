/**
 * What a refresh did, told as it happened: the back end's before/after diff of the grant's previous issuance and the
 * new one, in words (rotated refresh token, new ID token, scope and lifetime changes), with links to the new tokens.
 */
import type { GrantResult } from '../../../../shared/oauth.ts';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';

const KIND: Readonly<Record<string, string>> = {
  access_token: 'access token',
  refresh_token: 'refresh token',
  id_token: 'ID token',
  unknown: 'token',
};

export function RefreshOutcome({ value }: { value: GrantResult }) {
  const d = value.refreshDiff;
  const access = value.tokens.find((t) => t.kind === 'access_token');
  const before = d?.replaced.find((r) => r.kind === 'access_token')?.before;
  return (
    <div className="refresh-outcome" data-testid="refresh-outcome">
      <p>
        {d ? (
          <>
            <strong>{d.after.label}</strong> replaced <strong>{d.before.label}</strong>:
          </>
        ) : (
          'New tokens from the server:'
        )}{' '}
        {value.tokens.map((t) => (
          <a key={t.id} className="token-ref" href={routeHref({ screen: 'token', id: t.id })} data-testid="refreshed-token">
            {KIND[t.kind] ?? t.kind}
            {t.created ? '' : ' (unchanged)'}
          </a>
        ))}
      </p>
      {d && (
        <ul className="refresh-diff" data-testid="refresh-diff">
          {d.lines.map((line) => (
            <li key={line}>
              <SafeText text={line} />
            </li>
          ))}
        </ul>
      )}
      {d && d.replaced.length > 0 && (
        <p className="small muted">
          Replaced:{' '}
          {d.replaced.map((r, i) => (
            <span key={r.before}>
              {i > 0 ? ' · ' : ''}
              <a href={routeHref({ screen: 'token', id: r.before })}>old {KIND[r.kind] ?? r.kind}</a>{' '}
              <a href={routeHref({ screen: 'token', id: r.after })}>replaced by →</a>
            </span>
          ))}
        </p>
      )}
      {access && (
        <p className="small">
          <a
            href={routeHref({ screen: 'compare', id: access.id, ...(before ? { other: before } : {}) })}
            data-testid="refresh-compare"
          >
            Compare before and after across the formats →
          </a>
        </p>
      )}
    </div>
  );
}

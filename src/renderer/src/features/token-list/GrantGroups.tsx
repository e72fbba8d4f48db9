/**
 * The history grouped by grant (the back end's listGrantLineages): per grant its responses in order, each token with
 * its status, the grant's current token of each kind marked. It reloads when a grant changes.
 */
import { useEffect } from 'react';
import type { GrantLineage } from '../../../../shared/issuance.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';

const KIND: Readonly<Record<string, string>> = {
  access_token: 'access token',
  refresh_token: 'refresh token',
  id_token: 'ID token',
  unknown: 'token',
};

/** "Group by grant" for the token list's toolbar. */
export function GroupByGrantToggle({ grouped, onChange }: { grouped: boolean; onChange: (grouped: boolean) => void }) {
  return (
    <button type="button" className="btn" aria-pressed={grouped} onClick={() => onChange(!grouped)} data-testid="group-by-grant">
      {grouped ? 'List all tokens' : 'Group by grant'}
    </button>
  );
}

export function GrantGroups() {
  const [groups, reload] = useResult(() => api.listGrantLineages({}), []);
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'grant-changed' || e.type === 'tokens-changed') reload();
      }),
    [reload],
  );
  if (groups.state === 'loading') return <p className="muted">Loading grants…</p>;
  if (groups.state === 'error') return <ErrorBanner error={groups.error} />;
  if (groups.value.length === 0) return <p className="muted">No grant has recorded responses yet.</p>;
  return (
    <ol className="grant-groups" data-testid="grant-groups">
      {groups.value.map((g) => (
        <GrantGroup key={g.grantId} g={g} />
      ))}
    </ol>
  );
}

function GrantGroup({ g }: { g: GrantLineage }) {
  const first = g.issuances[0];
  return (
    <li className="card grant-group" data-testid="grant-group" data-grant-state={g.state}>
      <h3>
        {g.grantType} {g.state === 'dead' && <span className="flag danger">dead</span>}{' '}
        <span className="muted small">
          {first ? `since ${formatLocal(first.receivedAtMs)}` : ''} · {g.issuances.length} response
          {g.issuances.length === 1 ? '' : 's'}
        </span>
      </h3>
      <ol className="lineage-list">
        {[...g.issuances].reverse().map((i) => (
          <li key={i.id} data-issuance={i.label}>
            <span className="lineage-label">{i.label}</span> <span className="muted small">{formatLocal(i.receivedAtMs)}</span>
            <ul className="related-list">
              {i.tokens.map((t) => (
                <li key={t.id} data-testid="grant-group-token" data-kind={t.kind} data-current={t.current ? 'yes' : 'no'}>
                  <a href={routeHref({ screen: 'token', id: t.id })}>{KIND[t.kind] ?? t.kind}</a>{' '}
                  <StatusChip status={t.status} expiresAtMs={t.expiresAtMs} />{' '}
                  {t.current && <span className="flag ok">current</span>} <code className="small">{t.preview}</code>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </li>
  );
}

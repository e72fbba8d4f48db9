/**
 * The grant a token belongs to, told from its issuances (the back end's grantLineage): which response brought which
 * tokens, which token replaced which, the current one of each kind; "Sign in again" when the grant is dead. It reloads
 * when the back end says the grant changed (a refresh, an automatic one too), not on a timer.
 */
import { useEffect } from 'react';
import type { GrantLineage as Lineage, LineageToken } from '../../../../shared/issuance.ts';
import { ISSUANCE_UNKNOWN } from '../../../../shared/issuance.ts';
import type { TokenSummary } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { routeHref } from '../../ui/route.ts';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { formatDuration } from '../../../../shared/time/relative.ts';
import { useNow } from '../../ui/clock.tsx';
import { SafeText } from '../../ui/SafeText.tsx';
import { useResult } from '../../ui/use-result.ts';
import { isRunning, startProfileLogin, useFlow } from '../flows/flow-store.ts';

const KIND: Readonly<Record<string, string>> = {
  access_token: 'access token',
  refresh_token: 'refresh token',
  id_token: 'ID token',
  unknown: 'token',
};

export function GrantLineage({ token }: { token: TokenSummary }) {
  const grantId = token.grantId;
  const [lineage, reload] = useResult(
    () => (grantId ? api.grantLineage({ grantId }) : Promise.resolve({ ok: true as const, value: null })),
    [grantId],
  );
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'grant-changed' && e.grantId === grantId) reload();
        if (e.type === 'tokens-changed' && e.ids.includes(token.id)) reload();
      }),
    [grantId, token.id, reload],
  );
  if (!grantId) return <p className="muted small">Not part of a grant (pasted or imported on its own).</p>;
  if (lineage.state !== 'ok' || !lineage.value) return null;
  return <LineageView lineage={lineage.value} tokenId={token.id} />;
}

function LineageView({ lineage, tokenId }: { lineage: Lineage; tokenId: string }) {
  const self = [...lineage.issuances.flatMap((i) => i.tokens), ...lineage.unknown].find((t) => t.id === tokenId);
  return (
    <div className="related lineage" data-testid="related-tokens" data-grant-state={lineage.state}>
      <h4>Same grant ({lineage.grantType})</h4>
      {self?.replacedBy && (
        <p className="replaced-by" data-testid="replaced-by">
          This {KIND[self.kind] ?? 'token'} was replaced by a later response:{' '}
          <a href={routeHref({ screen: 'token', id: self.replacedBy })}>replaced by →</a>
        </p>
      )}
      {lineage.state === 'dead' && <DeadGrant lineage={lineage} />}
      <GrantFacts lineage={lineage} />
      <ol className="lineage-list">
        {lineage.issuances.map((i) => (
          <li key={i.id} data-testid="lineage-issuance" data-issuance={i.label}>
            <span className="lineage-label">{i.label}</span> <span className="muted small">{formatLocal(i.receivedAtMs)}</span>
            {i.exchange && (
              <p className="small" data-testid="lineage-exchange">
                Exchanged{' '}
                <a href={routeHref({ screen: 'token', id: i.exchange.subjectTokenId })} data-testid="exchange-subject">
                  the subject token
                </a>
                {i.exchange.actorTokenId && (
                  <>
                    {' '}
                    with <a href={routeHref({ screen: 'token', id: i.exchange.actorTokenId })}>an actor token</a>
                  </>
                )}
                ; issued_token_type:{' '}
                <span data-testid="exchange-issued-type">{<SafeText text={i.exchange.issuedTokenTypeText} />}</span>
              </p>
            )}
            <ul className="related-list">
              {i.tokens.map((t) => (
                <LineageRow key={t.id} t={t} self={t.id === tokenId} />
              ))}
            </ul>
          </li>
        ))}
        {lineage.unknown.length > 0 && (
          <li data-testid="lineage-unknown">
            <span className="lineage-label">{ISSUANCE_UNKNOWN}</span>{' '}
            <span className="muted small">(saved before Tokenscope recorded responses, and not pairable)</span>
            <ul className="related-list">
              {lineage.unknown.map((t) => (
                <LineageRow key={t.id} t={t} self={t.id === tokenId} />
              ))}
            </ul>
          </li>
        )}
      </ol>
      <p className="small">
        <a href={routeHref({ screen: 'timeline', by: 'grant', id: lineage.grantId })} data-testid="grant-timeline-link">
          Timeline of this grant →
        </a>{' '}
        · <a href={routeHref({ screen: 'log', grantId: lineage.grantId })}>HTTP exchanges →</a>
      </p>
    </div>
  );
}

function LineageRow({ t, self }: { t: LineageToken; self: boolean }) {
  return (
    <li data-testid="lineage-token" data-kind={t.kind} data-current={t.current ? 'yes' : 'no'}>
      {self ? (
        <strong>{KIND[t.kind] ?? t.kind} (this one)</strong>
      ) : (
        <a href={routeHref({ screen: 'token', id: t.id })} data-testid="related-token">
          {KIND[t.kind] ?? t.kind}
        </a>
      )}{' '}
      <StatusChip status={t.status} expiresAtMs={t.expiresAtMs} /> {t.current && <span className="flag ok">current</span>}{' '}
      <code className="small">{t.preview}</code>
      {t.replacedBy && (
        <>
          {' '}
          <a className="small" href={routeHref({ screen: 'token', id: t.replacedBy })} data-testid="lineage-replaced-by">
            replaced by →
          </a>
        </>
      )}
    </li>
  );
}

function DeadGrant({ lineage }: { lineage: Lineage }) {
  const { profileId } = lineage;
  const flow = useFlow(profileId ? `login:${profileId}` : '');
  const busy = isRunning(flow);
  return (
    <div className="flag danger dead-grant" role="status" data-testid="dead-grant">
      <p>
        This grant is dead: {lineage.deadReason ?? 'the server refused its refresh token'}. Its tokens cannot be refreshed; a new
        sign-in starts a new grant.
      </p>
      {profileId ? (
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          onClick={() => void startProfileLogin(profileId, 'the grant’s profile')}
          data-testid="sign-in-again"
        >
          {busy ? 'Signing in…' : 'Sign in again'}
        </button>
      ) : (
        <p className="small">This grant was not obtained through a profile, so Tokenscope cannot start its login.</p>
      )}
    </div>
  );
}

/** Requested vs granted scopes, why there is no refresh token, and "next refresh in …": the back end's words. */
function GrantFacts({ lineage }: { lineage: Lineage }) {
  const now = useNow();
  const { scopes, autoRefresh } = lineage;
  return (
    <>
      {scopes && (
        <p className="small" data-testid="grant-scopes">
          <SafeText text={scopes.text} />
        </p>
      )}
      {scopes?.missingRefresh && (
        <p className="flag warn" role="note" data-testid="missing-refresh">
          <SafeText text={scopes.missingRefresh} />
        </p>
      )}
      {autoRefresh?.on && (
        <p className="small" data-testid="auto-refresh" data-next={autoRefresh.nextAtMs ?? 'none'}>
          {autoRefresh.nextAtMs !== null
            ? autoRefresh.nextAtMs > now
              ? `Auto-refresh is on: next refresh in ${formatDuration(autoRefresh.nextAtMs - now)} (${formatLocal(autoRefresh.nextAtMs)}).`
              : 'Auto-refresh is on: refreshing now.'
            : `Auto-refresh is on, but no refresh is due: ${autoRefresh.why ?? 'nothing to refresh'}.`}
        </p>
      )}
    </>
  );
}

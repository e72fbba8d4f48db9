/** Every HTTP request and response of the flows and actions, secrets masked by the back end, with timing. */
import { useState } from 'react';
import type { HttpExchange } from '../../../../shared/oauth.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { navigate, routeHref } from '../../ui/route.ts';
import type { Result } from '../../../../shared/result.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { ExchangeBody, readableUrl } from './HttpMessage.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { SelectField } from '../../ui/FormFields.tsx';

interface GrantChoice {
  readonly id: string;
  readonly label: string;
}

/** Grants with logged requests, the most recently active first (the log is kept per grant). */
async function loggedGrants(): Promise<Result<readonly GrantChoice[]>> {
  const grants = await api.listLoggedGrants({ limit: 200 });
  if (!grants.ok) return grants;
  return {
    ok: true,
    value: grants.value.map((g) => ({
      id: g.id,
      label: `${g.issuer ?? 'unknown issuer'} · ${g.subject ?? g.clientId ?? ''} · ${g.grantType} · ${String(g.exchangeCount)} request${g.exchangeCount === 1 ? '' : 's'}, last ${formatLocal(g.lastExchangeAtMs)}`,
    })),
  };
}

export function ExchangeLog({ grantId }: { grantId?: string | undefined }) {
  const [grants] = useResult(() => loggedGrants(), []);
  const choices = grants.state === 'ok' ? grants.value : [];
  const selected = grantId ?? choices[0]?.id;
  return (
    <section className="panel wide" aria-labelledby="log-title">
      <h2 id="log-title">HTTP exchange log</h2>
      <p className="muted">
        Every request Tokenscope sent to an authorization server and what came back, per grant. Secrets (client secrets, codes,
        verifiers, tokens, Authorization headers) are masked before they are stored.
      </p>
      {grants.state === 'error' && <ErrorBanner error={grants.error} />}
      {grants.state === 'ok' && choices.length === 0 && !grantId && (
        <p className="muted" data-testid="log-empty">
          No requests yet: get a token through a flow, or run an action on one.
        </p>
      )}
      {(choices.length > 0 || grantId) && (
        <SelectField
          label="Grant"
          layout="field grant-pick"
          value={selected ?? ''}
          onChange={(choice) => navigate({ screen: 'log', grantId: choice })}
          options={[
            ...(grantId && !choices.some((c) => c.id === grantId) ? [[grantId, grantId] as const] : []),
            ...choices.map((c) => [c.id, c.label] as const),
          ]}
        />
      )}
      {selected && <GrantLog key={selected} grantId={selected} />}
    </section>
  );
}

function GrantLog({ grantId }: { grantId: string }) {
  const [log] = useResult(() => api.listExchanges({ grantId, limit: 200 }), [grantId]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      {log.state === 'error' && <ErrorBanner error={log.error} />}
      <p className="small">
        <a href={routeHref({ screen: 'timeline', by: 'grant', id: grantId })} data-testid="log-timeline-link">
          This grant's timeline, step by step →
        </a>
      </p>
      {log.state === 'ok' && log.value.length === 0 && <p className="muted">No requests logged for this grant.</p>}
      {log.state === 'ok' && log.value.length > 0 && (
        <ol className="exchanges" data-testid="exchanges">
          {log.value.map((x: HttpExchange) => {
            const expanded = open === x.id;
            const ok = x.status !== null && x.status < 400;
            return (
              <li key={x.id} className="exchange">
                <button
                  type="button"
                  className="exchange-head"
                  aria-expanded={expanded}
                  onClick={() => setOpen(expanded ? null : x.id)}
                >
                  <span className="mono method">{x.method}</span>
                  <span className={`status ${ok ? 'text-ok' : 'text-danger'}`}>{x.status ?? 'no response'}</span>
                  <span className="mono url">
                    <SafeText text={readableUrl(x.url)} />
                  </span>
                  <span className="muted small">{x.durationMs === null ? '' : `${String(x.durationMs)} ms`}</span>
                  <span className="muted small">{formatLocal(x.startedAtMs).slice(11, 19)}</span>
                </button>
                {expanded && <ExchangeBody exchange={x} />}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

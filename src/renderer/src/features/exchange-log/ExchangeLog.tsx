/** Every HTTP request and response of the flows and actions, secrets masked by the back end, with timing. */
import { useState } from 'react';
import type { HttpExchange } from '../../../../shared/oauth.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { navigate } from '../../ui/route.ts';
import type { Result } from '../../../../shared/result.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { SelectField } from '../../ui/FormFields.tsx';

function prettyBody(body: string | null): string {
  if (body === null || body === '') return '(empty)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // A form body (token requests): one decoded parameter per line.
    if (/^[\w.%~-]+=[^&\s]*(&[\w.%~-]+=[^&\s]*)*$/.test(body)) {
      return [...new URLSearchParams(body)].map(([k, v]) => `${k} = ${v}`).join('\n');
    }
    return body;
  }
}

/** The URL as a person reads it: percent-escapes of non-ASCII text (the mask's "…") decoded; reserved characters stay escaped. */
export function readableUrl(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

function Headers({ headers }: { headers: Readonly<Record<string, string>> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted small">no headers</p>;
  return (
    <dl className="headers mono small">
      {entries.map(([k, v]) => (
        <div key={k} className="header-line">
          <dt>{k}:</dt>
          <dd>
            <SafeText text={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

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
                {expanded && (
                  <div className="exchange-body">
                    <HttpMessage title="Request" headers={x.requestHeaders} body={x.requestBody} />
                    <HttpMessage title="Response" headers={x.responseHeaders} body={x.responseBody} />
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

/** One side of an exchange: its headers and its body (secrets already masked by the back end). */
function HttpMessage({
  title,
  headers,
  body,
}: {
  title: string;
  headers: Readonly<Record<string, string>>;
  body: string | null;
}) {
  return (
    <div>
      <h4>{title}</h4>
      <Headers headers={headers} />
      <pre className="mono json">
        <SafeText text={prettyBody(body)} />
      </pre>
    </div>
  );
}

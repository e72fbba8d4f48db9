/** Every HTTP request and response of the flows and actions, secrets masked by the back end, with timing. */
import { useState } from 'react';
import type { HttpExchange } from '../../../../shared/profile.ts';
import { backend } from '../../backend.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';

function prettyBody(body: string | null): string {
  if (body === null || body === '') return '(empty)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
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

export function ExchangeLog({ grantId }: { grantId?: string | undefined }) {
  const [log] = useResult(() => backend.listExchanges({ ...(grantId ? { grantId } : {}), limit: 200 }), [grantId]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="panel wide" aria-labelledby="log-title">
      <h2 id="log-title">HTTP exchange log</h2>
      <p className="muted">
        Every request Tokenscope sent to an authorization server and what came back. Secrets (client secrets, codes, verifiers, tokens, Authorization headers) are masked before they are stored.
        {grantId && (
          <>
            {' '}
            Showing one grant. <a href={routeHref({ screen: 'log' })}>Show all</a>
          </>
        )}
      </p>
      {log.state === 'error' && <ErrorBanner error={log.error} />}
      {log.state === 'ok' && log.value.length === 0 && <p className="muted" data-testid="log-empty">No requests yet: run a flow or an action on a token.</p>}
      {log.state === 'ok' && log.value.length > 0 && (
        <ol className="exchanges" data-testid="exchanges">
          {log.value.map((x: HttpExchange) => {
            const expanded = open === x.id;
            const ok = x.status !== null && x.status < 400;
            return (
              <li key={x.id} className="exchange">
                <button type="button" className="exchange-head" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : x.id)}>
                  <span className="mono method">{x.method}</span>
                  <span className={`status ${ok ? 'text-ok' : 'text-danger'}`}>{x.status ?? 'no response'}</span>
                  <span className="mono url">
                    <SafeText text={x.url} />
                  </span>
                  <span className="muted small">{x.durationMs === null ? '' : `${String(x.durationMs)} ms`}</span>
                  <span className="muted small">{formatLocal(x.startedAtMs).slice(11, 19)}</span>
                </button>
                {expanded && (
                  <div className="exchange-body">
                    <div>
                      <h4>Request</h4>
                      <Headers headers={x.requestHeaders} />
                      <pre className="mono json">
                        <SafeText text={prettyBody(x.requestBody)} />
                      </pre>
                    </div>
                    <div>
                      <h4>Response</h4>
                      <Headers headers={x.responseHeaders} />
                      <pre className="mono json">
                        <SafeText text={prettyBody(x.responseBody)} />
                      </pre>
                    </div>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

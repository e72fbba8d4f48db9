/**
 * Call an API with a history token: method, URL, headers and body in; the answer out (status, timing, headers, the
 * body pretty-printed), the server's WWW-Authenticate read out and the refusal explained in words (all decided by
 * the back end's callApi), "Refresh and retry once" when the back end offers it, and "Copy as curl".
 */
import { useState } from 'react';
import type { ApiCallAttempt, ApiCallResult } from '../../../../shared/api-call.ts';
import { parseHeaderLine } from '../../../../shared/net/header-line.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { CheckboxField, SelectField, TextField } from '../../ui/FormFields.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { HttpHeaders } from '../exchange-log/HttpMessage.tsx';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

interface CallForm {
  readonly method: Method;
  readonly url: string;
  readonly headers: string;
  readonly body: string;
}

/** The header box's lines, read as curl reads -H; the first line that is not "Name: value" is named. */
function headersOf(text: string): { headers: Record<string, string> } | { bad: string } {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const header = parseHeaderLine(line);
    if (!header) return { bad: line.trim() };
    headers[header[0]] = header[1];
  }
  return { headers };
}

const OUTCOME_TEXT: Readonly<Record<ApiCallResult['outcome'], string>> = {
  ok: 'The API accepted the token',
  refused: 'The API refused the token',
  error: 'The API answered with an error',
  failed: 'No answer from the API',
  'not-sent': 'Not sent',
};

export function CallApiDialog({ tokenId, grantId, onClose }: { tokenId: string; grantId: string | null; onClose: () => void }) {
  const [form, setForm] = useState<CallForm>({ method: 'GET', url: '', headers: '', body: '' });
  const [revealCurl, setRevealCurl] = useState(false);
  const parsed = headersOf(form.headers);
  const request = (extra: { refreshAndRetry?: boolean; send?: boolean; reveal?: boolean }) => ({
    tokenId,
    url: form.url.trim(),
    method: form.method,
    headers: 'headers' in parsed ? parsed.headers : {},
    ...(form.body !== '' && form.method !== 'GET' && form.method !== 'HEAD' ? { body: form.body } : {}),
    ...extra,
  });
  const [call, runCall] = useAction((extra: { refreshAndRetry?: boolean }) => api.callApi(request(extra)));
  const curlText = async (): Promise<string | null> => {
    const r = await api.callApi(request({ send: false, reveal: revealCurl }));
    return r.ok ? r.value.curl : null;
  };
  const set = (patch: Partial<CallForm>): void => setForm((f) => ({ ...f, ...patch }));
  const canSend = form.url.trim() !== '' && 'headers' in parsed && call.state !== 'busy';

  return (
    <Dialog title="Call an API with this token" testId="call-dialog" onClose={onClose}>
      <form
        className="call-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) void runCall({});
        }}
      >
        <div className="field-row">
          <SelectField
            label="Method"
            value={form.method}
            options={METHODS.map((m) => [m, m] as const)}
            onChange={(method) => set({ method })}
            testId="call-method"
          />
          <TextField
            label="URL"
            value={form.url}
            onChange={(url) => set({ url })}
            mono
            placeholder="https://api.example.com/resource"
            spellCheck={false}
            autoComplete="off"
            required
          />
        </div>
        <TextField
          label="Headers, one per line (Name: value); the token goes in Authorization"
          value={form.headers}
          onChange={(headers) => set({ headers })}
          mono
          rows={2}
          spellCheck={false}
          error={
            'bad' in parsed ? (
              <span className="text-danger small" role="alert">
                Not a header (write Name: value): <SafeText text={parsed.bad} />
              </span>
            ) : undefined
          }
        />
        {form.method !== 'GET' && form.method !== 'HEAD' && (
          <TextField label="Body" value={form.body} onChange={(body) => set({ body })} mono rows={3} spellCheck={false} />
        )}
        <div className="actions">
          <button type="submit" className="btn primary" disabled={!canSend} data-testid="call-send">
            {call.state === 'busy' ? 'Sending…' : 'Send'}
          </button>
          <CopyButton label="Copy as curl" text={curlText} testId="call-copy-curl" />
          <CheckboxField checked={revealCurl} onChange={setRevealCurl}>
            token in clear in the curl command
          </CheckboxField>
        </div>
      </form>
      <ActionResult
        action={call}
        busyText="Calling the API…"
        render={(result) => (
          <CallOutcome result={result} grantId={grantId} onRetry={() => void runCall({ refreshAndRetry: true })} />
        )}
      />
    </Dialog>
  );
}

function CallOutcome({ result, grantId, onRetry }: { result: ApiCallResult; grantId: string | null; onRetry: () => void }) {
  return (
    <div className="call-outcome" data-testid="call-outcome" data-outcome={result.outcome}>
      <p>
        <strong className={result.outcome === 'ok' ? 'text-ok' : 'text-danger'}>{OUTCOME_TEXT[result.outcome]}</strong>
        {result.attempts.length > 1 && ' after a refresh of the grant (the first answer was invalid_token)'}
        {grantId && (
          <>
            {' · '}
            <a className="small" href={routeHref({ screen: 'timeline', by: 'grant', id: grantId })}>
              timeline →
            </a>
          </>
        )}
      </p>
      {result.retryOffered && (
        <p>
          <button type="button" className="btn" onClick={onRetry} data-testid="call-retry">
            Refresh and retry once
          </button>{' '}
          <span className="muted small">The API said invalid_token and this grant has a refresh token.</span>
        </p>
      )}
      {result.attempts.map((attempt, index) => (
        <AttemptView key={`${attempt.tokenId}-${String(index)}`} attempt={attempt} index={index} />
      ))}
      <details>
        <summary>The request as curl (token masked)</summary>
        <pre className="mono json" data-testid="call-curl">
          <SafeText text={result.curl} />
        </pre>
      </details>
    </div>
  );
}

function AttemptView({ attempt, index }: { attempt: ApiCallAttempt; index: number }) {
  const { response, failure } = attempt;
  return (
    <div className="call-attempt" data-testid="call-attempt">
      {index > 0 && <h4>Second attempt, with the refreshed token</h4>}
      {failure && (
        <p className="text-danger">
          <code>{failure.code}</code> <SafeText text={failure.message} />
        </p>
      )}
      {response && (
        <p>
          <span className="mono" data-testid="call-status">
            HTTP {response.status}
          </span>{' '}
          <span className="muted small">{response.durationMs} ms</span>
        </p>
      )}
      {attempt.explanation.length > 0 && (
        <div className="call-why" data-testid="call-explanation">
          <h4>Why</h4>
          <ul>
            {attempt.explanation.map((line) => (
              <li key={line}>
                <SafeText text={line} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {attempt.challenges.length > 0 && (
        <dl className="facts small" data-testid="call-challenges">
          {attempt.challenges.map((c, i) => (
            <div key={`${c.scheme}-${String(i)}`}>
              <dt>{c.scheme} challenge</dt>
              <dd className="mono">
                <SafeText
                  text={Object.entries(c.params)
                    .map(([k, v]) => `${k}="${v}"`)
                    .join(', ')}
                />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {response && (
        <>
          <h4>Response headers</h4>
          <HttpHeaders headers={response.headers} />
          <h4>Body</h4>
          <pre className="mono json" data-testid="call-body">
            <SafeText text={response.prettyBody ?? (response.body === '' ? '(empty)' : response.body)} />
          </pre>
        </>
      )}
    </div>
  );
}

/**
 * Paste anything token-shaped and see what it is (the same back end as `tokenscope inspect`), then keep it. It
 * decodes as you type; what is shown always belongs to the text in the box: an answer for older text is dropped.
 */
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api-client.ts';
import type { HistoryMatch } from '../../../../shared/model.ts';
import { CallApiDialog } from '../call/CallApiDialog.tsx';
import type { AppError } from '../../../../shared/result.ts';
import type { InspectResult } from '../../../../shared/token/inspect.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { ClaimsTable, type Explain } from '../../ui/ClaimsTable.tsx';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { onPaste, takePaste } from '../../ui/paste-store.ts';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { SignatureBadge } from '../../ui/SignatureBadge.tsx';
import type { SignatureState } from '../../../../shared/token/verify.ts';
import { VerifyDialog } from '../../ui/VerifyDialog.tsx';
import { CompareTable } from '../compare/ComparePanel.tsx';
import { useAction } from '../../ui/use-action.ts';
import { explainClaim } from './claim-explanations.ts';
import { ApiExpectationsPanel } from './ApiExpectationsPanel.tsx';
import { InspectDetails } from './InspectDetails.tsx';
import { ReceivedAt } from './ReceivedAt.tsx';

/** Typing pauses this long before the text is decoded (a JWT decodes well within a frame after that). */
const DEBOUNCE_MS = 120;

interface Outcome {
  /** The text this answer is about: shown only while the box still holds exactly it. */
  readonly text: string;
  readonly result: InspectResult | null;
  readonly error: AppError | null;
  readonly matches: readonly HistoryMatch[];
}

const KIND_TEXT: Readonly<Record<string, string>> = {
  jwt: 'a JWT (signed JSON Web Token)',
  jwe: 'a JWE (encrypted JSON Web Token)',
  opaque: 'an opaque token (only its issuer knows what it means)',
  'token-object': 'a token response / token record (JSON)',
  'authorization-header': 'an Authorization header',
  'redirect-url': 'a redirect URL carrying a token or code',
};

/** Explanations the inspect result carries, falling back to the claim registry. */
function explainerFor(result: InspectResult): Explain {
  const map = new Map<string, string>();
  for (const claim of result.claims) if (claim.explanation) map.set(claim.name, claim.explanation);
  return (name, where) => (where === 'payload' ? map.get(name) : undefined) ?? explainClaim(name, where);
}

export function InspectPanel() {
  const [text, setText] = useState(() => takePaste() ?? '');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [calling, setCalling] = useState<HistoryMatch | null>(null);
  const [verified, setVerified] = useState<{ readonly text: string; readonly state: SignatureState } | null>(null);
  /** When the pasted response was received (null: now, at saving), for the text it was given for only. */
  const [received, setReceived] = useState<{ readonly text: string; readonly ms: number | null } | null>(null);
  const receivedAtMs = received?.text === text ? received.ms : null;
  const [saved, save, resetSave] = useAction((t: string) =>
    api.saveToken({ text: t, ...(receivedAtMs !== null ? { receivedAtMs } : {}) }),
  );
  const request = useRef(0);

  const run = async (input: string, id: number): Promise<void> => {
    const r = await api.inspect(input);
    const found = r.ok ? await api.findInHistory({ text: input }) : null;
    // A newer text superseded this one while it was decoded: its answer is dropped.
    if (id !== request.current) return;
    setOutcome({
      text: input,
      result: r.ok ? r.value : null,
      error: r.ok ? null : r.error,
      matches: found?.ok ? found.value : [],
    });
  };

  useEffect(() => {
    const id = ++request.current;
    resetSave();
    if (text.trim() === '') return;
    const timer = setTimeout(() => void run(text, id), DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- decodes when the text changes
  }, [text]);

  useEffect(
    () =>
      // A paste made elsewhere in the app lands here and is decoded at once.
      onPaste(() => {
        const t = takePaste();
        if (t !== null) setText(t);
      }),
    [],
  );

  // Only the answer for exactly this text is shown (a blank box is decoded only when Inspect is pressed).
  const shown = outcome !== null && outcome.text === text ? outcome : null;
  const result = shown?.result ?? null;
  const error = shown?.error ?? null;
  const pending = text.trim() !== '' && shown === null;
  // Call an API needs the history's copy (the back end sends it): the access token of this text that is in the history.
  const callable = shown?.matches.find((m) => m.token.kind === 'access_token') ?? null;
  const signature = (verified?.text === text ? verified.state : undefined) ?? result?.jwt?.signature.state;
  return (
    <section className="panel wide" aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inspect a token</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(text, ++request.current);
        }}
      >
        <label htmlFor="inspect-input" className="label">
          JWT, opaque token, Authorization header, redirect URL or token response JSON
        </label>
        <textarea
          id="inspect-input"
          className="token-input mono"
          spellCheck={false}
          autoComplete="off"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void run(text, ++request.current);
            }
          }}
          placeholder="Paste or type here: it is decoded as you type. Pasting anywhere else in Tokenscope also lands here."
        />
        <div className="actions">
          <button type="submit" className="btn primary">
            Inspect
          </button>
          {pending && (
            <span className="muted small" data-testid="inspect-pending" role="status">
              Decoding…
            </span>
          )}
          {result?.jwt && (
            <button type="button" className="btn" onClick={() => setVerifying(true)} data-testid="inspect-verify">
              Verify signature…
            </button>
          )}
          {result && (
            <button
              type="button"
              className="btn"
              onClick={() => void save(text)}
              disabled={saved.state === 'busy' || saved.state === 'ok'}
              data-testid="save-to-history"
            >
              {saved.state === 'busy' ? 'Saving…' : saved.state === 'ok' ? 'Saved' : 'Save to history'}
            </button>
          )}
          {callable && (
            <button type="button" className="btn" onClick={() => setCalling(callable)} data-testid="inspect-call">
              Call API…
            </button>
          )}
        </div>
      </form>
      {calling && <CallApiDialog tokenId={calling.token.id} grantId={calling.token.grantId} onClose={() => setCalling(null)} />}
      {error && <ErrorBanner error={error} />}
      <ActionResult
        action={saved}
        busyText="Saving…"
        render={(v) => (
          <p data-testid="save-result">
            {v.created > 0 ? `Saved ${String(v.created)} new token${v.created === 1 ? '' : 's'}` : 'Already in the history'}
            {v.ids[0] && (
              <>
                {' '}
                · <a href={routeHref({ screen: 'token', id: v.ids[0] })}>open</a>
              </>
            )}
          </p>
        )}
      />
      {result && (
        <div className="inspect-result" data-testid="inspect-result">
          <p>
            Found{' '}
            <strong data-testid="input-kind" data-kind={result.input.kind}>
              {result.input.kind}
            </strong>
            : {KIND_TEXT[result.input.kind] ?? ''}
            {signature && (
              <>
                {' '}
                <SignatureBadge state={signature} />
              </>
            )}
          </p>
          {result.findings.length > 0 && (
            <ul className="findings" data-testid="findings">
              {result.findings.map((f, i) => (
                <li key={`${f.code}-${String(i)}`}>
                  <code>{f.code}</code> <SafeText text={f.message} />
                </li>
              ))}
            </ul>
          )}
          {result.format && (
            <p data-testid="detected-format">
              Read as <code>{result.format}</code>
              {result.detected.length > 1 && (
                <span className="muted small">
                  {' '}
                  (also considered:{' '}
                  {result.detected
                    .slice(1, 4)
                    .map((d) => `${d.format} ${String(Math.round(d.score * 100))} %`)
                    .join(', ')}
                  )
                </span>
              )}
            </p>
          )}
          {result.lifetimeStartUnknown && (
            <ReceivedAt
              lifetimeS={result.lifetimeStartUnknown.lifetimeS}
              receivedAtMs={receivedAtMs}
              onChange={(ms) => setReceived({ text, ms })}
            />
          )}
          <InspectDetails result={result} matches={shown?.matches ?? []} />
          {result.jwt && (
            <div className="claims-grid">
              {(
                [
                  ['Header', result.jwt.header, 'header', 'header-claims'],
                  ['Payload', result.jwt.payload, 'payload', 'jwt-payload'],
                ] as const
              ).map(([title, claims, where, testId]) => (
                <ClaimsTable
                  key={where}
                  title={title}
                  claims={claims}
                  where={where}
                  explain={explainerFor(result)}
                  testId={testId}
                />
              ))}
            </div>
          )}
          {result.jwe && (
            <div className="claims-grid">
              <ClaimsTable
                title="JWE protected header"
                claims={result.jwe.header}
                where="header"
                explain={explainerFor(result)}
                testId="jwe-header"
              />
            </div>
          )}
          {result.embedded.length > 1 && (
            <p className="muted small">
              The object holds {result.embedded.length} tokens: {result.embedded.map((e) => e.role.replace('_', ' ')).join(', ')}.
              Save it to the history to see each one.
            </p>
          )}
          <ApiExpectationsPanel source={{ text }} />
          <details className="inspect-compare" open={result.input.kind === 'token-object'}>
            <summary>Compare across the six documented formats</summary>
            <CompareTable table={result.comparison} />
          </details>
        </div>
      )}
      {verifying && result?.jwt && (
        <VerifyDialog
          issuer={typeof result.jwt.payload['iss'] === 'string' ? result.jwt.payload['iss'] : null}
          loadToken={() => Promise.resolve({ ok: true, value: text })}
          onVerified={(o) => setVerified({ text, state: o.signature.state })}
          onClose={() => setVerifying(false)}
        />
      )}
    </section>
  );
}

/** Paste anything token-shaped and see what it is (the same back end as `tokenscope inspect`), then keep it. */
import { useEffect, useState } from 'react';
import { api } from '../../api-client.ts';
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
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InspectResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<SignatureState | null>(null);
  const [saved, save, resetSave] = useAction((t: string) => api.saveToken({ text: t }));

  const run = async (input: string): Promise<void> => {
    setBusy(true);
    setError(null);
    resetSave();
    setVerified(null);
    const r = await api.inspect(input);
    setBusy(false);
    if (r.ok) setResult(r.value);
    else {
      setResult(null);
      setError(r.error);
    }
  };

  useEffect(() => {
    // A paste made elsewhere in the app lands here and is inspected at once.
    const initial = text;
    if (initial.trim() !== '') void Promise.resolve().then(() => run(initial));
    return onPaste(() => {
      const t = takePaste();
      if (t === null) return;
      setText(t);
      void run(t);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on mount
  }, []);

  const signature = verified ?? result?.jwt?.signature.state;
  return (
    <section className="panel wide" aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inspect a token</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(text);
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
              void run(text);
            }
          }}
          placeholder="Paste here (Ctrl+Enter inspects). Pasting anywhere else in Tokenscope also lands here."
        />
        <div className="actions">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Inspecting…' : 'Inspect'}
          </button>
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
        </div>
      </form>
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
          {result.embedded.length > 1 && (
            <p className="muted small">
              The object holds {result.embedded.length} tokens: {result.embedded.map((e) => e.role.replace('_', ' ')).join(', ')}.
              Save it to the history to see each one.
            </p>
          )}
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
          onVerified={(o) => setVerified(o.signature.state)}
          onClose={() => setVerifying(false)}
        />
      )}
    </section>
  );
}

/** Paste anything token-shaped and see what it is: the same back end as `tokenscope inspect`. */
import { useState } from 'react';
import { api } from '../../api-client.ts';
import type { AppError } from '../../../../shared/result.ts';
import type { InspectResult } from '../../../../shared/token/inspect.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';

export function InspectPanel() {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InspectResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const r = await api.inspect(text);
    setBusy(false);
    if (r.ok) setResult(r.value);
    else {
      setResult(null);
      setError(r.error);
    }
  };

  return (
    <section className="panel" aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inspect a token</h2>
      <label htmlFor="inspect-input" className="label">
        JWT, opaque token, Authorization header, redirect URL or token response JSON
      </label>
      <textarea
        id="inspect-input"
        className="token-input mono"
        spellCheck={false}
        autoComplete="off"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="actions">
        <button type="button" className="btn primary" onClick={() => void run()} disabled={busy}>
          {busy ? 'Inspecting…' : 'Inspect'}
        </button>
      </div>
      {error && <ErrorBanner error={error} />}
      {result && (
        <div className="inspect-result" data-testid="inspect-result">
          <p>
            Found: <strong data-testid="input-kind">{result.input.kind}</strong>
          </p>
          {result.jwt && (
            <div className="json-columns">
              <div>
                <h3>Header</h3>
                <pre className="mono json">{JSON.stringify(result.jwt.header, null, 2)}</pre>
              </div>
              <div>
                <h3>Payload</h3>
                <pre className="mono json" data-testid="jwt-payload">
                  {JSON.stringify(result.jwt.payload, null, 2)}
                </pre>
              </div>
            </div>
          )}
          {result.findings.length > 0 && (
            <ul className="findings">
              {result.findings.map((f, i) => (
                <li key={`${f.code}-${String(i)}`}>
                  <code>{f.code}</code> {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * "Would an API accept this token?": the user says what the API expects, the back end's one evaluator (inspectToken's
 * `expect`) answers check by check, in words. On Inspect (the text in the box) and on a history token's detail.
 */
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api-client.ts';
import type { AppError } from '../../../../shared/result.ts';
import type { ApiExpectations, ExpectationReport } from '../../../../shared/token/expectations.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { SafeText } from '../../ui/SafeText.tsx';

const DEBOUNCE_MS = 150;
const OUTCOME_TEXT = { pass: 'pass', fail: 'fail', unknown: 'cannot tell' } as const;
const CHECK_TEXT = {
  issuer: 'Issuer',
  audience: 'Audience',
  scopes: 'Scopes',
  expiry: 'Expiry',
  'not-before': 'Not before',
  type: 'Token type',
  algorithm: 'Algorithm',
} as const;

interface Form {
  readonly issuer: string;
  readonly audience: string;
  readonly scopes: string;
  readonly skew: string;
  readonly at: string;
  readonly atJwt: boolean;
  readonly algorithms: string;
}

const EMPTY: Form = { issuer: '', audience: '', scopes: '', skew: '', at: '', atJwt: false, algorithms: '' };

function expectationsOf(form: Form): ApiExpectations {
  const words = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);
  const skew = Number(form.skew);
  const at = form.at === '' ? NaN : new Date(form.at).getTime();
  return {
    ...(form.issuer.trim() !== '' ? { issuer: form.issuer.trim() } : {}),
    ...(form.audience.trim() !== '' ? { audience: form.audience.trim() } : {}),
    ...(words(form.scopes).length > 0 ? { scopes: words(form.scopes) } : {}),
    ...(form.skew.trim() !== '' && Number.isFinite(skew) && skew >= 0 ? { clockSkewS: skew } : {}),
    ...(Number.isFinite(at) && at >= 0 ? { atMs: at } : {}),
    ...(form.atJwt ? { typ: 'at+jwt' } : {}),
    ...(words(form.algorithms).length > 0 ? { algorithms: words(form.algorithms) } : {}),
  };
}

type Source = { readonly text: string } | { readonly tokenId: string };

async function evaluate(source: Source, expect: ApiExpectations) {
  const withSkew = { ...expect, clockSkewS: expect.clockSkewS ?? 0 };
  if ('text' in source) {
    const r = await api.inspectToken({ text: source.text, expect: withSkew });
    return r.ok ? { ok: true as const, value: r.value.expectations } : r;
  }
  // A history token: the back end evaluates the stored value with what the token response said (expires_in, scope).
  const r = await api.checkTokenExpectations({ tokenId: source.tokenId, expect: withSkew });
  return r.ok ? { ok: true as const, value: r.value } : r;
}

export function ApiExpectationsPanel({ source }: { source: Source }) {
  const [form, setForm] = useState<Form>(EMPTY);
  const key = JSON.stringify(['text' in source ? source.text : source.tokenId, form]);
  const [answer, setAnswer] = useState<{ key: string; report?: ExpectationReport; error?: AppError } | null>(null);
  const request = useRef(0);

  useEffect(() => {
    const id = ++request.current;
    if ('text' in source && source.text.trim() === '') return;
    const timer = setTimeout(() => {
      void evaluate(source, expectationsOf(form)).then((r) => {
        // A newer text or expectation superseded this answer: it is dropped, never shown under them.
        if (id !== request.current) return;
        setAnswer(r.ok ? (r.value ? { key, report: r.value } : { key }) : { key, error: r.error });
      });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for source and form
  }, [key]);

  const shown = answer?.key === key ? answer : null;
  const field = (name: keyof Omit<Form, 'atJwt'>, label: string, placeholder: string, type = 'text') => (
    <label className="expect-field">
      <span className="label">{label}</span>
      <input
        type={type}
        className="mono"
        value={form[name]}
        placeholder={placeholder}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        data-testid={`expect-${name}`}
      />
    </label>
  );
  const report = shown?.report;
  return (
    <section className="api-expectations" aria-labelledby="expect-title" data-testid="api-expectations">
      <h3 id="expect-title">Would an API accept this token?</h3>
      <p className="muted small">Say what the API expects; each check is answered by the back end, in words.</p>
      <div className="expect-form">
        {field('issuer', 'Issuer (iss)', 'https://issuer.example')}
        {field('audience', 'Audience (aud)', 'https://api.example')}
        {field('scopes', 'Scopes it needs', 'read write')}
        {field('skew', 'Clock skew (seconds)', '0', 'number')}
        {field('at', 'Evaluate at (empty: now)', '', 'datetime-local')}
        {field('algorithms', 'Algorithms allowed', 'RS256 ES256')}
        <label className="expect-field checkbox">
          <input
            type="checkbox"
            checked={form.atJwt}
            onChange={(e) => setForm({ ...form, atJwt: e.target.checked })}
            data-testid="expect-at-jwt"
          />{' '}
          typ must be <code>at+jwt</code> (RFC 9068)
        </label>
      </div>
      {shown?.error && <ErrorBanner error={shown.error} />}
      {!shown && <p className="muted small">Checking…</p>}
      {report && (
        <>
          <p
            className={`expect-verdict verdict-${String(report.accepted)}`}
            data-testid="expect-verdict"
            data-accepted={String(report.accepted)}
          >
            {report.summary} <span className="muted small">The signature is checked by Verify signature, not here.</span>
          </p>
          <table className="expect-table">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Outcome</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row) => (
                <tr key={row.check} data-check={row.check} data-outcome={row.outcome}>
                  <th scope="row">{CHECK_TEXT[row.check]}</th>
                  <td>
                    <span className={`flag outcome-${row.outcome}`}>{OUTCOME_TEXT[row.outcome]}</span>
                  </td>
                  <td>
                    <SafeText text={row.message} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

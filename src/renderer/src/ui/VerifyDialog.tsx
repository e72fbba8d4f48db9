/** Choose where the verification key comes from (the issuer's JWKS by default), then check the signature. */
import { useState } from 'react';
import type { Result } from '../../../shared/result.ts';
import type { KeySource, VerifyOutcome } from '../../../shared/token/verify.ts';
import { api } from '../api-client.ts';
import { FormDialog } from './FormDialog.tsx';
import { SafeText } from './SafeText.tsx';
import { SignatureBadge } from './SignatureBadge.tsx';
import { useAction } from './use-action.ts';

type SourceType = 'issuer' | 'jwks-url' | 'key' | 'secret';

export function keySourceLabel(outcome: VerifyOutcome): string {
  const k = outcome.keySource;
  return k.jwksUri ?? k.type;
}

/** `tokenId`: a token of the history, verified by the back end from its stored value (and the outcome recorded);
 * otherwise `loadToken` gives the text to verify (a pasted token). */
export function VerifyDialog({
  issuer,
  tokenId,
  loadToken,
  onVerified,
  onClose,
}: {
  issuer: string | null;
  tokenId?: string;
  loadToken?: () => Promise<Result<string>>;
  onVerified: (o: VerifyOutcome) => void;
  onClose: () => void;
}) {
  const [type, setType] = useState<SourceType>(issuer ? 'issuer' : 'jwks-url');
  const [value, setValue] = useState(issuer ?? '');
  const [action, run] = useAction(async (source: KeySource): Promise<Result<VerifyOutcome>> => {
    const expect = issuer ? { expect: { issuer } } : {};
    let r: Result<VerifyOutcome>;
    if (tokenId !== undefined) {
      r = await api.verifyToken({ token: '', tokenId, keySource: source, ...expect });
    } else {
      const token = loadToken ? await loadToken() : ({ ok: true, value: '' } as const);
      if (!token.ok) return token;
      r = await api.verifyToken({ token: token.value, keySource: source, ...expect });
    }
    if (r.ok) onVerified(r.value);
    return r;
  });
  const source = (): KeySource => {
    switch (type) {
      case 'issuer':
        return { type, issuer: value.trim() };
      case 'jwks-url':
        return { type, url: value.trim() };
      case 'key':
        return { type, key: value };
      case 'secret':
        return { type, secret: value };
    }
  };
  const LABEL: Record<SourceType, string> = {
    issuer: 'Issuer (its discovery document names the JWKS)',
    'jwks-url': 'JWKS URL',
    key: 'Public key: JWK, JWKS or PEM',
    secret: 'HMAC shared secret',
  };
  return (
    <FormDialog
      title={'Verify the signature'}
      testId="verify-dialog"
      onClose={onClose}
      onSubmit={() => void run(source())}
      canSubmit={value.trim() !== ''}
      submitLabel="Verify"
      busyLabel="Verifying…"
      action={action}
      busyText="Fetching keys and checking…"
      renderResult={(v) => (
        <div data-testid="verify-result">
          <p>
            <SignatureBadge state={v.signature.state} keySource={keySourceLabel(v)} reason={v.signature.reason} />
          </p>
          <p className="small">
            <SafeText text={v.signature.message} />
          </p>
          {v.findings.length > 0 && (
            <ul className="findings">
              {v.findings.map((f, i) => (
                <li key={`${f.code}-${String(i)}`}>
                  <code>{f.code}</code> <SafeText text={f.message} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    >
      <fieldset className="field">
        <legend className="label">Where the key comes from (never from the token's own jku/x5u/jwk headers)</legend>
        {(Object.keys(LABEL) as SourceType[]).map((t) => (
          <label key={t} className="radio">
            <input
              type="radio"
              name="key-source"
              checked={type === t}
              onChange={() => {
                setType(t);
                setValue(t === 'issuer' ? (issuer ?? '') : '');
              }}
            />{' '}
            {LABEL[t]}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="label">{LABEL[type]}</span>
        {type === 'key' ? (
          <textarea className="input mono" rows={4} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} />
        ) : (
          <input
            className="input mono"
            type={type === 'secret' ? 'password' : 'text'}
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            spellCheck={false}
          />
        )}
      </label>
    </FormDialog>
  );
}

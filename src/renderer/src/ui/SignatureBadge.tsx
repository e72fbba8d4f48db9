/** The signature state of a token: verified, invalid, unverified or unsigned, with where the key came from. */
export type SignatureState = 'verified' | 'invalid' | 'unverified' | 'unsigned' | 'not-signed';

const TEXT: Record<SignatureState, string> = {
  verified: 'signature verified',
  invalid: 'signature invalid',
  unverified: 'signature not verified',
  unsigned: 'unsigned (alg none)',
  'not-signed': 'not a JWT: no signature',
};

export function SignatureBadge({
  state,
  keySource,
  reason,
}: {
  state: SignatureState;
  keySource?: string | undefined;
  reason?: string | undefined;
}) {
  return (
    <span className={`sig-badge sig-${state}`} data-testid="signature-badge" data-state={state}>
      {TEXT[state]}
      {keySource && <span className="sig-source"> · key: {keySource}</span>}
      {reason && <span className="sig-source"> · {reason}</span>}
    </span>
  );
}

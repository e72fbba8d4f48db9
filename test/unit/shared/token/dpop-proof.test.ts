import { generateKeyPair, exportJWK, SignJWT, calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { inspectText, type TokenInspection } from '../../../../src/shared/token/inspect.ts';

const inspect = (text: string): TokenInspection => inspectText(text, { nowMs: Date.now() });

async function proof(payload: Record<string, unknown>, extraHeader: Record<string, unknown> = {}): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk, ...extraHeader }).sign(privateKey);
}

describe('Inspect explains DPoP proofs (RFC 9449) and cnf', () => {
  it('a resource-server proof: htm, htu, ath, nonce and its own jwk in words, the jwk not flagged as a key source', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const text = await proof({
      htm: 'GET',
      htu: 'https://api.example.com/orders',
      iat: nowS,
      jti: 'j1',
      ath: 'abc',
      nonce: 'n1',
    });
    const r = inspect(text);
    const explained = r.findings.find((f) => f.code === 'DPOP_PROOF');
    expect(explained?.message).toContain('a DPoP proof (RFC 9449) for GET https://api.example.com/orders');
    expect(explained?.message).toContain('with ath');
    expect(explained?.message).toContain('carrying a server-provided nonce');
    expect(explained?.message).toContain('EC P-256');
    expect(r.findings.some((f) => f.code === 'DPOP_PROOF_INVALID')).toBe(false);
    expect(r.findings.some((f) => f.code === 'UNTRUSTED_KEY_REFERENCE' && f.field === 'jwk')).toBe(false);
  });

  it('a proof with a query in htu, no jti, an old iat and a private key in its jwk is told what is wrong', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const text = await proof({ htm: 'POST', htu: 'https://as.example.com/token?x=1', iat: 1_000_000 }, { jwk: privateJwk });
    const problems = inspect(text)
      .findings.filter((f) => f.code === 'DPOP_PROOF_INVALID')
      .map((f) => f.field);
    expect(problems).toEqual(expect.arrayContaining(['jwk', 'htu', 'jti', 'iat']));
  });

  it('a cnf.jkt claim is explained as a DPoP binding with its thumbprint', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jkt = await calculateJwkThumbprint(await exportJWK(publicKey));
    const token = await new SignJWT({ sub: 'a', scope: 'read', cnf: { jkt } })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .sign(privateKey);
    const binding = inspect(token).findings.find((f) => f.code === 'TOKEN_BINDING');
    expect(binding?.message).toContain(`cnf.jkt ${jkt}`);
    expect(binding?.message).toContain('Authorization: DPoP');
  });
});

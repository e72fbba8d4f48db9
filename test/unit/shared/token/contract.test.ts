import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../../src/main/services.ts';
import type { TokenscopeBackend } from '../../../../src/shared/api.ts';
import { testPlatform } from '../../../helpers/test-platform.ts';
import { FIXTURE_NOW_MS, FIXTURE_SECRET, fixtureText, tokenFixture } from '../formats/fixtures.ts';
import { allNumbersFinite } from '../formats/fixtures.ts';
import { unsignedJwt } from './helpers.ts';

let backend: TokenscopeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function open(): Promise<TokenscopeBackend> {
  backend = await createServices(testPlatform({ now: () => FIXTURE_NOW_MS }));
  return backend;
}

describe('token domain contract', () => {
  it('inspect runs on the platform clock and returns plain data', async () => {
    const api = await open();
    const r = await api.inspect(tokenFixture('access-token.hs256.jwt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.findings.map((f) => f.code)).not.toContain('EXPIRED');
    expect(allNumbersFinite(r.value)).toBe(true);
    expect(JSON.parse(JSON.stringify(r.value))).toEqual(r.value);
  });

  it('inspect turns bad input into a typed error, never a throw', async () => {
    const api = await open();
    const r = await api.inspect('[1,2,3]');
    expect(r.ok ? 'ok' : r.error.code).toBe('ERR_NOT_A_TOKEN');
    const n = await api.inspect(42 as unknown as string);
    expect(n.ok ? 'ok' : n.error.code).toBe('ERR_INVALID_ARGUMENT');
    const c = await api.convertToken(null as never);
    expect(c.ok ? 'ok' : c.error.code).toBe('ERR_INVALID_ARGUMENT');
    const v = await api.verifyToken({ token: 'x', keySource: null } as never);
    expect(v.ok ? 'ok' : v.error.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('verifyToken checks a signature with an HMAC secret and with a pasted JWK', async () => {
    const api = await open();
    const token = tokenFixture('id-token.hs256.jwt');
    const bySecret = await api.verifyToken({ token, keySource: { type: 'secret', secret: FIXTURE_SECRET } });
    expect(bySecret.ok && bySecret.value.signature.state).toBe('verified');
    const jwk = JSON.stringify({ kty: 'oct', k: Buffer.from(FIXTURE_SECRET).toString('base64url') });
    const byKey = await api.verifyToken({ token, keySource: { type: 'key', key: jwk }, expect: { nonce: 'other' } });
    expect(byKey.ok && byKey.value.signature.state).toBe('verified');
    expect(byKey.ok && byKey.value.findings.map((f) => f.code)).toContain('NONCE_MISMATCH');
  });

  it('verifyToken on a token of the history checks its stored value and records the outcome, never the key', async () => {
    const api = await open();
    const saved = await api.saveToken({ text: tokenFixture('id-token.hs256.jwt') });
    if (!saved.ok) throw new Error(saved.error.code);
    const id = saved.value.ids[0] ?? '';
    // The text sent along does not matter: the stored value is what gets verified.
    const r = await api.verifyToken({ token: 'not a token', tokenId: id, keySource: { type: 'secret', secret: FIXTURE_SECRET } });
    expect(r.ok && r.value.signature.state).toBe('verified');
    const wrong = await api.verifyToken({ token: '', tokenId: id, keySource: { type: 'secret', secret: 'another secret' } });
    expect(wrong.ok && wrong.value.signature.state).toBe('invalid');
    const detail = await api.getToken(id);
    if (!detail.ok) throw new Error(detail.error.code);
    const checks = detail.value.events.filter((e) => e.type === 'verified').map((e) => e.detail['verification']);
    expect(checks).toHaveLength(2);
    expect(checks).toContainEqual(expect.objectContaining({ signature: 'verified', keySource: 'HMAC secret', alg: 'HS256' }));
    expect(checks).toContainEqual(expect.objectContaining({ signature: 'invalid', keySource: 'HMAC secret' }));
    expect(JSON.stringify(detail.value.events)).not.toContain(FIXTURE_SECRET);
    const missing = await api.verifyToken({ token: '', tokenId: 'no-such-token', keySource: { type: 'none' } });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('ERR_NOT_FOUND');
  });

  it('verifyToken reports unsigned tokens and refuses bad keys with ERR_INVALID_KEY', async () => {
    const api = await open();
    const unsigned = await api.verifyToken({ token: unsignedJwt({ sub: 'x' }), keySource: { type: 'none' } });
    expect(unsigned.ok && unsigned.value.signature.state).toBe('unsigned');
    const bad = await api.verifyToken({ token: tokenFixture('id-token.hs256.jwt'), keySource: { type: 'key', key: 'garbage' } });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_KEY');
  });

  it('listFormats returns the six specs', async () => {
    const api = await open();
    const r = await api.listFormats();
    expect(r.ok && r.value.map((s) => s.id)).toHaveLength(6);
  });

  it('convertToken writes a token object in another format', async () => {
    const api = await open();
    const r = await api.convertToken({ text: fixtureText('serendip.TokenModel.json'), to: 'rfc6749.TokenResponse' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.from).toEqual({ kind: 'token-object', format: 'serendip.TokenModel' });
    expect(r.value.output).toMatchObject({
      access_token: 'c2a7f1e0b9d84f6e8a1c3b5d7e9f0a2b',
      expires_in: 7200,
      token_type: 'bearer',
    });
    const bad = await api.convertToken({ text: fixtureText('serendip.TokenModel.json'), to: 'nope' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_UNKNOWN_FORMAT');
  });

  it('diffTokens shows what a refresh changed, claim by claim for JWTs', async () => {
    const api = await open();
    const a = unsignedJwt({ sub: 'alice', scope: 'openid profile email', exp: 1_700_003_600, jti: 'one' });
    const b = unsignedJwt({ sub: 'alice', scope: 'openid profile', exp: 1_700_007_200, jti: 'two' });
    const r = await api.diffTokens({ a, b });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const by = (c: string) => r.value.diff.entries.find((e) => e.concept === c);
    expect(by('scopes')?.change).toBe('narrowed');
    expect(by('expiresAtMs')?.change).toBe('extended');
    expect(by('accessToken')?.change).toBe('rotated');
    expect(r.value.claims.map((c) => [c.name, c.change])).toEqual([
      ['scope', 'changed'],
      ['exp', 'changed'],
      ['jti', 'changed'],
    ]);
  });

  it('diffTokens compares token objects of different formats by their canonical records', async () => {
    const api = await open();
    const r = await api.diffTokens({
      a: fixtureText('gusto.RefreshTokenAuthentication.sdk.json'),
      b: fixtureText('gusto.RefreshTokenAuthentication.wire.json'),
    });
    expect(r.ok && r.value.diff.entries).toEqual([]);
  });
});

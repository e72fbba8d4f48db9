import { flowErrorCode } from '../../helpers/flow-events.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey as JoseKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthHarness, type OAuthHarness } from '../../helpers/oidc-provider.ts';
import type { AccessTokenCheck } from '../../../src/shared/oauth.ts';

/** A stub authorization server for the code flow whose token endpoint returns an ID token the test shapes. */
let server: Server;
let base: string;
let h: OAuthHarness;
let profileId: string;
let signingKey: JoseKey;
let publicJwk: JWK;
let otherKey: JoseKey;
let idToken: (nonce: string) => Promise<string> = () => Promise.resolve('');
let lastNonce = '';
let tokenRequests = 0;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', base).pathname;
  if (path === '/.well-known/openid-configuration') {
    send(res, 200, {
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  } else if (path === '/jwks') {
    send(res, 200, { keys: [publicJwk] });
  } else if (path === '/token') {
    tokenRequests += 1;
    send(res, 200, {
      access_token: `stub-access-${tokenRequests}-0123456789`,
      token_type: 'Bearer',
      expires_in: 60,
      id_token: await idToken(lastNonce),
    });
  } else {
    send(res, 404, { error: 'not_found' });
  }
}

function sign(claims: Record<string, unknown>, key: JoseKey = signingKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'stub-key' }).sign(key);
}

function goodClaims(nonce: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: base, aud: 'stub-client', sub: 'frank', iat: now, exp: now + 300, nonce };
}

beforeAll(async () => {
  ({ privateKey: otherKey } = await generateKeyPair('RS256'));
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'stub-key', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h = await oauthHarness();
  profileId = (await h.oauth.saveProfile({ name: 'stub', settings: { issuer: base, clientId: 'stub-client', scope: 'openid' } }))
    .id;
});

afterAll(async () => {
  await h?.close();
  server?.closeAllConnections();
  server?.close();
});

/** Starts a login and plays the browser: the redirect comes back with a code and the right state. */
async function login(): Promise<{ code: unknown; state: string }> {
  const start = await h.oauth.startLogin({ profileId });
  const url = new URL(start.authorizationUrl);
  lastNonce = url.searchParams.get('nonce') ?? '';
  const callback = new URL(start.redirectUri);
  callback.searchParams.set('code', 'stub-code-0123456789');
  callback.searchParams.set('state', url.searchParams.get('state')!);
  await (await fetch(callback)).text();
  const final = await h.finished(start.flowId);
  return { code: flowErrorCode(final), state: final.state };
}

function idTokenCheckOf(tokenId: string): AccessTokenCheck | undefined {
  return h.store.getEvents({ tokenId }).find((e) => e.type === 'obtained')?.detail['verification'];
}

describe('ID token validation in the code flow', () => {
  it('a valid, signed ID token with our nonce is accepted, verified on receipt, nonce matched', async () => {
    idToken = (nonce) => sign(goodClaims(nonce));
    const result = await login();
    expect(result.state).toBe('done');
    const id = h.store.listTokens({ kind: 'id_token', limit: 1 }).items[0]!;
    expect(idTokenCheckOf(id.id)).toMatchObject({ signature: 'verified', nonce: 'matched', findings: [], clockSkewS: 30 });
  });

  it('a signature by a key not in the JWKS is kept and flagged invalid (the user is debugging it)', async () => {
    const before = h.store.count();
    idToken = (nonce) => sign(goodClaims(nonce), otherKey);
    const result = await login();
    expect(result.state).toBe('done');
    expect(h.store.count()).toBe(before + 2);
    const id = h.store.listTokens({ kind: 'id_token', limit: 1 }).items[0]!;
    expect(idTokenCheckOf(id.id)).toMatchObject({ signature: 'invalid', reason: 'SIGNATURE_MISMATCH', nonce: 'matched' });
    expect(idTokenCheckOf(id.id)?.findings).toContain('SIGNATURE_INVALID');
  });

  it('an at_hash that does not fit the access token is flagged AT_HASH_MISMATCH', async () => {
    idToken = (nonce) => sign({ ...goodClaims(nonce), at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect((await login()).state).toBe('done');
    const id = h.store.listTokens({ kind: 'id_token', limit: 1 }).items[0]!;
    expect(idTokenCheckOf(id.id)).toMatchObject({ signature: 'verified', atHash: 'mismatched' });
    expect(idTokenCheckOf(id.id)?.findings).toContain('AT_HASH_MISMATCH');
  });

  const rejections: [string, (nonce: string) => Promise<string>][] = [
    ['another nonce', () => sign(goodClaims('not-our-nonce'))],
    ['another audience', (nonce) => sign({ ...goodClaims(nonce), aud: 'someone-else' })],
    ['another issuer', (nonce) => sign({ ...goodClaims(nonce), iss: 'https://evil.example' })],
    ['an expired token', (nonce) => sign({ ...goodClaims(nonce), exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['an azp naming another client', (nonce) => sign({ ...goodClaims(nonce), aud: ['stub-client', 'other'], azp: 'other' })],
  ];
  for (const [name, make] of rejections) {
    it(`${name} is ERR_ID_TOKEN_INVALID and stores nothing`, async () => {
      const before = h.store.count();
      idToken = make;
      const result = await login();
      expect(result).toEqual({ code: 'ERR_ID_TOKEN_INVALID', state: 'failed' });
      expect(h.store.count()).toBe(before);
    });
  }
});

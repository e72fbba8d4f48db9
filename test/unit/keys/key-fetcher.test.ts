import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyFetcher, cachePolicy, verifyWithKeySource } from '../../../src/main/keys/index.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;
const requests: string[] = [];

async function serve(handler: Handler): Promise<string> {
  requests.length = 0;
  server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

let jwk: JWK;
let token: string;
let rotatedJwk: JWK;
let rotatedToken: string;

beforeAll(async () => {
  const k = await generateKeyPair('ES256', { extractable: true });
  jwk = { ...(await exportJWK(k.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  token = await new SignJWT({ sub: 'alice', iss: 'x' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(k.privateKey);
  const r = await generateKeyPair('ES256', { extractable: true });
  rotatedJwk = { ...(await exportJWK(r.publicKey)), kid: 'k2', alg: 'ES256' };
  rotatedToken = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256', kid: 'k2' }).sign(r.privateKey);
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : `untyped: ${String(e)}`;
  }
}

describe('KeyFetcher', () => {
  it('fetches a JWKS and serves it from the cache while max-age lasts', async () => {
    let now = 1_000_000;
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const fetcher = new KeyFetcher({ now: () => now });
    expect((await fetcher.fetchJwks(`${base}/jwks`)).cache).toBe('miss');
    now += 59_000;
    expect((await fetcher.fetchJwks(`${base}/jwks`)).cache).toBe('hit');
    now += 2_000;
    expect((await fetcher.fetchJwks(`${base}/jwks`)).cache).toBe('miss');
    expect(requests).toHaveLength(2);
  });

  it('revalidates with If-None-Match and reuses the body on 304', async () => {
    let now = 0;
    const base = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=10' });
        res.end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'cache-control': 'no-cache' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const fetcher = new KeyFetcher({ now: () => now });
    expect((await fetcher.fetchJwks(`${base}/jwks`)).cache).toBe('miss');
    now += 1;
    const again = await fetcher.fetchJwks(`${base}/jwks`);
    expect(again.cache).toBe('revalidated');
    expect(again.keys[0]?.kid).toBe('k1');
    now += 5_000;
    expect((await fetcher.fetchJwks(`${base}/jwks`)).cache).toBe('hit');
  });

  it('never stores a no-store response', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'cache-control': 'no-store' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const fetcher = new KeyFetcher();
    await fetcher.fetchJwks(`${base}/jwks`);
    expect((await fetcher.fetchJwks(`${base}/jwks`)).cache).toBe('miss');
    expect(requests).toHaveLength(2);
  });

  it('shares one request between concurrent fetches of one URL', async () => {
    const base = await serve((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'cache-control': 'max-age=60' });
        res.end(JSON.stringify({ keys: [jwk] }));
      }, 50);
    });
    const fetcher = new KeyFetcher();
    const all = await Promise.all([1, 2, 3].map(() => fetcher.fetchJwks(`${base}/jwks`)));
    expect(all.map((r) => r.keys[0]?.kid)).toEqual(['k1', 'k1', 'k1']);
    expect(requests).toHaveLength(1);
  });

  it('times out with ERR_TIMEOUT', async () => {
    const base = await serve(() => {
      // never answers
    });
    const fetcher = new KeyFetcher({ timeoutMs: 200 });
    expect(await codeOf(fetcher.fetchJwks(`${base}/jwks`))).toBe('ERR_TIMEOUT');
  });

  it('reports an HTTP error status as ERR_JWKS_FETCH', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(500);
      res.end('oops');
    });
    expect(await codeOf(new KeyFetcher().fetchJwks(`${base}/jwks`))).toBe('ERR_JWKS_FETCH');
  });

  it('reports a body that is not JSON as ERR_JWKS_FETCH and one that is not a JWKS as ERR_INVALID_KEY', async () => {
    const base = await serve((req, res) => {
      res.writeHead(200);
      res.end(req.url === '/html' ? '<html>' : '{"hello":1}');
    });
    expect(await codeOf(new KeyFetcher().fetchJwks(`${base}/html`))).toBe('ERR_JWKS_FETCH');
    expect(await codeOf(new KeyFetcher().fetchJwks(`${base}/json`))).toBe('ERR_INVALID_KEY');
  });

  it('refuses a body larger than the limit with ERR_JWKS_FETCH', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200);
      res.end(JSON.stringify({ keys: [jwk], padding: 'x'.repeat(10_000) }));
    });
    expect(await codeOf(new KeyFetcher({ maxBytes: 1000 }).fetchJwks(`${base}/jwks`))).toBe('ERR_JWKS_FETCH');
  });

  it('refuses a connection refused with ERR_NETWORK and a non-web URL with ERR_INVALID_ARGUMENT', async () => {
    expect(await codeOf(new KeyFetcher().fetchJwks('http://127.0.0.1:9/jwks'))).toBe('ERR_NETWORK');
    expect(await codeOf(new KeyFetcher().fetchJwks('file:///etc/passwd'))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('cachePolicy', () => {
  const limits = { defaultTtlMs: 300_000, maxTtlMs: 86_400_000 };
  it('reads max-age minus Age, Expires, the default, and caps it', () => {
    expect(cachePolicy(new Headers({ 'cache-control': 'max-age=100', age: '40' }), 0, limits).freshForMs).toBe(60_000);
    expect(
      cachePolicy(new Headers({ expires: 'Thu, 01 Jan 1970 00:01:40 GMT', date: 'Thu, 01 Jan 1970 00:00:00 GMT' }), 0, limits)
        .freshForMs,
    ).toBe(100_000);
    expect(cachePolicy(new Headers(), 0, limits).freshForMs).toBe(300_000);
    expect(cachePolicy(new Headers({ 'cache-control': 'max-age=999999999' }), 0, limits).freshForMs).toBe(86_400_000);
    expect(cachePolicy(new Headers({ expires: '0' }), 0, limits).freshForMs).toBe(0);
  });
});

describe('verifyWithKeySource', () => {
  it('verifies with a JWKS URL', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const out = await verifyWithKeySource(
      { token, keySource: { type: 'jwks-url', url: `${base}/jwks` } },
      { fetcher: new KeyFetcher(), now: Date.now },
    );
    expect(out.signature.state).toBe('verified');
    expect(out.keySource).toMatchObject({ type: 'jwks-url', cache: 'miss', keyCount: 1 });
  });

  it('verifies with an issuer through its discovery document', async () => {
    const base = await serve((req, res) => {
      const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200);
        res.end(JSON.stringify({ issuer: origin, jwks_uri: `${origin}/keys` }));
      } else if (req.url === '/keys') {
        res.writeHead(200);
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const out = await verifyWithKeySource(
      { token, keySource: { type: 'issuer', issuer: base } },
      { fetcher: new KeyFetcher(), now: Date.now },
    );
    expect(out.signature.state).toBe('verified');
    expect(out.keySource.jwksUri).toBe(`${base}/keys`);
  });

  it('refuses a discovery document naming another issuer with ERR_ISSUER_MISMATCH', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200);
      res.end(JSON.stringify({ issuer: 'https://evil.example', jwks_uri: 'https://evil.example/keys' }));
    });
    expect(
      await codeOf(
        verifyWithKeySource({ token, keySource: { type: 'issuer', issuer: base } }, { fetcher: new KeyFetcher(), now: Date.now }),
      ),
    ).toBe('ERR_ISSUER_MISMATCH');
  });

  it('refetches a cached JWKS once when the kid is new (key rotation)', async () => {
    let keys = [jwk];
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=3600' });
      res.end(JSON.stringify({ keys }));
    });
    const fetcher = new KeyFetcher();
    const deps = { fetcher, now: Date.now };
    expect(
      (await verifyWithKeySource({ token, keySource: { type: 'jwks-url', url: `${base}/jwks` } }, deps)).signature.state,
    ).toBe('verified');
    keys = [jwk, rotatedJwk];
    const out = await verifyWithKeySource({ token: rotatedToken, keySource: { type: 'jwks-url', url: `${base}/jwks` } }, deps);
    expect(out.signature.state).toBe('verified');
    expect(out.keySource.cache).toBe('refreshed');
  });

  it('refetches for an unknown kid at most once per cooldown period', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=3600' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const deps = { fetcher: new KeyFetcher(), now: Date.now };
    const source = { type: 'jwks-url' as const, url: `${base}/jwks` };
    await verifyWithKeySource({ token, keySource: source }, deps);
    for (let i = 0; i < 3; i++) {
      const out = await verifyWithKeySource({ token: rotatedToken, keySource: source }, deps);
      expect(out.signature).toMatchObject({ state: 'invalid', reason: 'NO_MATCHING_KEY' });
    }
    expect(requests).toHaveLength(2);
  });

  it('never fetches the jku of the token', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200);
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const k = await generateKeyPair('ES256');
    const t = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', jku: `${base}/attacker-jwks`, x5u: `${base}/attacker-cert` })
      .sign(k.privateKey);
    const out = await verifyWithKeySource(
      { token: t, keySource: { type: 'none' } },
      { fetcher: new KeyFetcher(), now: Date.now },
    );
    expect(out.signature.state).toBe('unverified');
    expect(out.findings.map((f) => f.code)).toContain('UNTRUSTED_KEY_REFERENCE');
    expect(requests).toEqual([]);
  });

  it('reports an invalid signature as a SIGNATURE_INVALID finding', async () => {
    const out = await verifyWithKeySource(
      { token, keySource: { type: 'secret', secret: 'nope' } },
      { fetcher: new KeyFetcher(), now: Date.now },
    );
    expect(out.signature.state).toBe('invalid');
    expect(out.findings[0]?.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses input without a JWT with ERR_INVALID_ARGUMENT', async () => {
    expect(
      await codeOf(
        verifyWithKeySource({ token: 'opaque-token', keySource: { type: 'none' } }, { fetcher: new KeyFetcher(), now: Date.now }),
      ),
    ).toBe('ERR_INVALID_ARGUMENT');
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oauthHarness, type OAuthHarness } from '../../helpers/oidc-provider.ts';

/** A real authorization server that misbehaves as the test says: refusals without an OAuth error body. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base: string;
const routes = new Map<string, Handler>();
let h: OAuthHarness;
let profileId: string;

function answer(status: number, body: string, contentType?: string): Handler {
  return (_req, res) => {
    res.writeHead(status, contentType ? { 'content-type': contentType } : {});
    res.end(body);
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(new URL(req.url ?? '/', base).pathname);
    (route ?? answer(404, ''))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h = await oauthHarness({ requestTimeoutMs: 2500 });
  profileId = (
    await h.oauth.saveProfile({
      name: 'misbehaving',
      settings: { issuer: base, clientId: 'c', authMethod: 'client_secret_post', scope: 'api' },
      clientSecret: 'misbehaving-secret-0123456789',
    })
  ).id;
});

beforeEach(() => {
  routes.clear();
  routes.set(
    '/.well-known/openid-configuration',
    answer(200, JSON.stringify({ issuer: base, token_endpoint: `${base}/token` }), 'application/json'),
  );
});

afterAll(async () => {
  await h?.close();
  server?.closeAllConnections();
  server?.close();
});

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; detail?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; detail?: Record<string, unknown> };
  }
  throw new Error('expected a failure');
}

describe('a refusal without an OAuth error body names the endpoint and the HTTP status', () => {
  const cases: [string, Handler, string, string][] = [
    ['403 with an empty body', answer(403, ''), 'ERR_TOKEN_ENDPOINT', 'the token endpoint answered HTTP 403 with an empty body'],
    [
      '401 with an HTML page',
      answer(401, '<h1>no</h1>', 'text/html; charset=utf-8'),
      'ERR_TOKEN_ENDPOINT',
      'the token endpoint answered HTTP 401 with a text/html body',
    ],
    [
      '400 with JSON that is no OAuth error',
      answer(400, '{"message":"bad"}', 'application/json'),
      'ERR_TOKEN_ENDPOINT',
      'the token endpoint answered HTTP 400 with a JSON body without an OAuth error',
    ],
    [
      '200 with text/plain',
      answer(200, 'access_token=abc', 'text/plain'),
      'ERR_INVALID_RESPONSE',
      'the token endpoint answered HTTP 200 with a text/plain body, where its JSON answer was expected',
    ],
  ];
  for (const [name, handler, code, message] of cases) {
    it(`${name}: ${message}`, async () => {
      routes.set('/token', handler);
      const error = await failure(h.oauth.clientCredentials({ profileId }));
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error.message).not.toContain('content-type');
      expect(error.detail?.['status']).toBe(Number(/HTTP (\d+)/.exec(message)![1]));
      expect(h.store.count()).toBe(0);
    });
  }

  it('discovery answering 403 empty names the discovery endpoint', async () => {
    routes.set('/.well-known/openid-configuration', answer(403, ''));
    const error = await failure(h.oauth.discover({ issuer: base }));
    expect(error.code).toBe('ERR_DISCOVERY');
    expect(error.message).toBe('the discovery endpoint answered HTTP 403 with an empty body');
  });
});

describe('ERR_NETWORK names the URL and the cause', () => {
  it('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(h.oauth.discover({ issuer: `http://127.0.0.1:${port}` }));
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.message).toContain(`http://127.0.0.1:${port}/.well-known/openid-configuration`);
    expect(error.message).toContain('connection refused');
    expect(error.detail?.['cause']).toBe('refused');
  });

  it('TLS: an https URL on a plain HTTP port', async () => {
    const error = await failure(h.oauth.discover({ issuer: base.replace('http:', 'https:') }));
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.message).toContain('TLS failed');
    expect(error.detail?.['cause']).toBe('tls');
  });

  it('DNS: a host that does not exist', async () => {
    const error = await failure(h.oauth.discover({ issuer: 'https://no-such-host.invalid' }));
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.message).toContain('https://no-such-host.invalid/.well-known/openid-configuration');
    expect(error.message).toContain('DNS lookup failed');
    expect(error.detail?.['cause']).toBe('dns');
  });

  it('timeout: an endpoint that never answers', async () => {
    routes.set('/token', () => undefined);
    const error = await failure(h.oauth.clientCredentials({ profileId }));
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.message).toContain(`${base}/token`);
    expect(error.message).toContain('timeout');
  });
});

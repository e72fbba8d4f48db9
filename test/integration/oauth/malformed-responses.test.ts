import { flowErrorCode } from '../../helpers/flow-events.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oauthHarness, type OAuthHarness } from '../../helpers/oidc-provider.ts';

/** A stub authorization server whose endpoints answer whatever the test sets. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base: string;
const routes = new Map<string, Handler>();
let h: OAuthHarness;
let profileId: string;

function json(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };
}

let issued = 0;
/** A valid token response with fresh values each time (the history deduplicates by value). */
const valid: Handler = (req, res) => {
  issued += 1;
  json(
    200,
    JSON.stringify({
      access_token: `stub-access-token-${issued}-0123456789`,
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: `stub-refresh-token-${issued}-0123456789`,
    }),
  )(req, res);
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(new URL(req.url ?? '/', base).pathname);
    if (route) route(req, res);
    else json(404, '{"error":"not_found"}')(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h = await oauthHarness({ requestTimeoutMs: 2500 });
  profileId = (
    await h.oauth.saveProfile({
      name: 'stub',
      settings: { issuer: base, clientId: 'stub-client', authMethod: 'client_secret_post', scope: 'api' },
      clientSecret: 'stub-secret-0123456789',
    })
  ).id;
});

beforeEach(() => {
  routes.clear();
  routes.set(
    '/.well-known/openid-configuration',
    json(
      200,
      JSON.stringify({
        issuer: base,
        token_endpoint: `${base}/token`,
        introspection_endpoint: `${base}/introspect`,
        revocation_endpoint: `${base}/revoke`,
      }),
    ),
  );
});

afterAll(async () => {
  await h?.close();
  server?.closeAllConnections();
  server?.close();
});

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return 'resolved';
}

describe('malformed token responses are typed errors and store nothing', () => {
  const cases: [string, Handler, string][] = [
    ['a truncated JSON body', json(200, '{"'), 'ERR_INVALID_RESPONSE'],
    ['a null body', json(200, 'null'), 'ERR_INVALID_RESPONSE'],
    ['an array body', json(200, '[]'), 'ERR_INVALID_RESPONSE'],
    ['no access_token', json(200, '{"token_type":"Bearer","expires_in":300}'), 'ERR_INVALID_RESPONSE'],
    ['no token_type', json(200, '{"access_token":"abc","expires_in":300}'), 'ERR_INVALID_RESPONSE'],
    [
      'expires_in as a date string',
      json(200, '{"access_token":"abc","token_type":"Bearer","expires_in":"2030-01-01T00:00:00Z"}'),
      'ERR_INVALID_RESPONSE',
    ],
    [
      'an HTML 500 page',
      (_req, res) => {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body>Internal Server Error</body></html>');
      },
      'ERR_TOKEN_ENDPOINT',
    ],
    ['a hanging endpoint', () => undefined, 'ERR_TIMEOUT'],
    [
      'a body that never ends',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"access_token":');
      },
      'ERR_TIMEOUT',
    ],
  ];
  for (const [name, handler, expected] of cases) {
    it(`${name} → ${expected}`, async () => {
      routes.set('/token', handler);
      expect(await codeOf(h.oauth.clientCredentials({ profileId }))).toBe(expected);
      expect(h.store.count()).toBe(0);
    });
  }

  it('an HTML 500 keeps the HTTP status in the error detail', async () => {
    routes.set('/token', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html></html>');
    });
    await expect(h.oauth.clientCredentials({ profileId })).rejects.toMatchObject({ detail: { status: 500 } });
  });

  it('a failed action is still logged, under the flow id its error names', async () => {
    routes.set('/token', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html></html>');
    });
    const failure = (await h.oauth.clientCredentials({ profileId }).then(
      () => null,
      (e: unknown) => e,
    )) as { detail: { flowId: string } };
    const logged = h.oauth.listExchanges({ flowId: failure.detail.flowId });
    expect(logged.some((e) => e.url === `${base}/token` && e.status === 500)).toBe(true);
    expect(JSON.stringify(logged)).not.toContain('stub-secret-0123456789');
  });
});

describe('token actions against a misbehaving server', () => {
  async function obtain(): Promise<{ grantId: string; accessId: string; refreshId: string }> {
    routes.set('/token', valid);
    const result = await h.oauth.clientCredentials({ profileId });
    return {
      grantId: result.grantId,
      accessId: result.tokens.find((t) => t.kind === 'access_token')!.id,
      refreshId: result.tokens.find((t) => t.kind === 'refresh_token')!.id,
    };
  }

  it('revocation answering 503 is ERR_REVOCATION and the token stays active', async () => {
    const { accessId } = await obtain();
    routes.set('/revoke', (_req, res) => {
      res.writeHead(503);
      res.end();
    });
    await expect(h.oauth.revokeToken({ tokenId: accessId })).rejects.toMatchObject({
      code: 'ERR_REVOCATION',
      detail: { status: 503 },
    });
    expect(h.store.getTokenSummary(accessId)!.status).toBe('active');
  });

  it('any 200 from the revocation endpoint is success', async () => {
    const { accessId } = await obtain();
    routes.set('/revoke', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    await expect(h.oauth.revokeToken({ tokenId: accessId })).resolves.toEqual({ tokenId: accessId, revoked: true });
  });

  it('introspection with a non-boolean active is ERR_INVALID_RESPONSE', async () => {
    const { accessId } = await obtain();
    routes.set('/introspect', json(200, '{"active":"true"}'));
    expect(await codeOf(h.oauth.introspectToken({ tokenId: accessId }))).toBe('ERR_INVALID_RESPONSE');
    expect(h.store.getTokenSummary(accessId)!.status).toBe('active');
  });

  it('refresh refused with invalid_grant is ERR_INVALID_GRANT and marks the grant dead', async () => {
    const { grantId, refreshId } = await obtain();
    routes.set('/token', json(400, '{"error":"invalid_grant","error_description":"refresh token expired"}'));
    await expect(h.oauth.refreshToken({ tokenId: refreshId })).rejects.toMatchObject({
      code: 'ERR_INVALID_GRANT',
      detail: { error: 'invalid_grant' },
    });
    expect(h.store.getGrantSummary(grantId)!.state).toBe('dead');
    // A dead grant is not asked again.
    await expect(h.oauth.refreshToken({ tokenId: refreshId })).rejects.toMatchObject({ code: 'ERR_INVALID_GRANT' });
  });

  it('a malformed refresh response stores nothing and keeps the old refresh token', async () => {
    const { grantId, refreshId } = await obtain();
    const before = h.store.count();
    routes.set('/token', json(200, '{"access_token":"x","token_type":"Bearer","expires_in":"soon"}'));
    expect(await codeOf(h.oauth.refreshToken({ tokenId: refreshId }))).toBe('ERR_INVALID_RESPONSE');
    expect(h.store.count()).toBe(before);
    expect(h.store.getTokenSummary(refreshId)!.status).toBe('active');
    expect(h.store.getGrantSummary(grantId)!.state).toBe('live');
  });

  it('a server without a revocation endpoint makes revoke ERR_NOT_SUPPORTED', async () => {
    const { accessId } = await obtain();
    const bare = await h.oauth.saveProfile({
      name: 'bare',
      settings: {
        issuer: base,
        discovery: false,
        endpoints: { tokenEndpoint: `${base}/token` },
        clientId: 'stub-client',
        authMethod: 'client_secret_post',
      },
      clientSecret: 'stub-secret-0123456789',
    });
    const tokenOfBare = await (async () => {
      routes.set('/token', json(200, JSON.stringify({ access_token: 'bare-access-token-0123456789', token_type: 'Bearer' })));
      return (await h.oauth.clientCredentials({ profileId: bare.id })).tokens[0]!.id;
    })();
    expect(await codeOf(h.oauth.revokeToken({ tokenId: tokenOfBare }))).toBe('ERR_NOT_SUPPORTED');
    expect(accessId).toBeTruthy();
  });
});

describe('discovery', () => {
  it('a missing discovery document is ERR_DISCOVERY with the status', async () => {
    routes.clear();
    await expect(h.oauth.discover({ issuer: base })).rejects.toMatchObject({ code: 'ERR_DISCOVERY', detail: { status: 404 } });
  });

  it('metadata naming another issuer is ERR_ISSUER_MISMATCH', async () => {
    routes.set(
      '/.well-known/openid-configuration',
      json(200, JSON.stringify({ issuer: 'https://other.example', token_endpoint: `${base}/token` })),
    );
    expect(await codeOf(h.oauth.discover({ issuer: base }))).toBe('ERR_ISSUER_MISMATCH');
  });

  it('falls back to RFC 8414 metadata', async () => {
    routes.delete('/.well-known/openid-configuration');
    routes.set(
      '/.well-known/oauth-authorization-server',
      json(200, JSON.stringify({ issuer: base, token_endpoint: `${base}/token` })),
    );
    const found = await h.oauth.discover({ issuer: base });
    expect(found.issuer).toBe(base);
    expect(found.supports.revocation).toBe(false);
  });

  it('a closed port is ERR_NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await codeOf(h.oauth.discover({ issuer: `http://127.0.0.1:${port}` }))).toBe('ERR_NETWORK');
  });

  it('a remote http issuer is refused as ERR_PROFILE_INVALID', async () => {
    expect(await codeOf(h.oauth.discover({ issuer: 'http://example.com' }))).toBe('ERR_PROFILE_INVALID');
  });
});

describe('auto-refresh (per profile, off by default)', () => {
  it('refreshes shortly before expiry only when the profile asks for it', async () => {
    let refreshes = 0;
    routes.set('/token', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (new URLSearchParams(body).get('grant_type') === 'refresh_token') refreshes += 1;
        issued += 1;
        json(
          200,
          JSON.stringify({
            access_token: `auto-access-${issued}-0123456789`,
            token_type: 'Bearer',
            expires_in: 1,
            refresh_token: `auto-refresh-${issued}-0123456789`,
          }),
        )(req, res);
      });
    });
    await h.oauth.clientCredentials({ profileId });
    const auto = await h.oauth.saveProfile({
      name: 'auto',
      settings: { issuer: base, clientId: 'stub-client', authMethod: 'client_secret_post', scope: 'api', autoRefresh: true },
      clientSecret: 'stub-secret-0123456789',
    });
    const result = await h.oauth.clientCredentials({ profileId: auto.id });
    await expect.poll(() => refreshes, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    // The manual profile's grant was never refreshed: every refresh belongs to the auto profile's grant.
    const grantRefreshes = h.oauth
      .listExchanges({ grantId: result.grantId })
      .filter((e) => (e.requestBody ?? '').includes('grant_type=refresh_token'));
    expect(grantRefreshes.length).toBe(refreshes);
    // Deleting the profile stops its automatic refreshes.
    h.oauth.deleteProfile({ id: auto.id });
    const after = refreshes;
    await new Promise((r) => setTimeout(r, 1200));
    expect(refreshes).toBe(after);
  });
});

describe('auto-refresh after a restart', () => {
  it('a new back end on the same history arms the timer again', async () => {
    let refreshes = 0;
    routes.set('/token', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (new URLSearchParams(body).get('grant_type') === 'refresh_token') refreshes += 1;
        issued += 1;
        json(
          200,
          JSON.stringify({
            access_token: `restart-access-${issued}-0123456789`,
            token_type: 'Bearer',
            expires_in: 2,
            refresh_token: `restart-refresh-${issued}-0123456789`,
          }),
        )(req, res);
      });
    });
    const first = await oauthHarness({ requestTimeoutMs: 2500 });
    const dataDir = first.platform.dataDir;
    const auto = await first.oauth.saveProfile({
      name: 'auto',
      settings: { issuer: base, clientId: 'stub-client', authMethod: 'client_secret_post', scope: 'api', autoRefresh: true },
      clientSecret: 'stub-secret-0123456789',
    });
    await first.oauth.clientCredentials({ profileId: auto.id });
    await first.close();
    expect(refreshes).toBe(0);
    const second = await oauthHarness({ requestTimeoutMs: 2500, dataDir });
    try {
      await expect.poll(() => refreshes, { timeout: 4000 }).toBeGreaterThanOrEqual(1);
    } finally {
      await second.close();
    }
  });
});

describe('device flow polling rules (RFC 8628 §3.5)', () => {
  // An issuer of its own: the service caches each issuer's metadata for a few minutes.
  let deviceProfileId = '';
  beforeAll(async () => {
    deviceProfileId = (
      await h.oauth.saveProfile({
        name: 'stub device',
        settings: { issuer: `${base}/dev`, clientId: 'stub-client', authMethod: 'client_secret_post', scope: 'api' },
        clientSecret: 'stub-secret-0123456789',
      })
    ).id;
  });

  function deviceRoutes(answers: Handler[]): number[] {
    const times: number[] = [];
    routes.set(
      '/dev/.well-known/openid-configuration',
      json(
        200,
        JSON.stringify({
          issuer: `${base}/dev`,
          token_endpoint: `${base}/token`,
          device_authorization_endpoint: `${base}/device`,
        }),
      ),
    );
    routes.set(
      '/device',
      json(
        200,
        JSON.stringify({
          device_code: 'stub-device-code-0123456789',
          user_code: 'ABCD-EFGH',
          verification_uri: `${base}/activate`,
          expires_in: 30,
          interval: 0.05,
        }),
      ),
    );
    routes.set('/token', (req, res) => {
      times.push(Date.now());
      const answer = answers.shift() ?? json(400, '{"error":"authorization_pending"}');
      answer(req, res);
    });
    return times;
  }

  it('keeps polling on authorization_pending, honours Retry-After on 503, then stores the tokens', async () => {
    const times = deviceRoutes([
      json(400, '{"error":"authorization_pending"}'),
      (_req, res) => {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' });
        res.end('busy');
      },
      valid,
    ]);
    const start = await h.oauth.startDeviceFlow({ profileId: deviceProfileId });
    expect(start).toMatchObject({ userCode: 'ABCD-EFGH', verificationUriComplete: null, intervalSeconds: 0.05 });
    const final = await h.finished(start.flowId);
    expect(final.state).toBe('done');
    expect(times).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900);
    expect(times[1]! - times[0]!).toBeLessThan(900);
  });

  it('expired_token ends the flow with ERR_DEVICE_EXPIRED and stores nothing', async () => {
    deviceRoutes([json(400, '{"error":"expired_token"}')]);
    const before = h.store.count();
    const start = await h.oauth.startDeviceFlow({ profileId: deviceProfileId });
    const final = await h.finished(start.flowId);
    expect(flowErrorCode(final)).toBe('ERR_DEVICE_EXPIRED');
    expect(h.store.count()).toBe(before);
  });

  it('a malformed device authorization response is ERR_INVALID_RESPONSE', async () => {
    deviceRoutes([]);
    routes.set('/device', json(200, '{"device_code":"x"}'));
    expect(await codeOf(h.oauth.startDeviceFlow({ profileId: deviceProfileId }))).toBe('ERR_INVALID_RESPONSE');
  });
});

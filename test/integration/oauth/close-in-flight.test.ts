import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthHarness, type OAuthHarness } from '../../helpers/oidc-provider.ts';
import type { GrantResult } from '../../../src/shared/oauth.ts';

/** A stub authorization server: the token endpoint answers once, then hangs (as do introspection and revocation). */
let server: Server;
let base: string;
let h: OAuthHarness;
let hang = false;
/** Resolves the waiters each time a request reaches a hanging endpoint. */
const arrived: string[] = [];
let onArrive: (() => void) | null = null;

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', base).pathname;
  if (path === '/.well-known/openid-configuration') {
    send(res, {
      issuer: base,
      token_endpoint: `${base}/token`,
      introspection_endpoint: `${base}/introspect`,
      revocation_endpoint: `${base}/revoke`,
    });
  } else if (hang) {
    // Never answers: only an abort ends the request.
    arrived.push(path);
    onArrive?.();
  } else if (path === '/token') {
    send(res, {
      access_token: 'close-access-0123456789',
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: 'close-refresh-0123456789',
    });
  } else {
    res.writeHead(404).end();
  }
}

function untilArrived(n: number): Promise<void> {
  return new Promise((resolve) => {
    onArrive = () => {
      if (arrived.length >= n) resolve();
    };
    onArrive();
  });
}

const WRITE_METHODS = ['write', 'saveToken', 'setTokenStatus', 'createGrant', 'markGrantDead', 'addEvent', 'addExchange'];

/** Records every store write made once `after()` is true (the service holds this very store object). */
function writesAfter(store: object, after: () => boolean): string[] {
  const late: string[] = [];
  const target = store as Record<string, (...args: unknown[]) => unknown>;
  for (const name of WRITE_METHODS) {
    const original = target[name]!.bind(store);
    target[name] = (...args: unknown[]) => {
      if (after()) late.push(name);
      return original(...args);
    };
  }
  return late;
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A long request timeout: the calls must end because of close(), not because they timed out.
  h = await oauthHarness({ requestTimeoutMs: 60_000 });
});

afterAll(async () => {
  await h?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('close() with requests in flight', () => {
  it('aborts a hanging refresh and introspection: both settle with ERR_CANCELLED at once and nothing is written after close', async () => {
    const profile = await h.oauth.saveProfile({
      name: 'stub',
      settings: { issuer: base, clientId: 'stub-client', authMethod: 'client_secret_post', scope: 'api' },
      clientSecret: 'stub-secret-0123456789',
    });
    const obtained: GrantResult = await h.oauth.clientCredentials({ profileId: profile.id });
    const refreshId = obtained.tokens.find((t) => t.kind === 'refresh_token')!.id;
    const accessId = obtained.tokens.find((t) => t.kind === 'access_token')!.id;
    const tokensBefore = h.store.count();
    const eventsBefore = h.store.getEvents({ grantId: obtained.grantId }).length;

    hang = true;
    const refresh = h.oauth.refreshToken({ tokenId: refreshId });
    const introspect = h.oauth.introspectToken({ tokenId: accessId });
    // Observed outcomes, so neither rejection goes unhandled while close() runs.
    const settled = Promise.allSettled([refresh, introspect]);
    await untilArrived(2);
    expect(arrived.sort()).toEqual(['/introspect', '/token']);

    let closed = false;
    const late = writesAfter(h.store, () => closed);
    const started = performance.now();
    await h.oauth.close();
    closed = true;
    const [refreshOutcome, introspectOutcome] = await settled;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(refreshOutcome).toMatchObject({ status: 'rejected', reason: { code: 'ERR_CANCELLED' } });
    expect(introspectOutcome).toMatchObject({ status: 'rejected', reason: { code: 'ERR_CANCELLED' } });

    // Nothing from the aborted calls reached the history: same tokens, the refresh token still active, no events.
    expect(h.store.count()).toBe(tokensBefore);
    expect(h.store.getTokenSummary(refreshId)?.status).toBe('active');
    expect(h.store.getGrantSummary(obtained.grantId)?.state).not.toBe('dead');
    expect(h.store.getEvents({ grantId: obtained.grantId })).toHaveLength(eventsBefore);
    // The aborted requests are in the exchange log without a response (written while closing, before close returned).
    const token = h.oauth.listExchanges({ grantId: obtained.grantId }).filter((e) => e.url.endsWith('/token'));
    expect(token.filter((e) => e.status === null)).toHaveLength(1);

    // A new action is refused, and a moment later still nothing has been written.
    await expect(h.oauth.revokeToken({ tokenId: accessId })).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(late).toEqual([]);
  });
});

/**
 * flow: a full authorization code + PKCE loopback flow against the demo issuer with a scripted login
 * (plain HTTP: redirects, cookie, the login form), through our back end, against the same flow written
 * directly with openid-client. Both use one running demo issuer and the same login script.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as client from 'openid-client';
import { startDemoIssuer } from '../../src/main/demo-issuer/demo-issuer.ts';
import { createOAuthService, type DemoIssuerHandle } from '../../src/main/oauth/oauth-service.ts';
import { createServices } from '../../src/main/services.ts';
import { openStore } from '../../src/main/store/index.ts';
import type { TokenscopeEvent } from '../../src/shared/api.ts';
import type { Result } from '../../src/shared/result.ts';
import { benchPlatform } from '../fixtures.ts';
import { interleaved } from '../measure.ts';
import { measuredResult, type BenchResult } from '../report.ts';

/** What a user's browser does between the authorization URL and the loopback redirect: follow redirects, keep the cookies, sign in. */
export async function scriptedLogin(authorizationUrl: string, username = 'alice'): Promise<{ callbackStatus: number; hops: number }> {
  const cookies = new Map<string, string>();
  const issuerOrigin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 25; hop++) {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    if (target.origin === issuerOrigin && cookies.size > 0) headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    if (target.origin !== issuerOrigin) return { callbackStatus: res.status, hops: hop };
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    const action = /<form method="post" action="([^"]+\/login)"/.exec(text)?.[1];
    if (res.status === 200 && action) {
      url = new URL(action.replace(/&#47;/g, '/'), url).toString();
      method = 'POST';
      body = new URLSearchParams({ username }).toString();
      continue;
    }
    throw new Error(`scripted login stuck at ${target.pathname}: HTTP ${String(res.status)}`);
  }
  throw new Error('scripted login: too many redirects');
}

interface FlowSide {
  /** The issuer this side's flows go to (the baseline follows ours). */
  readonly issuer: string;
  run(): Promise<void>;
  close(): Promise<void>;
  readonly label: string;
}

type ApiCall = (arg?: unknown) => Promise<Result<unknown>>;

/** Ours: through the contract (createServices) when it offers the OAuth methods, else through the OAuth service the contract wraps. */
async function oursSide(tmp: string, handle: DemoIssuerHandle): Promise<FlowSide> {
  const dataDir = join(tmp, 'flow-ours');
  let login: ((url: string) => Promise<unknown>) | null = null;
  let pending: Promise<unknown> = Promise.resolve();
  const platform = benchPlatform(dataDir, (url) => {
    // The system browser: the scripted login starts as soon as the back end opens the URL.
    pending = login ? login(url) : Promise.reject(new Error('no browser'));
    return Promise.resolve();
  });
  login = async (url) => {
    const r = await scriptedLogin(url);
    if (r.callbackStatus !== 200) throw new Error(`our flow ended with HTTP ${String(r.callbackStatus)} on the callback`);
  };
  const backend = await createServices(platform);
  const api = backend as unknown as Record<string, ApiCall | undefined>;
  const ensureDemo = api['ensureDemoIssuer'];
  const startLogin = api['startLogin'];
  if (ensureDemo && startLogin) {
    const demo = await ensureDemo();
    if (!demo.ok) throw new Error(`ensureDemoIssuer: ${demo.error.code}`);
    const profileId = (demo.value as { profileId: string }).profileId;
    return {
      issuer: (demo.value as { issuer: string }).issuer,
      label: 'through createServices (the contract)',
      async run() {
        const r = await startLogin({ profileId });
        if (!r.ok) throw new Error(`startLogin: ${r.error.code} ${r.error.message}`);
        await pending;
      },
      close: () => backend.close(),
    };
  }
  await backend.close();
  const store = await openStore(platform);
  const events: TokenscopeEvent[] = [];
  const oauth = createOAuthService({
    platform,
    store,
    emit: (e) => events.push(e),
    // The demo issuer both sides use (same process, same port).
    startDemoIssuer: () => Promise.resolve({ ...handle, close: () => Promise.resolve() }),
  });
  const demo = await oauth.ensureDemoIssuer();
  return {
    issuer: demo.issuer,
    label: 'through the OAuth service (createOAuthService + Store); services.ts does not offer startLogin yet',
    async run() {
      const start = await oauth.startLogin({ profileId: demo.profileId });
      await pending;
      const done = events.find((e) => e.type === 'flow-progress' && e.flowId === start.flowId && e.state === 'done');
      if (!done) throw new Error('our flow did not finish');
    },
    async close() {
      await oauth.close();
      store.close();
    },
  };
}

/** The baseline: the same flow with openid-client (discovery once, like our metadata cache), its own loopback listener. */
async function openidClientSide(handle: DemoIssuerHandle, issuer: string): Promise<FlowSide> {
  const spec = handle.profiles.find((p) => p.role === 'native');
  if (!spec) throw new Error('the demo issuer offers no native profile');
  const config = await client.discovery(new URL(issuer), spec.clientId, undefined, client.None(), {
    // The demo issuer listens on http://127.0.0.1 (loopback only): the one place plain HTTP is right.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    execute: [client.allowInsecureRequests],
  });
  return {
    issuer,
    label: 'openid-client',
    async run() {
      const verifier = client.randomPKCECodeVerifier();
      const challenge = await client.calculatePKCECodeChallenge(verifier);
      const state = client.randomState();
      const nonce = client.randomNonce();
      let done!: (e?: unknown) => void;
      const finished = new Promise<void>((resolve, reject) => {
        done = (e) => (e === undefined ? resolve() : reject(e instanceof Error ? e : new Error('the callback failed')));
      });
      const server: Server = createServer((req, res) => {
        const current = new URL(req.url ?? '/', redirectUri);
        if (current.pathname !== '/callback') {
          res.writeHead(404).end();
          return;
        }
        client
          .authorizationCodeGrant(config, current, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true })
          .then((tokens) => {
            if (!tokens.access_token) throw new Error('no access token');
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end('<!DOCTYPE html><title>Signed in</title><p>Signed in.</p>');
            done();
          })
          .catch((e: unknown) => {
            res.writeHead(400).end();
            done(e);
          });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const redirectUri = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/callback`;
      try {
        const url = client.buildAuthorizationUrl(config, {
          ...spec.authorizationParams,
          redirect_uri: redirectUri,
          scope: spec.scope,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        const r = await scriptedLogin(url.href);
        if (r.callbackStatus !== 200) throw new Error(`openid-client flow ended with HTTP ${String(r.callbackStatus)}`);
        await finished;
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    close: () => Promise.resolve(),
  };
}

export async function benchFlow(tmp: string, flows: number): Promise<BenchResult> {
  const handle = await startDemoIssuer();
  let ours: FlowSide | undefined;
  try {
    ours = await oursSide(tmp, handle);
    const base = await openidClientSide(handle, ours.issuer);
    // One warm-up flow each (discovery, JIT, the issuer's keys).
    await ours.run();
    await base.run();
    const o = ours;
    const time = async (side: FlowSide): Promise<number> => {
      const t0 = performance.now();
      await side.run();
      return performance.now() - t0;
    };
    const r = await interleaved(flows, () => time(o), () => time(base));
    return measuredResult('flow', r.ours, r.baseline, `ours ${o.label}; median of ${String(flows)} interleaved flows after one warm-up each; both against one demo issuer with the same scripted login`);
  } finally {
    await ours?.close();
    await handle.close();
  }
}

/**
 * flow: a full authorization code + PKCE loopback flow against the demo issuer with a scripted login
 * (plain HTTP: redirects, cookie, the login form), through our back end, against the same flow written
 * directly with openid-client. Both use one running demo issuer and the same login script.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as client from 'openid-client';
import { createServices } from '../../src/main/services.ts';
import { benchPlatform } from '../fixtures.ts';
import { median, measuredResult, type BenchResult } from '../report.ts';

/** What a user's browser does between the authorization URL and the loopback redirect: follow redirects, keep the cookies, sign in. */
export async function scriptedLogin(
  authorizationUrl: string,
  username = 'alice',
): Promise<{ callbackStatus: number; hops: number }> {
  const cookies = new Map<string, string>();
  const issuerOrigin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 25; hop++) {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    if (target.origin === issuerOrigin && cookies.size > 0)
      headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
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

interface ClientSpec {
  readonly clientId: string;
  readonly scope: string;
  readonly authorizationParams: Readonly<Record<string, string>>;
}

interface FlowSide {
  /** The issuer this side's flows go to, and the client request (the baseline makes the same one as ours). */
  readonly issuer: string;
  readonly spec: ClientSpec;
  run(): Promise<void>;
  close(): Promise<void>;
  readonly label: string;
}

interface OursSide extends FlowSide {
  /**
   * The same flow with the profile's PAR setting at `never` (the request in the browser URL, as the baseline sends
   * it), for the row's note only: set through the contract before the flow and put back after, outside the timing.
   */
  timedWithoutPar(): Promise<number>;
}

/** Ours: the contract as every front door holds it (createServices), its own demo issuer started by ensureDemoIssuer. */
async function oursSide(tmp: string): Promise<OursSide> {
  let pending: Promise<void> = Promise.resolve();
  // The system browser: the scripted login starts as soon as the back end opens the URL.
  const platform = benchPlatform(join(tmp, 'flow-ours'), (url) => {
    pending = scriptedLogin(url).then((r) => {
      if (r.callbackStatus !== 200) throw new Error(`our flow ended with HTTP ${String(r.callbackStatus)} on the callback`);
    });
    return Promise.resolve();
  });
  const backend = await createServices(platform);
  try {
    const demo = await backend.ensureDemoIssuer();
    if (!demo.ok) throw new Error(`ensureDemoIssuer: ${demo.error.code} ${demo.error.message}`);
    const { profileId, issuer } = demo.value;
    const profiles = await backend.listProfiles();
    const profile = profiles.ok ? profiles.value.find((p) => p.id === profileId) : undefined;
    if (!profile) throw new Error('the demo profile is missing from listProfiles');
    const { clientId, scope, authorizationParams } = profile.settings;
    if (profile.settings.par !== 'auto')
      throw new Error(`the demo profile's PAR setting is ${profile.settings.par}, not the default auto`);
    const login = async (expectPushed: boolean): Promise<void> => {
      const r = await backend.startLogin({ profileId });
      if (!r.ok) throw new Error(`startLogin: ${r.error.code} ${r.error.message}`);
      if (r.value.par.pushed !== expectPushed)
        throw new Error(`startLogin: pushed ${String(r.value.par.pushed)}: ${r.value.par.why}`);
      // The callback's response comes once the tokens are exchanged, checked and stored.
      await pending;
    };
    const setPar = async (par: 'auto' | 'never'): Promise<void> => {
      const r = await backend.saveProfile({ id: profileId, name: profile.name, settings: { ...profile.settings, par } });
      if (!r.ok) throw new Error(`saveProfile: ${r.error.code} ${r.error.message}`);
    };
    return {
      issuer,
      spec: { clientId, scope, authorizationParams },
      label: 'through createServices (the contract): startLogin, system-browser callback, tokens stored',
      run: () => login(true),
      async timedWithoutPar() {
        await setPar('never');
        try {
          const t0 = performance.now();
          await login(false);
          return performance.now() - t0;
        } finally {
          await setPar('auto');
        }
      },
      close: () => backend.close(),
    };
  } catch (e) {
    await backend.close();
    throw e;
  }
}

/** The baseline: the same flow with openid-client (discovery once, like our metadata cache), its own loopback listener. */
async function openidClientSide(spec: ClientSpec, issuer: string): Promise<FlowSide> {
  const config = await client.discovery(new URL(issuer), spec.clientId, undefined, client.None(), {
    // The demo issuer listens on http://127.0.0.1 (loopback only): the one place plain HTTP is right.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    execute: [client.allowInsecureRequests],
  });
  return {
    issuer,
    spec,
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
          .authorizationCodeGrant(config, current, {
            pkceCodeVerifier: verifier,
            expectedState: state,
            expectedNonce: nonce,
            idTokenExpected: true,
          })
          .then((tokens) => {
            if (!tokens.access_token) throw new Error('no access token');
            res
              .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
              .end('<!DOCTYPE html><title>Signed in</title><p>Signed in.</p>');
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

/** Three sides, each round in a rotated order: ours (the product default, PAR auto), the baseline, ours with PAR never. */
export async function benchFlow(tmp: string, flows: number): Promise<BenchResult> {
  const ours = await oursSide(tmp);
  try {
    const base = await openidClientSide(ours.spec, ours.issuer);
    // One warm-up flow each (discovery, JIT, the issuer's keys).
    await ours.run();
    await base.run();
    await ours.timedWithoutPar();
    const timed = (run: () => Promise<void>) => async (): Promise<number> => {
      const t0 = performance.now();
      await run();
      return performance.now() - t0;
    };
    const auto: number[] = [];
    const baseline: number[] = [];
    const never: number[] = [];
    const sides: readonly { readonly time: () => Promise<number>; readonly times: number[] }[] = [
      { time: timed(() => ours.run()), times: auto },
      { time: timed(() => base.run()), times: baseline },
      // Only the flow is timed; the PAR setting is changed and put back around it.
      { time: () => ours.timedWithoutPar(), times: never },
    ];
    for (let round = 0; round < flows; round++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(round + k) % sides.length];
        if (side) side.times.push(await side.time());
      }
    }
    const o = median(auto);
    const b = median(baseline);
    const n = median(never);
    return measuredResult(
      'flow',
      o,
      b,
      `ours ${ours.label}; median of ${String(flows)} interleaved flows after one warm-up each; both against the one demo issuer with the same scripted login; ours pushes the request first (PAR, the profile default auto; the demo issuer advertises PAR), one round trip the baseline does not make. NOTE, not the row's figure: ours with PAR never in the same run, ${n.toFixed(1)} ms, ratio ${(n / b).toFixed(3)}`,
    );
  } finally {
    await ours.close();
  }
}

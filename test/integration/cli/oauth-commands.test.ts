import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import { signInWithBrowser, startTestIssuer } from '../../helpers/oidc-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';
import { createNodePlatform } from '../../../src/main/node-platform.ts';
import { openStore } from '../../../src/main/store/index.ts';

let browser: Browser;
let issuer: RunningIssuer;
const dataDir = freshDir();

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function capture(): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t), stdin: new PassThrough(), env: { TOKENSCOPE_DATA_DIR: dataDir } },
    out: () => out,
    err: () => err,
  };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

beforeAll(async () => {
  browser = await launchChromium();
  issuer = await startTestIssuer({
    clients: [
      {
        client_id: 'cli-service',
        client_secret: 'cli-service-secret-0123456789',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await issuer?.close();
});

describe('tokenscope CLI: profiles, login and token actions, scriptable end to end', () => {
  let accessId = '';

  it('profile add then profile list --json', async () => {
    const added = await run([
      'profile',
      'add',
      'cli test',
      '--issuer',
      issuer.issuer,
      '--client-id',
      'tokenscope-demo',
      '--scope',
      'openid offline_access',
      '--param',
      'prompt=consent',
    ]);
    expect(added.code).toBe(0);
    const svc = await run([
      'profile',
      'add',
      'cli service',
      '--issuer',
      issuer.issuer,
      '--client-id',
      'cli-service',
      '--client-secret',
      'cli-service-secret-0123456789',
      '--scope',
      '',
    ]);
    expect(svc.code).toBe(0);
    const listed = await run(['profile', 'list', '--json']);
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.out) as { name: string }[]).map((p) => p.name);
    expect(names).toContain('cli test');
    expect(listed.out).not.toContain('cli-service-secret-0123456789');
    // The text list says how each profile signs in: PAR mode in the form's words, DPoP, auto-refresh.
    const text = await run(['profile', 'list']);
    expect(text.out).toMatch(
      /^cli test\n(?: {2}.*\n)*? {2}par auto: push the authorization request when the server advertises it\n {2}dpop off {2}auto-refresh off\n/m,
    );
    expect(text.out).not.toContain('cli-service-secret-0123456789');
  });

  it('login --profile --no-open --json prints the URL on stderr and the stored tokens as JSON on stdout', async () => {
    const c = capture();
    const running = main(['login', '--profile', 'cli test', '--no-open', '--json'], c.io);
    await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(c.err())?.[0], { timeout: 10_000 }).toBeTruthy();
    const url = /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(c.err())![0];
    const context = await browser.newContext();
    await blockNonLoopback(context);
    await signInWithBrowser(await context.newPage(), url, 'dave');
    expect(await running).toBe(0);
    await context.close();
    const printed = JSON.parse(c.out()) as {
      grantId: string;
      tokens: { id: string; kind: string; expiresAt: string | null }[];
      scopes: { requested: string[]; text: string; missingRefresh: string | null };
    };
    expect(printed.tokens.map((t) => t.kind).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
    accessId = printed.tokens.find((t) => t.kind === 'access_token')!.id;
    expect(printed.tokens.find((t) => t.kind === 'access_token')!.expiresAt).toMatch(/^\d{4}-/);
    // The grant's scopes as the back end words them (the same sentence the table mode prints as `scopes`).
    const { scopes } = printed;
    expect(scopes.requested).toContain('openid');
    expect(scopes.text).toBe('Granted as requested: openid offline_access.');
    expect(scopes.missingRefresh).toBeNull();
  });

  it('refresh, userinfo, introspect and revoke TOKEN_ID --json', async () => {
    const refreshed = await run(['refresh', accessId, '--json']);
    expect(refreshed.code).toBe(0);
    const fresh = (JSON.parse(refreshed.out) as { tokens: { id: string; kind: string }[] }).tokens.find(
      (t) => t.kind === 'access_token',
    )!.id;
    const info = await run(['userinfo', fresh, '--json']);
    expect(JSON.parse(info.out).claims.sub).toBe('dave');
    expect(JSON.parse((await run(['introspect', fresh, '--json'])).out).active).toBe(true);
    const told = (await run(['introspect', fresh])).out;
    expect(told).toMatch(/^active\nThe server says this token is active\./);
    expect(told).toMatch(/ {2}active {13}true\n {21}Whether the server holds the token valid/);
    expect((await run(['revoke', fresh, '--json'])).code).toBe(0);
    expect(JSON.parse((await run(['introspect', fresh, '--json'])).out).active).toBe(false);
    expect((await run(['introspect', fresh])).out).toMatch(
      /^inactive\nThe server says this token is not active \(active: false\)/,
    );
  });

  it('client-credentials --profile NAME --json', async () => {
    const result = await run(['client-credentials', '--profile', 'cli service', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).tokens[0].kind).toBe('access_token');
  });

  it('login --demo, then later commands refresh and introspect its token (the demo issuer keeps its state in the data dir)', async () => {
    const c = capture();
    const running = main(['login', '--demo', '--no-open', '--json'], c.io);
    await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(c.err())?.[0], { timeout: 10_000 }).toBeTruthy();
    const url = /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(c.err())![0];
    const context = await browser.newContext();
    await blockNonLoopback(context);
    await signInWithBrowser(await context.newPage(), url, 'erin');
    expect(await running).toBe(0);
    await context.close();
    const tokens = (JSON.parse(c.out()) as { tokens: { id: string; kind: string }[] }).tokens;
    const refreshId = tokens.find((t) => t.kind === 'refresh_token')!.id;
    // Each command is its own back end: the demo issuer stopped and starts again on the same address.
    const refreshed = await run(['refresh', refreshId, '--json']);
    expect(refreshed.code).toBe(0);
    const fresh = (JSON.parse(refreshed.out) as { tokens: { id: string; kind: string }[] }).tokens.find(
      (t) => t.kind === 'access_token',
    )!.id;
    const introspected = await run(['introspect', fresh, '--json']);
    expect(introspected.err).toBe('');
    expect(JSON.parse(introspected.out).active).toBe(true);
    expect(JSON.parse((await run(['userinfo', fresh, '--json'])).out).claims.sub).toBe('erin');

    // The demo issuer's own records hold its opaque tokens (their ids): its files are sealed like the history.
    const store = await openStore(createNodePlatform({ mode: 'test', dataDir, env: {} }));
    const values = [...tokens.map((t) => t.id), fresh, refreshId].map((id) => store.getTokenValue(id));
    store.close();
    const demoDir = join(dataDir, 'demo-issuer');
    const files = readdirSync(demoDir);
    expect(files.sort()).toEqual(['identity.sealed', 'state.sealed']);
    const bytes = files.map((f) => readFileSync(join(demoDir, f)));
    expect(values.filter((v) => bytes.some((b) => b.includes(Buffer.from(v))))).toEqual([]);
    expect(bytes.some((b) => b.includes(Buffer.from('"kty"')) || b.includes(Buffer.from('erin')))).toBe(false);
  });

  it('login without --json prints the stored tokens as a table, not JSON', async () => {
    const c = capture();
    const running = main(['login', '--demo', '--no-open'], c.io);
    await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(c.err())?.[0], { timeout: 10_000 }).toBeTruthy();
    const url = /http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/.exec(c.err())![0];
    const context = await browser.newContext();
    await blockNonLoopback(context);
    await signInWithBrowser(await context.newPage(), url, 'frank');
    expect(await running).toBe(0);
    await context.close();
    expect(c.out()).toMatch(/^grant \S+\n/);
    expect(c.out()).toMatch(/^access_token {2}/m);
    expect(() => JSON.parse(c.out()) as unknown).toThrow();
  });

  it('errors are one line with a stable code and a non-zero exit', async () => {
    const missing = await run(['refresh', 'no-such-token']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error ERR_NOT_FOUND: [^\n]*\n$/);
    const bad = await run(['login']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error ERR_INVALID_ARGUMENT/);
    const noProfile = await run(['client-credentials', '--profile', 'nope']);
    expect(noProfile.err).toMatch(/^error ERR_NOT_FOUND/);
  });
});

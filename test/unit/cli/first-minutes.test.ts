/**
 * What a new user meets in a terminal (issue 16, CLI): one output rule (`--json` is JSON for every command,
 * text otherwise), `profile add` that asks the issuer first (or `--no-check`), contradictory options refused,
 * Node's `--opt=-value` hint shown whole, `profile delete`, subjects cut with an ellipsis, times in the UI's words.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from '../../helpers/cli-io.ts';
import { main } from '../../../src/cli/main.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, clock, openTestStore } from '../../fixtures/store/helpers.ts';

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const t = io(env);
  const code = await main(args, t);
  return { code, out: t.out(), err: t.err() };
}

/** A real HTTP server that answers discovery for its own origin, and a port where nothing listens. */
let metadataServer: Server;
let issuer = '';
let closedPort = 0;

beforeAll(async () => {
  metadataServer = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          device_authorization_endpoint: `${issuer}/device`,
          code_challenge_methods_supported: ['S256'],
          grant_types_supported: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${String((metadataServer.address() as AddressInfo).port)}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => metadataServer.close(() => resolve()));
});

describe('profile add, list and delete', () => {
  it('asks the issuer first and reports what discovery found', async () => {
    const env = { TOKENSCOPE_DATA_DIR: freshDir() };
    const r = await run(['profile', 'add', 'local', '--issuer', issuer, '--client-id', 'app'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`issuer ${issuer} answered discovery: authorization and token endpoints; PKCE S256, device code`);
    expect(r.out).toMatch(/^saved profile "local" \(\S+\)$/m);
    const json = await run(['profile', 'add', 'local json', '--issuer', issuer, '--client-id', 'app', '--json'], env);
    const saved = JSON.parse(json.out) as { name: string; discovery: { issuer: string; supports: { deviceCode: boolean } } };
    expect(saved.name).toBe('local json');
    expect(saved.discovery.issuer).toBe(issuer);
    expect(saved.discovery.supports.deviceCode).toBe(true);
  });

  it('a typo in the issuer fails now, with the URL and the cause, and saves nothing; --no-check saves it', async () => {
    const env = { TOKENSCOPE_DATA_DIR: freshDir() };
    const wrong = `http://127.0.0.1:${String(closedPort)}`;
    const r = await run(['profile', 'add', 'typo', '--issuer', wrong, '--client-id', 'app'], env);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      new RegExp(`^error ERR_\\w+: discovery of ${wrong.replace(/\./g, '\\.')} failed: .+; nothing saved \\(--no-check saves`),
    );
    const names = async (): Promise<string[]> =>
      (JSON.parse((await run(['profile', 'list', '--json'], env)).out) as { name: string }[]).map((p) => p.name);
    expect(await names()).not.toContain('typo');
    const unchecked = await run(['profile', 'add', 'typo', '--issuer', wrong, '--client-id', 'app', '--no-check'], env);
    expect(unchecked.code).toBe(0);
    expect(unchecked.out).toContain('not checked with the issuer (--no-check)');
    expect(await names()).toContain('typo');
  });

  it('refuses contradictory options (exit 2), before anything is asked or saved', async () => {
    const env = { TOKENSCOPE_DATA_DIR: freshDir() };
    const base = ['profile', 'add', 'x', '--issuer', issuer, '--client-id', 'app', '--no-check'];
    const cases: [string[], RegExp][] = [
      [
        ['--client-secret', 's3cret', '--auth-method', 'none'],
        /--client-secret goes with .* not none \(a public client sends no secret\)/,
      ],
      [['--client-secret', 's3cret', '--auth-method', 'private_key_jwt'], /--client-secret goes with/],
      [['--generate-key', 'ES256', '--private-key', '{}'], /--generate-key or --private-key, not both/],
      [
        ['--generate-key', 'ES256', '--auth-method', 'client_secret_basic', '--client-secret', 's'],
        /go with --auth-method private_key_jwt/,
      ],
      [['--auth-method', 'client_secret_post'], /--auth-method client_secret_post needs --client-secret/],
      [['--auth-method', 'private_key_jwt'], /needs --generate-key ALG or --private-key/],
    ];
    for (const [extra, message] of cases) {
      const r = await run([...base, ...extra], env);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err).toMatch(/^error ERR_INVALID_ARGUMENT: /);
      expect(r.err).toMatch(message);
      expect(r.err).not.toContain('s3cret');
    }
    const listed = JSON.parse((await run(['profile', 'list', '--json'], env)).out) as { name: string }[];
    expect(listed.map((p) => p.name)).not.toContain('x');
  });

  it("shows Node's hint for a value starting with a dash whole", async () => {
    const r = await run(['profile', 'add', 'x', '--issuer', issuer, '--client-id', 'app', '--client-secret', '-abc'], {
      TOKENSCOPE_DATA_DIR: freshDir(),
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^error ERR_INVALID_ARGUMENT: Option '--client-secret' argument is ambiguous\..*--client-secret=-XYZ'\.\n$/,
    );
  });

  it('profile delete NAME|ID removes the profile (by the contract), and an unknown one is ERR_NOT_FOUND', async () => {
    const env = { TOKENSCOPE_DATA_DIR: freshDir() };
    await run(['profile', 'add', 'to go', '--issuer', issuer, '--client-id', 'app', '--no-check'], env);
    const r = await run(['profile', 'delete', 'to go'], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^deleted profile "to go" \(\S+\); its tokens stay in the history\n$/);
    const listed = JSON.parse((await run(['profile', 'list', '--json'], env)).out) as { name: string }[];
    expect(listed.map((p) => p.name)).not.toContain('to go');
    const again = await run(['profile', 'delete', 'to go'], env);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error ERR_NOT_FOUND: no profile named "to go"/);
    await run(['profile', 'add', 'by id', '--issuer', issuer, '--client-id', 'app', '--no-check'], env);
    const id = (JSON.parse((await run(['profile', 'list', '--json'], env)).out) as { id: string; name: string }[]).find(
      (p) => p.name === 'by id',
    )?.id;
    const byId = await run(['profile', 'delete', id ?? '', '--json'], env);
    expect(JSON.parse(byId.out)).toEqual({ id, name: 'by id', deleted: true });
  });
});

describe('history in a terminal', () => {
  it('cuts a long subject with an ellipsis and gives expiry and ages in words', async () => {
    const t = await openTestStore({ clock: clock(Date.now()) });
    const subject = 'a-very-long-subject-identifier-0123456789';
    const id = t.store.saveToken({
      value: accessJwt(t.clock.now(), { sub: subject }),
      kind: 'access_token',
      format: 'rfc6749.TokenResponse',
      source: 'x',
    }).id;
    t.store.close();
    const env = { TOKENSCOPE_DATA_DIR: t.dir };
    const list = await run(['history'], env);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`  ${subject.slice(0, 29)}…  `);
    expect(list.out).not.toContain(subject);
    expect(list.out).toMatch(/ {2}expires in \d+ (minute|hour)s?\s/);
    const show = await run(['history', 'show', id], env);
    expect(show.out).toContain(`subject   ${subject}`);
    expect(show.out).toMatch(/^saved {5}\d{4}-\d\d-\d\dT[\d:]+Z \((now|\d+ seconds? ago)\)/m);
    expect(show.out).toMatch(/^expires {3}\d{4}-\d\d-\d\dT[\d:]+Z \(in \d+ (minute|hour)s?\)/m);
  });
});

describe('one output rule: --json is JSON on stdout for every command, text otherwise', () => {
  it('holds for the commands that need no server', async () => {
    const env = { TOKENSCOPE_DATA_DIR: freshDir() };
    const jwtFile = join(freshDir(), 'one.jwt');
    writeFileSync(jwtFile, accessJwt(Date.now(), { sub: 'json-rule' }));
    const commands: string[][] = [
      ['inspect', jwtFile],
      ['formats'],
      ['convert', '--to', 'rfc6749.TokenResponse', jwtFile],
      ['diff', jwtFile, jwtFile],
      ['history'],
      ['history', 'status'],
      ['history', 'purge', '--older-than', '30'],
      ['history', 'delete', 'no-such-id'],
      ['history', 'wipe', '--yes'],
      ['profile', 'list'],
    ];
    for (const args of commands) {
      const json = await run([...args, '--json'], env);
      // stderr keeps its findings and notes (convert's), never an error.
      expect(json.err, args.join(' ')).not.toMatch(/^error /m);
      expect(() => JSON.parse(json.out) as unknown, args.join(' ')).not.toThrow();
    }
    for (const args of commands.filter((a) => a[0] !== 'convert')) {
      const text = await run(args, env);
      expect(() => JSON.parse(text.out) as unknown, args.join(' ')).toThrow();
    }
  });
});

describe('import and export progress', () => {
  it("is a counter on a terminal from the back end's import-progress and export-progress events, and silent elsewhere", async () => {
    const t = await openTestStore({ clock: clock(Date.now()) });
    for (const sub of ['p1', 'p2', 'p3'])
      t.store.saveToken({
        value: accessJwt(t.clock.now(), { sub }),
        kind: 'access_token',
        format: 'rfc6749.TokenResponse',
        source: 'x',
      });
    t.store.close();
    const file = join(freshDir(), 'three.tokenscope.json');
    expect((await run(['export', '--format', 'bundle', '--out', file], { TOKENSCOPE_DATA_DIR: t.dir })).code).toBe(0);

    const log: string[] = [];
    const onTerminal = io({ TOKENSCOPE_DATA_DIR: freshDir() });
    const code = await main(['import', file], {
      ...onTerminal,
      terminal: { status: (line) => log.push(line), clearStatus: () => log.push('clear'), raw: () => undefined },
    });
    expect(code).toBe(0);
    expect(log[0]).toBe('Importing: 0 of 3 records (0 %)');
    expect(log).toContain('Importing: 3 of 3 records (100 %)');
    expect(log.at(-1)).toBe('clear');
    expect(onTerminal.out()).toMatch(/^imported: 3 new/);

    const piped = await run(['import', file], { TOKENSCOPE_DATA_DIR: freshDir() });
    expect(piped.code).toBe(0);
    expect(piped.err).toBe('');

    // Export likewise: its export-progress events, counted in tokens of those selected.
    const exported: string[] = [];
    const exportTerminal = io({ TOKENSCOPE_DATA_DIR: t.dir });
    const out = join(freshDir(), 'again.json');
    const exportCode = await main(['export', '--format', 'csv', '--out', out], {
      ...exportTerminal,
      terminal: { status: (line) => exported.push(line), clearStatus: () => exported.push('clear'), raw: () => undefined },
    });
    expect(exportCode).toBe(0);
    expect(exported[0]).toBe('Exporting: 0 of 3 tokens (0 %)');
    expect(exported).toContain('Exporting: 3 of 3 tokens (100 %)');
    expect(exported.at(-1)).toBe('clear');
    const exportPiped = await run(['export', '--format', 'csv', '--out', join(freshDir(), 'piped.csv')], {
      TOKENSCOPE_DATA_DIR: t.dir,
    });
    expect(exportPiped.code).toBe(0);
    expect(exportPiped.err).toBe('');
  });
});

// The commands that give the contract's last caller-less methods a front door: diff (diffTokens), history events
// (getEvents), purge (purgeExpired), delete (deleteTokens), wipe --profiles; and the one error → exit table.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { EXIT_CODE_OF_ERROR } from '../../../src/cli/exit-codes.ts';
import { ERROR_CODES } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, clock, openTestStore } from '../../fixtures/store/helpers.ts';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), stdin: Readable.from([stdin]), env };
  const code = await main(args, io);
  return { code, out, err };
}

const DAY_MS = 86_400_000;

/** A history with alice's and bob's access tokens (alice's with a `saved` event) and one that expired 40 days ago. */
async function seeded(): Promise<{ env: NodeJS.ProcessEnv; alice: string; bob: string; old: string }> {
  const t = await openTestStore({ clock: clock(Date.now()) });
  const now = t.clock.now();
  const save = (value: string): string =>
    t.store.saveToken({ value, kind: 'access_token', format: 'rfc6749.TokenResponse', source: 'x' }).id;
  const alice = save(accessJwt(now, { sub: 'cli-alice', scope: 'openid profile' }));
  const bob = save(accessJwt(now, { sub: 'cli-bob', scope: 'openid profile email' }));
  const old = save(accessJwt(now - 40 * DAY_MS, { sub: 'cli-old' }));
  t.store.addEvent({ tokenId: alice, type: 'saved', detail: { by: 'test' } });
  t.store.close();
  return { env: { TOKENSCOPE_DATA_DIR: t.dir }, alice, bob, old };
}

describe('tokenscope diff', () => {
  it('compares two files, claim by claim, without opening (or creating) a history', async () => {
    const dir = freshDir();
    const a = join(dir, 'a.jwt');
    const b = join(dir, 'b.jwt');
    writeFileSync(a, accessJwt(Date.now(), { sub: 'x', scope: 'openid' }));
    writeFileSync(b, accessJwt(Date.now(), { sub: 'y', scope: 'openid email' }));
    const env = { TOKENSCOPE_DATA_DIR: join(dir, 'no-history-here') };
    const text = await run(['diff', a, b], env);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^a {2}jwt/);
    expect(text.out).toMatch(/^ {2}changed {2}sub: "x" → "y"$/m);
    const json = await run(['diff', a, '-', '--json'], env, accessJwt(Date.now(), { sub: 'x', scope: 'openid' }));
    expect(json.code).toBe(0);
    const result = JSON.parse(json.out) as { claims: { name: string }[]; diff: { entries: unknown[] } };
    expect(result.claims.map((c) => c.name)).not.toContain('sub');
    expect(existsSync(env.TOKENSCOPE_DATA_DIR)).toBe(false);
  });

  it('compares two tokens of the history by id (their stored values, revealed through the contract)', async () => {
    const { env, alice, bob } = await seeded();
    const r = await run(['diff', alice, bob, '--json'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { claims: { name: string; change: string; before?: unknown; after?: unknown }[] };
    expect(result.claims.find((c) => c.name === 'sub')).toMatchObject({
      change: 'changed',
      before: 'cli-alice',
      after: 'cli-bob',
    });
    const scopes = await run(['diff', alice, bob], env);
    expect(scopes.out).toMatch(/scope/);
  });

  it('an unknown side is ERR_NOT_FOUND (exit 1); a missing side is bad input (exit 2)', async () => {
    const { env, alice } = await seeded();
    const missing = await run(['diff', alice, 'no-such-token'], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error ERR_NOT_FOUND: "no-such-token" is neither a file nor a token of the history\n$/);
    const one = await run(['diff', alice], env);
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/^error ERR_INVALID_ARGUMENT: /);
  });
});

describe('tokenscope history events / delete / purge / wipe', () => {
  it('history events TOKEN_ID lists its events; an unknown id is ERR_NOT_FOUND', async () => {
    const { env, alice, bob } = await seeded();
    const json = await run(['history', 'events', alice, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject([{ tokenId: alice, type: 'saved', detail: { by: 'test' } }]);
    const text = await run(['history', 'events', alice], env);
    expect(text.out).toMatch(/^\d{4}-\d\d-\d\dT\S+Z saved \{"by":"test"\}\n$/);
    expect((await run(['history', 'events', bob], env)).out).toBe('no events\n');
    const unknown = await run(['history', 'events', 'no-such-token'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^error ERR_NOT_FOUND: /);
    expect((await run(['history', 'events'], env)).code).toBe(2);
  });

  it('history delete ID… deletes the known ids and exits 1 when one was unknown', async () => {
    const { env, alice, bob } = await seeded();
    const partly = await run(['history', 'delete', alice, 'no-such-token'], env);
    expect(partly.out).toBe('deleted 1 token(s)\n');
    expect(partly.code).toBe(1);
    const all = await run(['history', 'delete', bob], env);
    expect(all.code).toBe(0);
    expect(JSON.parse((await run(['history', '--json'], env)).out).counts.total).toBe(1);
  });

  it('history purge --older-than DAYS deletes what expired before (--expired-days is the older name)', async () => {
    const { env, old } = await seeded();
    expect((await run(['history', 'purge', '--older-than', '50'], env)).out).toMatch(
      /^purged 0 token\(s\) expired more than 50 day/,
    );
    const purged = await run(['history', 'purge', '--older-than', '30'], env);
    expect(purged.code).toBe(0);
    expect(purged.out).toMatch(/^purged 1 token\(s\) expired more than 30 day\(s\) ago\n$/);
    expect((await run(['history', 'show', old], env)).code).toBe(1);
    expect((await run(['history', 'purge', '--expired-days', '30'], env)).out).toMatch(/^purged 0 /);
    for (const bad of [[], ['--older-than', '-1'], ['--older-than', 'soon'], ['--older-than', '1', '--expired-days', '2']]) {
      const r = await run(['history', 'purge', ...bad], env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^error ERR_INVALID_ARGUMENT: /);
    }
  });

  it('history wipe --yes keeps the profiles; --profiles deletes them too', async () => {
    const { env } = await seeded();
    const add = ['profile', 'add', 'wipe me', '--issuer', 'https://issuer.example', '--client-id', 'c', '--no-check'];
    expect((await run(add, env)).code).toBe(0);
    const names = async (): Promise<string[]> =>
      (JSON.parse((await run(['profile', 'list', '--json'], env)).out) as { name: string }[]).map((p) => p.name);
    expect((await run(['history', 'wipe', '--yes'], env)).out).toBe('wiped 3 token(s)\n');
    expect(await names()).toContain('wipe me');
    expect((await run(['history', 'wipe', '--yes', '--profiles'], env)).code).toBe(0);
    expect(await names()).not.toContain('wipe me');
  });
});

describe('the token-domain commands read no history', () => {
  it('formats, convert and inspect create nothing in TOKENSCOPE_DATA_DIR', async () => {
    const env = { TOKENSCOPE_DATA_DIR: join(freshDir(), 'untouched') };
    expect((await run(['formats'], env)).code).toBe(0);
    const token = JSON.stringify({ access_token: 'abc', token_type: 'Bearer', expires_in: 60 });
    expect((await run(['convert', '--to', 'serendip.TokenModel'], env, token)).code).toBe(0);
    expect((await run(['inspect', '--json'], env, token)).code).toBe(0);
    expect(existsSync(env.TOKENSCOPE_DATA_DIR)).toBe(false);
  });
});

describe('one error → exit status table', () => {
  it('has an entry for every ErrorCode: 2 for bad input, 1 for failures', () => {
    expect(Object.keys(EXIT_CODE_OF_ERROR).sort()).toEqual([...ERROR_CODES].sort());
    expect(EXIT_CODE_OF_ERROR.ERR_INVALID_ARGUMENT).toBe(2);
    expect(EXIT_CODE_OF_ERROR.ERR_UNKNOWN_FORMAT).toBe(2);
    expect(EXIT_CODE_OF_ERROR.ERR_NETWORK).toBe(1);
    expect(EXIT_CODE_OF_ERROR.ERR_NOT_FOUND).toBe(1);
  });
});

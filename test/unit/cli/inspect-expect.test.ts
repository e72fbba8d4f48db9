import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { InspectResult } from '../../../src/shared/token/inspect.ts';
import { fakeSignedJwt } from '../shared/token/helpers.ts';

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const input = new PassThrough();
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), stdin: input, env: {} };
  input.end(stdin);
  const code = await main(args, io);
  return { code, out, err };
}

const NOW_S = Math.floor(Date.now() / 1000);
const TOKEN = fakeSignedJwt(
  {
    iss: 'https://as.example',
    aud: 'https://api.example',
    scope: 'read openid',
    sub: 'alice',
    client_id: 'app',
    jti: 'j1',
    iat: NOW_S,
    nbf: NOW_S,
    exp: NOW_S + 60,
  },
  { alg: 'RS256', typ: 'at+jwt', kid: 'k1' },
);

const rowsOf = (out: string): Record<string, { outcome: string; message: string }> =>
  Object.fromEntries(((JSON.parse(out) as InspectResult).expectations?.rows ?? []).map((r) => [r.check, r]));

describe('tokenscope inspect --expect-*', () => {
  it('exits 0 when every expectation is met, each check answered in words', async () => {
    const r = await run(
      [
        'inspect',
        '--json',
        '--expect-iss',
        'https://as.example',
        '--expect-aud',
        'https://api.example',
        '--expect-scope',
        'read',
        '--expect-typ',
        'at+jwt',
        '--expect-alg',
        'RS256,ES256',
        '-',
      ],
      TOKEN,
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as InspectResult;
    expect(result.expectations?.accepted).toBe(true);
    expect(Object.keys(rowsOf(r.out))).toEqual(['issuer', 'audience', 'scopes', 'expiry', 'not-before', 'type', 'algorithm']);
    expect(Object.values(rowsOf(r.out)).every((row) => row.outcome === 'pass')).toBe(true);
  });

  it('exits 1 when an expectation fails, and says which and why', async () => {
    const r = await run(['inspect', '--expect-iss', 'https://other.example', '--expect-scope', 'write', '-'], TOKEN);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Would an API accept it\? No\. Not met: the issuer and the scopes\. The audience was not checked/);
    expect(r.out).toMatch(/fail +issuer +iss is "https:\/\/as\.example", but the API expects "https:\/\/other\.example"/);
    expect(r.out).toMatch(/fail +scopes +scope "write" is not granted; the token has "read", "openid"/);
  });

  it('never says more than was checked: with only the expiry checked, the verdict names what was not', async () => {
    const r = await run(['inspect', '--json', '--at', String(NOW_S), '-'], TOKEN);
    expect(r.code).toBe(0);
    const e = (JSON.parse(r.out) as InspectResult).expectations;
    expect(e?.accepted).toBe(true);
    expect(e?.summary).toMatch(/^Yes, as far as was checked \(the expiry and the not-before time\)\./);
    expect(e?.summary).toMatch(/The issuer, audience and scopes were not checked: say what the API expects\./);
  });

  it('--audience stays an alias of --expect-aud', async () => {
    const r = await run(['inspect', '--json', '--audience', 'https://nope.example', '-'], TOKEN);
    expect(r.code).toBe(1);
    expect(rowsOf(r.out)['audience']?.outcome).toBe('fail');
  });

  it('--at evaluates at another time, and --skew forgives that much clock difference', async () => {
    const later = await run(['inspect', '--json', '--at', String(NOW_S + 90), '-'], TOKEN);
    expect(later.code).toBe(1);
    expect(rowsOf(later.out)['expiry']).toMatchObject({ outcome: 'fail' });
    expect((JSON.parse(later.out) as InspectResult).findings.map((f) => f.code)).toContain('EXPIRED');
    const skewed = await run(
      ['inspect', '--json', '--at', new Date((NOW_S + 90) * 1000).toISOString(), '--skew', '60', '-'],
      TOKEN,
    );
    expect(skewed.code).toBe(0);
    expect(rowsOf(skewed.out)['expiry']?.message).toMatch(/with 60 s of clock skew/);
    const early = await run(['inspect', '--json', '--at', String(NOW_S - 120), '--skew', '30', '-'], TOKEN);
    expect(early.code).toBe(1);
    expect(rowsOf(early.out)['not-before']?.outcome).toBe('fail');
  });

  it('an opaque token cannot be told: accepted is null and the CLI does not claim a failure', async () => {
    const r = await run(['inspect', '--json', '--expect-iss', 'https://as.example', '-'], 'opaque-token-value-1234567890');
    expect(r.code).toBe(0);
    const e = (JSON.parse(r.out) as InspectResult).expectations;
    expect(e?.accepted).toBeNull();
    expect(e?.rows[0]).toMatchObject({ check: 'issuer', outcome: 'unknown' });
    expect(e?.rows[0]?.message).toMatch(/opaque token/);
  });

  it('bad flag values exit 2', async () => {
    for (const args of [
      ['--at', 'yesterday'],
      ['--skew', '-5'],
      ['--skew', 'lots'],
    ]) {
      const r = await run(['inspect', ...args, '-'], TOKEN);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^error ERR_INVALID_ARGUMENT: /);
    }
  });
});

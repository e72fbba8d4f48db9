import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { InspectResult } from '../../../src/shared/token/inspect.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { FIXTURE_DIR, FIXTURE_SECRET, fixtureText, tokenFixture } from '../shared/formats/fixtures.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { rawJwt, unsignedJwt } from '../shared/token/helpers.ts';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function run(args: string[], stdin?: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let out = '';
  let err = '';
  const input = new PassThrough();
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), stdin: input, env };
  input.end(stdin ?? '');
  const code = await main(args, io);
  return { code, out, err };
}

async function json(args: string[], stdin?: string): Promise<InspectResult> {
  const r = await run([...args, '--json'], stdin);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as InspectResult;
}

const fixturePath = (name: string): string => join(FIXTURE_DIR, name);
const codes = (r: InspectResult): string[] => r.findings.map((f) => f.code);

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('tokenscope inspect --json, one token per format', () => {
  it('rfc6749.TokenResponse: detected, expires_in in seconds, id_token decoded', async () => {
    const r = await json(['inspect', fixturePath('rfc6749.TokenResponse.json')]);
    expect(r.input).toMatchObject({ kind: 'token-object' });
    expect(r.detected[0]?.format).toBe('rfc6749.TokenResponse');
    expect(r.canonical).toMatchObject({ tokenType: 'Bearer', expiresInS: 3600, scopes: ['openid', 'profile', 'email'] });
    expect(r.jwt?.payload.sub).toBe('alice');
    expect(r.comparison.rows.length).toBeGreaterThan(5);
  });

  it('serendip.TokenModel: expires_in 7 200 000 ms becomes 7200 s, times stay epoch ms', async () => {
    const r = await json(['inspect', fixturePath('serendip.TokenModel.json')]);
    expect(r.detected[0]?.format).toBe('serendip.TokenModel');
    expect(r.canonical).toMatchObject({
      expiresInS: 7200,
      issuedAtMs: 1_700_000_000_000,
      expiresAtMs: 1_700_007_200_000,
      groups: ['administrators', 'sales'],
    });
  });

  it('affinidi.ConsumerAuthTokenEndpointOutput: the id_token string is a documentation finding', async () => {
    const r = await json(['inspect', fixturePath('affinidi.ConsumerAuthTokenEndpointOutput.json')]);
    expect(r.detected[0]?.format).toBe('affinidi.ConsumerAuthTokenEndpointOutput');
    expect(r.findings.find((f) => f.code === 'DOC_TYPE_MISMATCH')).toMatchObject({ field: 'id_token', severity: 'info' });
    expect(r.jwt?.payload.nonce).toBe('n-0S6_WzA2Mj');
  });

  it('affinidi.OAuth2Token: tied with its TypeScript twin, and read as it with --format', async () => {
    const auto = await json(['inspect', fixturePath('affinidi.OAuth2Token.json')]);
    expect(auto.detected.slice(0, 2).map((d) => d.format)).toContain('affinidi.OAuth2Token');
    expect(codes(auto)).toContain('AMBIGUOUS_FORMAT');
    const forced = await json(['inspect', '--format', 'affinidi.OAuth2Token', fixturePath('affinidi.OAuth2Token.json')]);
    expect(forced.format).toBe('affinidi.OAuth2Token');
    expect(forced.canonical.expiresInS).toBe(3599);
  });

  it('gusto.RefreshTokenAuthentication, SDK camelCase: createdAt seconds become epoch ms', async () => {
    const r = await json(['inspect', fixturePath('gusto.RefreshTokenAuthentication.sdk.json')]);
    expect(r.detected[0]).toMatchObject({ format: 'gusto.RefreshTokenAuthentication', case: 'camel' });
    expect(r.canonical).toMatchObject({ issuedAtMs: 1_700_000_000_000, expiresInS: 7200 });
    expect(r.summary.expiresAtMs).toBe(1_700_007_200_000);
  });

  it('gusto.RefreshTokenAuthentication, wire snake_case: the same canonical record', async () => {
    const sdk = await json(['inspect', fixturePath('gusto.RefreshTokenAuthentication.sdk.json')]);
    const wire = await json(['inspect', fixturePath('gusto.RefreshTokenAuthentication.wire.json')]);
    expect(wire.detected[0]).toMatchObject({ format: 'gusto.RefreshTokenAuthentication', case: 'snake' });
    expect(wire.canonical).toEqual(sdk.canonical);
  });

  it('authlete.AccessToken: hashes, 0 = none, numeric client id, wire grant type', async () => {
    const r = await json(['inspect', fixturePath('authlete.AccessToken.json')]);
    expect(r.detected[0]?.format).toBe('authlete.AccessToken');
    expect(r.canonical).toMatchObject({
      accessTokenHash: '4kWgGq8zUQyq3Cm1DiVpIz3Y5f7Bq9XQm2Fhd1w8z0c',
      clientId: '26478243745571',
      grantType: 'authorization_code',
      expiresAtMs: 1_700_086_400_000,
    });
    expect(r.canonical.refreshExpiresAtMs).toBeUndefined();
    const row = r.comparison.rows.find((x) => x.concept === 'accessToken');
    expect(row?.cells.find((c) => c.format === 'authlete.AccessToken')?.representable).toBe(false);
  });

  it('reads stdin with - and with no FILE', async () => {
    const text = fixtureText('serendip.TokenModel.json');
    expect((await json(['inspect', '-'], text))['format']).toBe('serendip.TokenModel');
    expect((await json(['inspect'], text))['format']).toBe('serendip.TokenModel');
  });
});

describe('tokenscope inspect: bad input exits 2 with one error line', () => {
  const bad: [string, string, string][] = [
    ['empty text', '', 'ERR_EMPTY_INPUT'],
    ['a JSON array', '[1,2,3]', 'ERR_NOT_A_TOKEN'],
    ['JSON null', 'null', 'ERR_NOT_A_TOKEN'],
    ['truncated JSON', '{"access_token": "abc", "token_', 'ERR_INVALID_JSON'],
    [
      'a JWT with spaces inside',
      `${unsignedJwt({ sub: 'x' }).slice(0, 12)} ${unsignedJwt({ sub: 'x' }).slice(12)}`,
      'ERR_MALFORMED_JWT',
    ],
    ['a JWT whose payload is not JSON', rawJwt('{"alg":"HS256"}', 'nope', 'c2ln'), 'ERR_MALFORMED_JWT'],
    ['input over 1 MiB', 'a'.repeat(1024 * 1024 + 1), 'ERR_INPUT_TOO_LARGE'],
  ];
  it.each(bad)('%s', async (_name, input, code) => {
    const r = await run(['inspect', '--json'], input);
    expect(r.code).toBe(2);
    // --json: the failure is JSON on stdout too, nothing else is written there.
    expect((JSON.parse(r.out) as { error: { code: string } }).error.code).toBe(code);
    expect(r.err).toMatch(new RegExp(`^error ${code}: [^\\n]+\\n$`));
  });

  it('a JWT with + and / in its segments is read as opaque with NOT_A_JWT', async () => {
    const r = await json(['inspect'], unsignedJwt({ sub: 'x' }).replace(/^eyJ/, 'eyJ+/'));
    expect(r.input.kind).toBe('opaque');
    expect(codes(r)).toContain('NOT_A_JWT');
  });

  it('a missing file → ERR_NOT_FOUND, an unknown format → ERR_UNKNOWN_FORMAT, a bad option → ERR_INVALID_ARGUMENT', async () => {
    expect((await run(['inspect', '/nonexistent/token.json'])).err).toMatch(/^error ERR_NOT_FOUND: /);
    expect((await run(['inspect', '--format', 'nope', fixturePath('serendip.TokenModel.json')])).err).toMatch(
      /^error ERR_UNKNOWN_FORMAT: /,
    );
    const r = await run(['inspect', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error ERR_INVALID_ARGUMENT: /);
  });

  it('the real binary prints no stack trace', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'bin', 'tokenscope.mjs'), 'inspect'], {
      input: '[1,2,3]',
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error ERR_NOT_A_TOKEN: [^\n]+\n$/);
    expect(r.stdout).toBe('');
  });
});

describe('tokenscope inspect: report and verification', () => {
  it('prints a readable report by default', async () => {
    const r = await run(['inspect'], tokenFixture('access-token.hs256.jwt'));
    expect(r.code).toBe(0);
    for (const heading of ['Input', 'Signature unverified', 'Header', 'Claims', 'Canonical record', 'Comparison'])
      expect(r.out).toContain(heading);
  });

  it('verifies with --jwks FILE (a JWKS holding the HMAC key)', async () => {
    const dir = freshDir();
    const file = join(dir, 'jwks.json');
    writeFileSync(
      file,
      JSON.stringify({ keys: [{ kty: 'oct', kid: 'fixture-hs', k: Buffer.from(FIXTURE_SECRET).toString('base64url') }] }),
    );
    const r = await json(['inspect', '--jwks', file], tokenFixture('access-token.hs256.jwt'));
    expect(r.jwt?.signature.state).toBe('verified');
  });

  it('verifies with --jwks URL from a local server', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60' });
      res.end(
        JSON.stringify({ keys: [{ kty: 'oct', kid: 'fixture-hs', k: Buffer.from(FIXTURE_SECRET).toString('base64url') }] }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    const r = await json(['inspect', '--jwks', url], tokenFixture('id-token.hs256.jwt'));
    expect(r.jwt?.signature.state).toBe('verified');
  });

  it('verifies with --secret-env, and exits 1 on a wrong secret', async () => {
    const good = await run(['inspect', '--json', '--secret-env', 'TS_SECRET'], tokenFixture('access-token.hs256.jwt'), {
      TS_SECRET: FIXTURE_SECRET,
    });
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out).jwt.signature.state).toBe('verified');
    const bad = await run(['inspect', '--json', '--secret-env', 'TS_SECRET'], tokenFixture('access-token.hs256.jwt'), {
      TS_SECRET: 'wrong',
    });
    expect(bad.code).toBe(1);
    const out = JSON.parse(bad.out);
    expect(out.jwt.signature).toMatchObject({ state: 'invalid', reason: 'SIGNATURE_MISMATCH' });
    expect(out.findings[0].code).toBe('SIGNATURE_INVALID');
  });

  it('exits 1 with ERR_NETWORK when the JWKS URL is unreachable', async () => {
    const r = await run(['inspect', '--jwks', 'http://127.0.0.1:9/jwks'], tokenFixture('access-token.hs256.jwt'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error ERR_NETWORK: /);
  });
});

describe('tokenscope formats', () => {
  it('lists the six formats', async () => {
    const r = await run(['formats']);
    expect(r.code).toBe(0);
    for (const id of [
      'rfc6749.TokenResponse',
      'serendip.TokenModel',
      'affinidi.ConsumerAuthTokenEndpointOutput',
      'affinidi.OAuth2Token',
      'gusto.RefreshTokenAuthentication',
      'authlete.AccessToken',
    ]) {
      expect(r.out).toContain(id);
    }
    expect(JSON.parse((await run(['formats', '--json'])).out)).toHaveLength(6);
  });

  it('prints one spec, and refuses an unknown id with ERR_UNKNOWN_FORMAT', async () => {
    const r = await run(['formats', 'gusto.RefreshTokenAuthentication']);
    expect(r.out).toContain('created_at / createdAt');
    const j = JSON.parse((await run(['formats', '--json', 'authlete.AccessToken'])).out);
    expect(j.fields).toHaveLength(12);
    const bad = await run(['formats', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error ERR_UNKNOWN_FORMAT: /);
  });
});

describe('tokenscope convert', () => {
  it('writes Gusto as Serendip: seconds to ms, derived expiry, findings on stderr', async () => {
    const r = await run(['convert', '--to', 'serendip.TokenModel', fixturePath('gusto.RefreshTokenAuthentication.sdk.json')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({
      issue_at: 1_700_000_000_000,
      expires_in: 7_200_000,
      expires_at: 1_700_007_200_000,
      token_type: 'Bearer',
    });
    expect(r.err).toMatch(/^finding DERIVED_VALUE/m);
    expect(r.err).toMatch(/^finding NOT_REPRESENTABLE/m);
    expect(r.err).toMatch(/^finding MISSING_REQUIRED \[useragent\]/m);
  });

  it('writes Authlete as Gusto wire snake_case on request', async () => {
    const r = await run([
      'convert',
      '--to',
      'gusto.RefreshTokenAuthentication',
      '--case',
      'snake',
      fixturePath('authlete.AccessToken.json'),
    ]);
    expect(JSON.parse(r.out)).toEqual({ created_at: 1_700_000_000, expires_in: 86_400, scope: 'history.read timeline.read' });
    expect(r.err).toMatch(/MISSING_REQUIRED \[access_token\]/);
  });

  it('refuses a conversion that would keep nothing with ERR_CONVERSION', async () => {
    const r = await run(
      ['convert', '--to', 'authlete.AccessToken'],
      'https://app.example/cb#access_token=abc&token_type=Bearer&expires_in=3599',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error ERR_CONVERSION: /);
  });

  it('needs --to, and refuses an unknown one', async () => {
    expect((await run(['convert'], '{}')).err).toMatch(/^error ERR_INVALID_ARGUMENT: /);
    const r = await run(['convert', '--to', 'nope'], fixtureText('serendip.TokenModel.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error ERR_UNKNOWN_FORMAT: /);
  });
});

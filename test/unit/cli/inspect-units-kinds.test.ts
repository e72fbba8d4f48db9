import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { InspectResult } from '../../../src/shared/token/inspect.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
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

async function inspectJson(object: unknown): Promise<InspectResult> {
  const r = await run(['inspect', '--json', '-'], JSON.stringify(object));
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as InspectResult;
}

async function convert(to: string, text: string): Promise<{ output: Record<string, unknown>; err: string }> {
  const r = await run(['convert', '--to', to, '-'], text);
  expect(r.code).toBe(0);
  return { output: JSON.parse(r.out) as Record<string, unknown>, err: r.err };
}

const SERENDIP = {
  _id: 'rec-1',
  access_token: 'serendip-access',
  refresh_token: 'serendip-refresh',
  token_type: 'Bearer',
  issue_at: 1_700_000_000_123,
  expires_at: 1_700_007_200_123,
  expires_in: 7200,
  grant_type: 'password',
  userId: 'u-1',
  useragent: 'curl/8',
};

describe('one unit rule, through inspect --json and convert', () => {
  it('a Serendip expires_in of 7200 (seconds by mistake) is read as 7200 s and flagged UNIT_SUSPECT', async () => {
    const r = await inspectJson(SERENDIP);
    expect(r.format).toBe('serendip.TokenModel');
    expect(r.canonical.expiresInS).toBe(7200);
    expect(r.findings.find((f) => f.code === 'UNIT_SUSPECT')).toMatchObject({ field: 'expires_in' });
    const { output } = await convert('rfc6749.TokenResponse', JSON.stringify(SERENDIP));
    expect(output['expires_in']).toBe(7200);
  });

  it('the documented 7 200 000 ms stays 7200 s, with no UNIT_SUSPECT', async () => {
    const r = await inspectJson({ ...SERENDIP, expires_in: 7_200_000 });
    expect(r.canonical.expiresInS).toBe(7200);
    expect(r.findings.map((f) => f.code)).not.toContain('UNIT_SUSPECT');
  });

  it('converting a millisecond issue time to Gusto writes whole createdAt seconds and says it rounded', async () => {
    const { output, err } = await convert('gusto.RefreshTokenAuthentication', JSON.stringify(SERENDIP));
    expect(output['createdAt']).toBe(1_700_000_000);
    expect(Number.isInteger(output['createdAt'])).toBe(true);
    expect(err).toMatch(/^finding ROUNDED \[createdAt\]/m);
  });

  it('a Gusto record carries its derived expiry (createdAt + expiresIn) in the canonical record, with DERIVED_VALUE', async () => {
    const r = await inspectJson({ accessToken: 'gusto-access', tokenType: 'Bearer', createdAt: 1_700_000_000, expiresIn: 7200 });
    expect(r.canonical).toMatchObject({ issuedAtMs: 1_700_000_000_000, expiresInS: 7200, expiresAtMs: 1_700_007_200_000 });
    expect(r.findings.find((f) => f.code === 'DERIVED_VALUE')).toMatchObject({ field: 'createdAt + expiresIn' });
    expect(r.summary.expiresAtMs).toBe(1_700_007_200_000);
  });

  it('an Authlete client_id up to 2^63−1 keeps every digit, read and written', async () => {
    const record = (id: string): string =>
      `{"access_token_hash":"h","refresh_token_hash":"r","client_id":${id},"subject":"alice","grant_type":"AUTHORIZATION_CODE","scopes":["openid"],"created_at":1700000000000,"expires_at":1700003600000,"refresh_token_expires_at":0,"last_refreshed_at":0}`;
    const max = '9223372036854775807';
    const r = await run(['inspect', '--json', '--format', 'authlete.AccessToken', '-'], record(max));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as InspectResult).canonical.clientId).toBe(max);
    // In a list response too (the reader unwraps accessTokens[0]).
    const list = await run(['inspect', '--json', '-'], `{"accessTokens":[${record('1234567890123456789')}],"totalCount":1}`);
    expect((JSON.parse(list.out) as InspectResult).canonical.clientId).toBe('1234567890123456789');
    const written = await run(['convert', '--to', 'authlete.AccessToken', '--from', 'authlete.AccessToken', '-'], record(max));
    expect(written.out).toContain(`"client_id": "${max}"`);
    expect(written.err).toMatch(/^finding DOC_TYPE_MISMATCH \[client_id\]/m);
    // A 16-digit id JavaScript still holds exactly stays a number.
    const safe = await convert('authlete.AccessToken', record('1234567890123456'));
    expect(safe.output['client_id']).toBe(1_234_567_890_123_456);
    // Past 2^63−1 it is no Authlete id.
    const over = await run(
      ['convert', '--to', 'authlete.AccessToken', '--from', 'authlete.AccessToken', '-'],
      record('9223372036854775808'),
    );
    expect(over.out).not.toContain('client_id');
    expect(over.err).toMatch(/^finding NOT_REPRESENTABLE \[client_id\]/m);
  });
});

describe('right kinds, right errors', () => {
  it('a JWT in an id_token field is judged as an ID token, even with a scope claim (no RFC 9068 findings)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const idToken = fakeSignedJwt(
      { iss: 'https://issuer.example', sub: 'alice', aud: 'app', exp: now + 600, iat: now, scope: 'openid profile' },
      { alg: 'RS256', kid: 'k1' },
    );
    const r = await inspectJson({ access_token: 'opaque-access', token_type: 'Bearer', expires_in: 3600, id_token: idToken });
    const idFindings = r.findings.filter((f) => f.field?.startsWith('id_token'));
    expect(idFindings.map((f) => f.code).filter((c) => c.startsWith('AT_JWT'))).toEqual([]);
    expect(r.embedded.find((e) => e.role === 'id_token')?.facts.kind).toBe('id_token');
  });

  it('a PEM that does not parse, or does not fit the algorithm, is ERR_INVALID_KEY once (exit 2), never "signature invalid"', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const dir = freshDir();
    const broken = join(dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    const ec = join(dir, 'ec.pem');
    writeFileSync(ec, await exportSPKI((await generateKeyPair('ES256')).publicKey));
    const ecJwk = join(dir, 'ec.jwk');
    writeFileSync(
      ecJwk,
      JSON.stringify({
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      }),
    );
    for (const key of [broken, ec, ecJwk]) {
      const r = await run(['inspect', '--key', key, '-'], token);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^error ERR_INVALID_KEY: the key could not be used: [^\n]+\n$/);
      expect(r.err).not.toMatch(/invalid signature|SIGNATURE_INVALID/i);
    }
  });
});

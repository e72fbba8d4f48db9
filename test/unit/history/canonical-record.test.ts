/**
 * One canonical record per token response: the contract's canonicalRecord (what Compare shows) pairs a token with the
 * refresh and ID tokens of its own token response, exactly as Export writes it — not with the grant's newest ones.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services.ts';
import { fromCanonical } from '../../../src/main/history/format-bridge.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import { maskValue } from '../../../src/shared/mask.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { accessJwt, jwt, opaque } from '../../fixtures/store/helpers.ts';

let backend: TokenscopeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

const GRANT_ID = 'grant-two-refreshes';
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

interface Response {
  readonly access: string;
  readonly refresh: string;
  readonly id: string;
  readonly atMs: number;
}

/** A login and two refreshes of one grant: three token responses, the older tokens superseded. */
function threeResponses(): Response[] {
  return [0, 1, 2].map((n) => {
    const atMs = T0 + n * 600_000;
    return {
      atMs,
      access: accessJwt(atMs, { sub: 'alice', n }),
      refresh: opaque(`rt${String(n)}`),
      id: jwt(
        { iss: 'https://issuer.example', sub: 'alice', aud: 'cli-app', iat: Math.floor(atMs / 1000), n },
        { alg: 'RS256', typ: 'JWT' },
      ),
    };
  });
}

/** The id a bundle gives the token of `kind` in response `n`: the i-th of `ids` below. */
function idOf(kind: string, n: number): string {
  return `tok-${kind}-${String(n)}`;
}

function bundle(responses: readonly Response[]): string {
  const token = (kind: string, v: string, r: Response, n: number, last: boolean) => ({
    id: idOf(kind, n),
    kind,
    value: v,
    format: v.split('.').length === 3 ? 'jwt' : 'opaque',
    status: last ? 'active' : 'superseded',
    grantId: GRANT_ID,
    issuer: 'https://issuer.example',
    subject: 'alice',
    clientId: 'cli-app',
    scopes: ['openid', 'profile'],
    issuedAtMs: r.atMs,
    expiresAtMs: kind === 'access_token' ? r.atMs + 3_600_000 : kind === 'refresh_token' ? r.atMs + 86_400_000 : null,
    source: 'import',
    createdAtMs: r.atMs,
  });
  return JSON.stringify({
    kind: 'tokenscope.bundle',
    version: 1,
    redact: 'full',
    grants: [
      {
        id: GRANT_ID,
        grantType: 'authorization_code',
        issuer: 'https://issuer.example',
        clientId: 'cli-app',
        scopes: ['openid', 'profile'],
        createdAtMs: T0,
        state: 'live',
      },
    ],
    tokens: responses.flatMap((r, i) => {
      const last = i === responses.length - 1;
      return [
        token('access_token', r.access, r, i, last),
        token('refresh_token', r.refresh, r, i, last),
        token('id_token', r.id, r, i, last),
      ];
    }),
  });
}

async function imported(): Promise<{ b: TokenscopeBackend; responses: Response[]; ids: string[] }> {
  backend = await createServices(testPlatform());
  const responses = threeResponses();
  const report = value(await backend.importTokens({ content: bundle(responses) }));
  expect(report.imported).toBe(9);
  const ids = [0, 1, 2].flatMap((n) => ['access_token', 'refresh_token', 'id_token'].map((kind) => idOf(kind, n)));
  for (const id of ids) value(await backend.getToken(id));
  return { b: backend, responses, ids };
}

describe('canonicalRecord (the record Compare shows)', () => {
  it("after two refreshes, the first access token's record carries its own response's refresh and ID tokens, masked", async () => {
    const { b, responses, ids } = await imported();
    const [first, , newest] = responses;
    const [at1, rt1, id1] = ids;
    const { record, tokenIds } = value(await b.canonicalRecord({ tokenId: at1 ?? '' }));
    expect(tokenIds).toEqual([at1, rt1, id1]);
    expect(record.accessToken).toBe(maskValue(first?.access ?? ''));
    expect(record.refreshToken).toBe(maskValue(first?.refresh ?? ''));
    expect(record.idToken).toBe(maskValue(first?.id ?? ''));
    expect(record.refreshToken).not.toBe(maskValue(newest?.refresh ?? ''));
    expect(record.idToken).not.toBe(maskValue(newest?.id ?? ''));
    expect(record.issuedAtMs).toBe(first?.atMs);
    // Never a plain value.
    const text = JSON.stringify(record);
    for (const r of responses) for (const v of [r.access, r.refresh, r.id]) expect(text).not.toContain(v);
  });

  it('a refresh or ID token gets the record of its own token response, itself listed first', async () => {
    const { b, ids } = await imported();
    const [at1, rt1, id1, at2, rt2, id2] = ids;
    const ofRefresh = value(await b.canonicalRecord({ tokenId: rt2 ?? '' }));
    expect(ofRefresh.tokenIds).toEqual([rt2, at2, id2]);
    expect(ofRefresh.record).toEqual(value(await b.canonicalRecord({ tokenId: at2 ?? '' })).record);
    expect(value(await b.canonicalRecord({ tokenId: id1 ?? '' })).tokenIds).toEqual([id1, at1, rt1]);
  });

  it("equals the record Export writes for that token response (each format's output the same)", async () => {
    const { b, ids } = await imported();
    const records = await Promise.all(
      [ids[0], ids[3], ids[6]].map(async (id) => value(await b.canonicalRecord({ tokenId: id ?? '' })).record),
    );
    const format = 'rfc6749.TokenResponse';
    const exported = value(await b.exportTokens({ format, redact: 'masked' }));
    expect(exported.tokenCount).toBe(9);
    const written = JSON.parse(readFileSync(exported.path, 'utf8')) as unknown[];
    expect(written).toEqual(records.map((r) => fromCanonical(r, format).output));
  });

  it('a token without a grant is its own record; an unknown id is ERR_NOT_FOUND, a missing one ERR_INVALID_ARGUMENT', async () => {
    backend = await createServices(testPlatform());
    const token = accessJwt(Date.now(), { sub: 'paste-user' });
    const [id] = value(await backend.saveToken({ text: token })).ids;
    const { record, tokenIds } = value(await backend.canonicalRecord({ tokenId: id ?? '' }));
    expect(tokenIds).toEqual([id]);
    expect(record.accessToken).toBe(maskValue(token));
    expect(record.refreshToken).toBeUndefined();
    const missing = await backend.canonicalRecord({ tokenId: 'no-such-token' });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('ERR_NOT_FOUND');
    const bad = await backend.canonicalRecord({} as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_ARGUMENT');
  });
});

import { describe, expect, it } from 'vitest';
import { inspectText, MAX_INPUT_BYTES, type InspectResult, type TokenInspection } from '../../../../src/shared/token/inspect.ts';
import { TokenscopeError, type ErrorCode } from '../../../../src/shared/result.ts';
import { FIXTURE_NOW_MS, fixtureText, tokenFixture } from '../formats/fixtures.ts';
import { b64url, fakeSignedJwt, rawJwt, unsignedJwt } from './helpers.ts';

const NOW = FIXTURE_NOW_MS;
const inspect = (text: string): InspectResult => inspectText(text, { nowMs: NOW, comparison: true });

function codeOf(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof TokenscopeError) return e.code;
    throw e;
  }
}

const findingCodes = (r: TokenInspection): string[] => r.findings.map((f) => f.code);

describe('inspect: what kind of input', () => {
  const at = tokenFixture('access-token.hs256.jwt');

  it('reads a compact JWS as a jwt with header, payload and raw segments', () => {
    const r = inspect(at);
    expect(r.input.kind).toBe('jwt');
    expect(r.jwt?.header['typ']).toBe('at+jwt');
    expect(r.jwt?.payload['sub']).toBe('alice');
    expect(`${r.jwt?.raw.header}.${r.jwt?.raw.payload}.${r.jwt?.raw.signature}`).toBe(at);
    expect(r.jwt?.signature.state).toBe('unverified');
    expect(r.summary).toMatchObject({
      kind: 'access_token',
      issuer: 'https://issuer.example.com',
      subject: 'alice',
      clientId: 'client-123',
      expiresAtMs: 1_700_003_600_000,
    });
    expect(r.canonical).toMatchObject({
      accessToken: at,
      issuedAtMs: 1_700_000_000_000,
      expiresAtMs: 1_700_003_600_000,
      expiresInS: 3600,
      subject: 'alice',
      clientId: 'client-123',
    });
    expect(r.findings).toEqual([]);
  });

  it('reads surrounding whitespace as nothing', () => {
    expect(inspect(`\n  ${at}\t\n`).input.kind).toBe('jwt');
  });

  it('reads `Bearer <token>` and a whole Authorization header line', () => {
    for (const text of [`Bearer ${at}`, `Authorization: Bearer ${at}`, `authorization:bearer   ${at}`]) {
      const r = inspect(text);
      expect(r.input.kind).toBe('authorization-header');
      expect(r.input.tokenKind).toBe('jwt');
      expect(r.input.scheme).toBe('Bearer');
      expect(r.canonical.tokenType).toBe('Bearer');
      expect(r.jwt?.payload['sub']).toBe('alice');
    }
    expect(inspect('Authorization: DPoP abc.def-ghi').input.scheme).toBe('DPoP');
  });

  it('refuses a Basic Authorization header with ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('Authorization: Basic dXNlcjpwYXNz'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('reads an implicit-flow redirect URL (fragment) as a token response', () => {
    const r = inspect(
      `https://app.example.com/cb#access_token=${at}&token_type=Bearer&expires_in=3600&state=xyz&scope=openid%20profile`,
    );
    expect(r.input.kind).toBe('redirect-url');
    expect(r.input.redirect?.location).toBe('fragment');
    expect(r.input.redirect?.state).toBe('xyz');
    expect(r.format).toBe('rfc6749.TokenResponse');
    expect(r.canonical).toMatchObject({ accessToken: at, tokenType: 'Bearer', expiresInS: 3600, scopes: ['openid', 'profile'] });
    expect(r.jwt?.payload['sub']).toBe('alice');
    expect(findingCodes(r)).toContain('TOKEN_IN_URL');
  });

  it('reads a code-flow redirect URL: the code, the state, nothing decoded', () => {
    const r = inspect('http://127.0.0.1:5173/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj');
    expect(r.input.kind).toBe('redirect-url');
    expect(r.input.redirect).toMatchObject({ location: 'query', code: 'SplxlOBeZQQYbYS6WxSbIA', state: 'af0ifjsldkj' });
    expect(findingCodes(r)).toContain('AUTHORIZATION_CODE');
    expect(r.canonical).toEqual({});
  });

  it('reads an error redirect as REDIRECT_ERROR', () => {
    const r = inspect('myapp://cb?error=access_denied&error_description=user%20said%20no&state=s');
    expect(r.input.redirect?.error).toBe('access_denied');
    expect(findingCodes(r)).toContain('REDIRECT_ERROR');
  });

  it('refuses a URL without token parameters with ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('https://example.com/page?x=1'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('reads a compact JWE: protected header only, payload reported as encrypted', () => {
    const jwe = `${Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' })).toString('base64url')}.ZW5jcnlwdGVka2V5.aXZpdml2aXZpdg.Y2lwaGVydGV4dA.dGFndGFndGFndGFn`;
    const r = inspect(jwe);
    expect(r.input.kind).toBe('jwe');
    expect(r.jwe?.header['enc']).toBe('A256GCM');
    expect(r.jwt).toBeUndefined();
    expect(findingCodes(r)).toEqual(['ENCRYPTED_PAYLOAD']);
  });

  it('reads a random string as an opaque token', () => {
    const r = inspect('2YotnFZFEjr1zCsicMWpAA');
    expect(r.input.kind).toBe('opaque');
    expect(r.canonical).toEqual({ accessToken: '2YotnFZFEjr1zCsicMWpAA' });
    expect(r.findings).toEqual([]);
  });

  it('says what a well-known opaque prefix suggests (OPAQUE_HINT), as a hint only', () => {
    const r = inspect('gho_16C7e42F292c6912E7710c838347Ae178B4a');
    expect(r.input.kind).toBe('opaque');
    // GitHub's quirk follows the hint, also as information only.
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([
      ['OPAQUE_HINT', 'info'],
      ['PROVIDER_QUIRK', 'info'],
    ]);
  });

  it('reads a token object and names its format', () => {
    const r = inspect(fixtureText('serendip.TokenModel.json'));
    expect(r.input.kind).toBe('token-object');
    expect(r.format).toBe('serendip.TokenModel');
    expect(r.canonical.expiresInS).toBe(7200);
    expect(r.comparison.source).toBe('serendip.TokenModel');
  });

  it('records where each canonical value of a token object came from, and in which unit', () => {
    const r = inspect(fixtureText('serendip.TokenModel.json'));
    expect(r.provenance?.find((p) => p.concept === 'expiresInS')).toEqual({
      concept: 'expiresInS',
      field: 'expires_in',
      unit: 'duration-ms',
      raw: 7_200_000,
    });
    expect(r.provenance?.find((p) => p.concept === 'issuedAtMs')?.unit).toBe('epoch-ms');
  });

  it('reads an overflowing number in a token object as null, with NON_FINITE_NUMBER', () => {
    const r = inspect('{"access_token":"a","token_type":"Bearer","expires_in":1e400}');
    expect(r.findings.map((f) => f.code)).toContain('NON_FINITE_NUMBER');
    expect(r.canonical.expiresInS).toBeUndefined();
    expect(JSON.stringify(r)).not.toMatch(/Infinity|NaN/);
  });

  it('reports a duplicate field of a token object as DUPLICATE_CLAIM', () => {
    const r = inspect('{"access_token":"a","token_type":"Bearer","access_token":"b"}');
    expect(r.findings.find((f) => f.code === 'DUPLICATE_CLAIM')?.field).toBe('access_token');
    expect(r.canonical.accessToken).toBe('b');
  });

  it('decodes the JWTs inside a token object and takes the access token as the main JWT', () => {
    const r = inspect(fixtureText('rfc6749.TokenResponse.jwt-access-token.json'));
    expect(r.jwt?.payload['client_id']).toBe('client-123');
    expect(r.embedded.map((e) => [e.role, e.kind])).toEqual([['access_token', 'jwt']]);
    const withId = inspect(fixtureText('rfc6749.TokenResponse.json'));
    expect(withId.embedded.map((e) => [e.role, e.kind])).toEqual([
      ['access_token', 'opaque'],
      ['id_token', 'jwt'],
      ['refresh_token', 'opaque'],
    ]);
    expect(withId.jwt?.payload['nonce']).toBe('n-0S6_WzA2Mj');
  });

  it("finds the token object inside a wrapper (Authlete's list response) and says so", () => {
    const item = JSON.parse(fixtureText('authlete.AccessToken.json')) as unknown;
    const list = { start: 0, end: 2, client: null, subject: 'john', totalCount: 2, accessTokens: [item, item] };
    const r = inspect(JSON.stringify(list));
    expect(r.input.path).toBe('accessTokens[0]');
    expect(r.format).toBe('authlete.AccessToken');
    expect(findingCodes(r)).toContain('NESTED_TOKEN');
    expect(inspect(JSON.stringify({ data: JSON.parse(fixtureText('serendip.TokenModel.json')) })).format).toBe(
      'serendip.TokenModel',
    );
  });

  it('reads a token object in the format asked for, and says detection disagreed', () => {
    const r = inspectText(fixtureText('rfc6749.TokenResponse.json'), { nowMs: NOW, formatId: 'affinidi.OAuth2Token' });
    expect(r.format).toBe('affinidi.OAuth2Token');
    expect(findingCodes(r)).toContain('FORMAT_CHOSEN');
  });

  it('refuses an unknown --format with ERR_UNKNOWN_FORMAT', () => {
    expect(codeOf(() => inspectText('{"access_token":"a"}', { formatId: 'nope' }))).toBe('ERR_UNKNOWN_FORMAT');
  });

  it('says when the fields fit several formats equally (AMBIGUOUS_FORMAT)', () => {
    const r = inspect(fixtureText('affinidi.OAuth2Token.json'));
    expect(findingCodes(r)).toContain('AMBIGUOUS_FORMAT');
  });
});

describe('inspect: bad input', () => {
  it('empty text → ERR_EMPTY_INPUT', () => {
    expect(codeOf(() => inspect(''))).toBe('ERR_EMPTY_INPUT');
  });

  it('whitespace only → ERR_EMPTY_INPUT', () => {
    expect(codeOf(() => inspect(' \n\t '))).toBe('ERR_EMPTY_INPUT');
  });

  it('input over 1 MiB → ERR_INPUT_TOO_LARGE, before any parsing', () => {
    expect(codeOf(() => inspect(`{${'a'.repeat(MAX_INPUT_BYTES)}`))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('input over 1 MiB in UTF-8 bytes (but not in characters) → ERR_INPUT_TOO_LARGE', () => {
    expect(codeOf(() => inspect('é'.repeat(MAX_INPUT_BYTES / 2 + 1)))).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('counts input bytes as UTF-8, as TextEncoder does (multi-byte, surrogate pairs, lone surrogates)', () => {
    for (const text of ['gho_abc', ' \u00a0gho_abc\u3000', 'gho_é', 'gho_😀x', 'gho_\ud800x', 'gho_x\udc00']) {
      let bytes: number;
      try {
        bytes = inspectText(text, { nowMs: NOW }).input.bytes;
      } catch {
        continue; // not a token: nothing to count
      }
      expect(bytes).toBe(new TextEncoder().encode(text).length);
    }
    expect(inspectText(' gho_abc\u00a0', { nowMs: NOW }).input.bytes).toBe(10);
  });

  it('decodes non-ASCII claims and refuses a payload that is not UTF-8', () => {
    const r = inspect(fakeSignedJwt({ sub: 'ü€😀', name: 'Zoë' }));
    expect(r.jwt?.payload).toEqual({ sub: 'ü€😀', name: 'Zoë' });
    const bad = `${b64url('{"alg":"RS256"}')}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.c2ln`;
    expect(codeOf(() => inspect(bad))).toBe('ERR_MALFORMED_JWT');
  });

  it('a JSON array → ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('[1,2,3]'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('JSON null → ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('null'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('a JSON string → ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('"eyJhbGciOiJub25lIn0.e30."'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('a JSON object with no token fields → ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('{"hello":"world"}'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('truncated JSON → ERR_INVALID_JSON', () => {
    expect(codeOf(() => inspect('{"access_token": "2YotnFZFEjr1zCsicMWpAA", "token_type": "Bea'))).toBe('ERR_INVALID_JSON');
  });

  it('a JWT with + and / in its segments → opaque, with NOT_A_JWT saying why', () => {
    const jwt = fakeSignedJwt({ sub: 'x' });
    const broken = jwt.replace(/^eyJ(.)/, 'eyJ+').replace(/\.(.)/, './');
    const r = inspect(broken);
    expect(r.input.kind).toBe('opaque');
    expect(findingCodes(r)).toEqual(['NOT_A_JWT']);
  });

  it('a JWT with spaces inside → ERR_MALFORMED_JWT', () => {
    const jwt = fakeSignedJwt({ sub: 'x' });
    expect(codeOf(() => inspect(`${jwt.slice(0, 10)} ${jwt.slice(10)}`))).toBe('ERR_MALFORMED_JWT');
  });

  it('a truncated JWT (two segments) → opaque, with NOT_A_JWT', () => {
    const r = inspect(fakeSignedJwt({ sub: 'x' }).split('.').slice(0, 2).join('.'));
    expect(r.input.kind).toBe('opaque');
    expect(findingCodes(r)).toEqual(['NOT_A_JWT']);
  });

  it('a JWT whose header segment is base64url but not JSON → opaque, with NOT_A_JWT', () => {
    const r = inspect(`eyJub3QganNvbg.${Buffer.from('{"sub":"x"}').toString('base64url')}.c2ln`);
    expect(r.input.kind).toBe('opaque');
    expect(findingCodes(r)).toEqual(['NOT_A_JWT']);
  });

  it('a JWT whose payload segment is not JSON → ERR_MALFORMED_JWT', () => {
    expect(codeOf(() => inspect(rawJwt('{"alg":"HS256"}', 'not json', 'c2ln')))).toBe('ERR_MALFORMED_JWT');
  });

  it('a JWT whose payload is JSON but not an object → ERR_MALFORMED_JWT', () => {
    expect(codeOf(() => inspect(rawJwt('{"alg":"HS256"}', '[1,2]', 'c2ln')))).toBe('ERR_MALFORMED_JWT');
  });

  it('a JWT whose payload is not UTF-8 → ERR_MALFORMED_JWT', () => {
    const bad = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.c2ln`;
    expect(codeOf(() => inspect(bad))).toBe('ERR_MALFORMED_JWT');
  });

  it('a JWT nested deeper than 64 levels → ERR_MALFORMED_JWT', () => {
    expect(codeOf(() => inspect(rawJwt('{"alg":"none"}', `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`)))).toBe(
      'ERR_MALFORMED_JWT',
    );
  });

  it('prose with spaces → ERR_NOT_A_TOKEN', () => {
    expect(codeOf(() => inspect('this is not a token'))).toBe('ERR_NOT_A_TOKEN');
  });

  it('a deeply nested JSON array gets a typed error, not a stack overflow', () => {
    expect(codeOf(() => inspect('['.repeat(500_000) + ']'.repeat(500_000)))).toBe('ERR_NOT_A_TOKEN');
  });

  it('1 MiB of base64url is read as an opaque token', () => {
    const r = inspect('A'.repeat(MAX_INPUT_BYTES));
    expect(r.input.kind).toBe('opaque');
  });
});

describe('inspect: JWT findings', () => {
  it('alg none → signature state unsigned and UNSIGNED_JWT', () => {
    const r = inspect(unsignedJwt({ sub: 'alice' }));
    expect(r.jwt?.signature.state).toBe('unsigned');
    expect(findingCodes(r)).toContain('UNSIGNED_JWT');
  });

  it('a claim that appears twice → DUPLICATE_CLAIM (JSON.parse keeps only the last)', () => {
    const r = inspect(rawJwt('{"alg":"none"}', '{"sub":"alice","admin":false,"admin":true}'));
    expect(r.jwt?.payload['admin']).toBe(true);
    const f = r.findings.find((x) => x.code === 'DUPLICATE_CLAIM');
    expect(f?.field).toBe('admin');
  });

  it('a duplicate inside a nested claim is named by its path', () => {
    const r = inspect(rawJwt('{"alg":"none"}', '{"cnf":{"jkt":"a","jkt":"b"}}'));
    expect(r.findings.find((x) => x.code === 'DUPLICATE_CLAIM')?.field).toBe('cnf.jkt');
  });

  it('__proto__ and constructor claims are data, and no prototype is touched', () => {
    const r = inspect(
      rawJwt('{"alg":"none"}', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"sub":"x"}'),
    );
    expect(Object.hasOwn(r.jwt?.payload ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(r.jwt?.payload)).toBe(Object.prototype);
    const claim = r.claims.find((c) => c.name === 'constructor');
    expect(claim?.registered).toBe(false);
    expect(claim?.value).toEqual({ prototype: { polluted: true } });
    expect(r.findings.filter((f) => f.code === 'PROTOTYPE_CLAIM_NAME').map((f) => f.field)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(r))).toBeTruthy();
  });

  it('a time claim that is not a number → INVALID_TIME_CLAIM', () => {
    const r = inspect(unsignedJwt({ exp: '1700003600' }));
    expect(r.findings.find((f) => f.code === 'INVALID_TIME_CLAIM')?.field).toBe('exp');
    expect(r.claims.find((c) => c.name === 'exp')?.time).toBeUndefined();
  });

  it('a 13-digit value in a seconds claim → UNIT_SUSPECT, read as ms', () => {
    const r = inspect(unsignedJwt({ iat: 1_700_000_000_000 }));
    expect(r.findings.find((f) => f.code === 'UNIT_SUSPECT')?.field).toBe('iat');
    expect(r.claims.find((c) => c.name === 'iat')?.time).toMatchObject({ readAs: 'ms', iso: '2023-11-14T22:13:20.000Z' });
  });

  it('a negative time → INVALID_TIME_CLAIM', () => {
    expect(inspect(unsignedJwt({ nbf: -5 })).findings.find((f) => f.code === 'INVALID_TIME_CLAIM')?.field).toBe('nbf');
  });

  it('a time past the year 9999 → INVALID_TIME_CLAIM', () => {
    expect(inspect(unsignedJwt({ exp: 253_402_300_800 })).findings.map((f) => f.code)).toContain('INVALID_TIME_CLAIM');
  });

  it('1e400 → INVALID_TIME_CLAIM, and no Infinity reaches the output', () => {
    const r = inspect(rawJwt('{"alg":"none"}', '{"exp":1e400,"sub":"x"}'));
    expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['INVALID_TIME_CLAIM', 'NON_FINITE_NUMBER']));
    expect(r.jwt?.payload['exp']).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/Infinity|NaN|Invalid Date/);
  });

  it('time claims carry ISO and relative time', () => {
    const r = inspect(unsignedJwt({ iat: 1_700_000_000, exp: 1_700_003_600 }));
    expect(r.claims.find((c) => c.name === 'exp')?.time).toEqual({
      epochMs: 1_700_003_600_000,
      iso: '2023-11-14T23:13:20.000Z',
      relative: 'in 43 minutes',
      readAs: 's',
    });
    expect(r.claims.find((c) => c.name === 'iat')?.time?.relative).toBe('16 minutes ago');
  });

  it('an expired token → EXPIRED; a future nbf → NOT_YET_VALID', () => {
    expect(inspect(unsignedJwt({ exp: 1_600_000_000 })).findings.map((f) => f.code)).toContain('EXPIRED');
    expect(inspect(unsignedJwt({ nbf: 1_800_000_000 })).findings.map((f) => f.code)).toContain('NOT_YET_VALID');
  });

  it('an iat in the future → ISSUED_IN_FUTURE; exp before iat → INVALID_TIME_CLAIM', () => {
    expect(findingCodes(inspect(unsignedJwt({ iat: 1_800_000_000 })))).toContain('ISSUED_IN_FUTURE');
    const r = inspect(unsignedJwt({ iat: 1_700_000_000, exp: 1_699_999_000 }));
    expect(r.findings.find((f) => f.code === 'INVALID_TIME_CLAIM')?.field).toBe('exp');
  });

  it('jku / x5u / x5c / jwk headers → UNTRUSTED_KEY_REFERENCE (never fetched)', () => {
    const r = inspect(
      fakeSignedJwt({ sub: 'x' }, { jku: 'https://attacker.example/jwks', x5u: 'https://attacker.example/cert' }),
    );
    expect(r.findings.filter((f) => f.code === 'UNTRUSTED_KEY_REFERENCE').map((f) => f.field)).toEqual(['jku', 'x5u']);
  });

  it('an unknown crit header → CRIT_UNSUPPORTED', () => {
    expect(inspect(fakeSignedJwt({ sub: 'x' }, { crit: ['exp-ext'], 'exp-ext': 1 })).findings.map((f) => f.code)).toContain(
      'CRIT_UNSUPPORTED',
    );
  });
});

describe('inspect: explanations and profiles', () => {
  it('explains registered, OIDC, RFC 9068, RFC 8693 and vendor claims, and marks the rest', () => {
    const r = inspect(
      unsignedJwt({
        iss: 'i',
        sub: 's',
        aud: 'a',
        client_id: 'c',
        scope: 'x',
        cnf: { jkt: 't' },
        act: { sub: 'svc' },
        may_act: { sub: 'svc' },
        oid: 'o',
        tid: 't',
        roles: ['r'],
        scp: 'x',
        realm_access: { roles: [] },
        resource_access: {},
        'cognito:groups': ['g'],
        token_use: 'access',
        hd: 'example.com',
        azp: 'c',
        cid: 'c',
        uid: 'u',
        'https://example.com/roles': ['admin'],
        favourite_colour: 'blue',
      }),
    );
    const by = (n: string) => r.claims.find((c) => c.name === n);
    for (const n of [
      'iss',
      'sub',
      'aud',
      'client_id',
      'scope',
      'cnf',
      'act',
      'may_act',
      'oid',
      'tid',
      'roles',
      'scp',
      'realm_access',
      'resource_access',
      'cognito:groups',
      'token_use',
      'hd',
      'azp',
      'cid',
      'uid',
    ]) {
      expect(by(n)?.registered, n).toBe(true);
      expect(by(n)?.explanation.length, n).toBeGreaterThan(10);
    }
    expect(by('https://example.com/roles')?.category).toBe('vendor');
    expect(by('favourite_colour')?.registered).toBe(false);
    expect(by('favourite_colour')?.category).toBe('custom');
  });

  it('checks the RFC 9068 profile of an at+jwt access token', () => {
    const r = inspect(fakeSignedJwt({ iss: 'i', exp: 1_700_003_600 }, { typ: 'at+jwt' }));
    const missing = r.findings.filter((f) => f.code === 'AT_JWT_MISSING_CLAIM').map((f) => f.field);
    expect(missing).toEqual(['aud', 'sub', 'client_id', 'iat', 'jti']);
  });

  it('checks ID-token rules: required claims, azp with several audiences, the nonce when known', () => {
    const r = inspectText(fakeSignedJwt({ nonce: 'n1', aud: ['a', 'b'], iss: 'i', sub: 's', exp: 1_700_003_600 }), {
      nowMs: NOW,
      expect: { nonce: 'n2', issuer: 'other' },
    });
    const codes = r.findings.map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining(['ID_TOKEN_MISSING_CLAIM', 'ID_TOKEN_AZP', 'NONCE_MISMATCH', 'ISSUER_MISMATCH']),
    );
    expect(r.summary.kind).toBe('id_token');
  });

  it('builds the comparison table for a bare JWT', () => {
    const r = inspect(tokenFixture('access-token.hs256.jwt'));
    const exp = r.comparison.rows.find((row) => row.concept === 'expiresAtMs');
    expect(exp?.cells.find((c) => c.format === 'serendip.TokenModel')?.value).toBe(1_700_003_600_000);
    expect(exp?.cells.find((c) => c.format === 'rfc6749.TokenResponse')?.flags).toEqual(['NOT_REPRESENTABLE']);
  });

  it('builds the comparison only when asked, and the rest of the result is the same either way', () => {
    const texts = [
      tokenFixture('access-token.hs256.jwt'),
      `Authorization: Bearer ${tokenFixture('access-token.hs256.jwt')}`,
      fixtureText('serendip.TokenModel.json'),
      JSON.stringify({ data: JSON.parse(fixtureText('serendip.TokenModel.json')) }),
      'https://app.example/cb#access_token=abc&token_type=Bearer&expires_in=3600',
      'https://app.example/cb?code=xyz&state=s',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a',
    ];
    for (const text of texts) {
      const bare = inspectText(text, { nowMs: NOW });
      const full = inspectText(text, { nowMs: NOW, comparison: true });
      expect(Object.hasOwn(bare, 'comparison')).toBe(false);
      expect(full.comparison.rows.length).toBeGreaterThan(0);
      const { comparison, ...rest } = full;
      expect(comparison.formats.length).toBe(6);
      expect(rest).toEqual(bare);
      expect(Object.keys(full)).toEqual([...Object.keys(bare), 'comparison']);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  FORMAT_IDS,
  compare,
  convertRecord,
  diff,
  fromCanonical,
  getFormatSpec,
  importToken,
  listFormats,
  toCanonical,
  validate,
  type FormatFinding,
} from '../../../../src/shared/formats/index.ts';
import { TokenscopeError } from '../../../../src/shared/result.ts';
import { fixture } from './fixtures.ts';

const codes = (findings: readonly FormatFinding[]): string[] => findings.map((f) => f.code);

describe('format specs', () => {
  it('has one spec per format id, each field with a type, unit, concept and meaning', () => {
    expect(listFormats().map((s) => s.id)).toEqual([...FORMAT_IDS]);
    for (const spec of listFormats()) {
      expect(spec.fields.length).toBeGreaterThan(0);
      for (const f of spec.fields) {
        expect(f.meaning.length).toBeGreaterThan(10);
        expect(f.documentedType.length).toBeGreaterThan(0);
        expect(typeof f.required).toBe('boolean');
      }
      expect(new Set(spec.fields.map((f) => f.concept)).size).toBe(spec.fields.length);
    }
  });

  it('documents every field of the doc pages', () => {
    expect(
      getFormatSpec('serendip.TokenModel')
        .fields.map((f) => f.name)
        .sort(),
    ).toEqual(
      [
        '_id',
        'access_token',
        'expires_at',
        'expires_in',
        'grant_type',
        'groups',
        'issue_at',
        'refresh_token',
        'token_type',
        'userId',
        'useragent',
        'username',
      ].sort(),
    );
    expect(getFormatSpec('authlete.AccessToken').fields).toHaveLength(12);
    expect(getFormatSpec('gusto.RefreshTokenAuthentication').fields.map((f) => f.sdkName)).toEqual([
      'accessToken',
      'tokenType',
      'expiresIn',
      'createdAt',
      'refreshToken',
      'scope',
    ]);
  });

  it('refuses an unknown format id with ERR_UNKNOWN_FORMAT', () => {
    expect(() => getFormatSpec('nope.Model')).toThrow(TokenscopeError);
    try {
      toCanonical({}, 'nope.Model');
    } catch (e) {
      expect((e as TokenscopeError).code).toBe('ERR_UNKNOWN_FORMAT');
    }
  });

  it('refuses a non-object with ERR_INVALID_ARGUMENT', () => {
    try {
      toCanonical([1, 2], 'rfc6749.TokenResponse');
      expect.unreachable();
    } catch (e) {
      expect((e as TokenscopeError).code).toBe('ERR_INVALID_ARGUMENT');
    }
  });
});

describe('toCanonical', () => {
  it('reads the standard response: seconds lifetime, space-separated scope', () => {
    const r = toCanonical(fixture('rfc6749.TokenResponse.json'), 'rfc6749.TokenResponse');
    expect(r.expiresInS).toBe(3600);
    expect(r.scopes).toEqual(['openid', 'profile', 'email']);
    expect(r.tokenType).toBe('Bearer');
    expect(r.idToken?.startsWith('eyJ')).toBe(true);
    expect(r.issuedAtMs).toBeUndefined();
  });

  it('reads Serendip expires_in as milliseconds (7 200 000 ms = 7200 s) and its times as epoch ms', () => {
    const r = toCanonical(fixture('serendip.TokenModel.json'), 'serendip.TokenModel');
    expect(r.expiresInS).toBe(7200);
    expect(r.issuedAtMs).toBe(1_700_000_000_000);
    expect(r.expiresAtMs).toBe(1_700_007_200_000);
    expect(r.groups).toEqual(['administrators', 'sales']);
    expect(r.userAgent).toContain('Mozilla');
    expect(r.recordId).toBe('5bd1a3f4c2e8a1001f8b4567');
    expect(r.userId).toBe('5bd1a3f4c2e8a1001f8b0001');
    expect(r.username).toBe('alice');
    expect(r.grantType).toBe('password');
  });

  it('reads Gusto createdAt as epoch seconds, in both cases, to the same record', () => {
    const sdk = toCanonical(fixture('gusto.RefreshTokenAuthentication.sdk.json'), 'gusto.RefreshTokenAuthentication');
    const wire = toCanonical(fixture('gusto.RefreshTokenAuthentication.wire.json'), 'gusto.RefreshTokenAuthentication');
    expect(sdk.issuedAtMs).toBe(1_700_000_000_000);
    expect(sdk.expiresInS).toBe(7200);
    expect(wire).toEqual(sdk);
  });

  it('accepts the legacy string createdAt of Gusto and says so', () => {
    const imp = importToken(fixture('gusto.RefreshTokenAuthentication.legacy-string.json'), 'gusto.RefreshTokenAuthentication');
    expect(imp.record.issuedAtMs).toBe(1_700_000_000_000);
    const f = imp.findings.find((x) => x.code === 'DOC_TYPE_MISMATCH');
    expect(f?.field).toBe('createdAt');
    expect(f?.severity).toBe('info');
  });

  it('reads Authlete: hashes not tokens, ms times, 0 means none, numeric client id, upper-case grant', () => {
    const r = toCanonical(fixture('authlete.AccessToken.json'), 'authlete.AccessToken');
    expect(r.accessToken).toBeUndefined();
    expect(r.accessTokenHash).toBe('4kWgGq8zUQyq3Cm1DiVpIz3Y5f7Bq9XQm2Fhd1w8z0c');
    expect(r.expiresAtMs).toBe(1_700_086_400_000);
    expect(r.issuedAtMs).toBe(1_700_000_000_000);
    expect(r.refreshExpiresAtMs).toBeUndefined();
    expect(r.lastRefreshedAtMs).toBeUndefined();
    expect(r.clientId).toBe('26478243745571');
    expect(r.grantType).toBe('authorization_code');
    expect(r.subject).toBe('john');
    expect(r.properties).toEqual([{ key: 'example_parameter', value: 'example_value', hidden: false }]);
    expect(r.refreshScopes).toEqual(['history.read']);
  });

  it('reads a null subject of a client-credentials Authlete record as absent', () => {
    const r = toCanonical(fixture('authlete.AccessToken.client-credentials.json'), 'authlete.AccessToken');
    expect('subject' in r).toBe(false);
    expect('refreshTokenHash' in r).toBe(false);
    expect(r.grantType).toBe('client_credentials');
  });

  it('maps every Authlete grant type to its OAuth wire value', () => {
    expect(toCanonical({ grant_type: 'DEVICE_CODE' }, 'authlete.AccessToken').grantType).toBe(
      'urn:ietf:params:oauth:grant-type:device_code',
    );
    expect(toCanonical({ grant_type: 'TOKEN_EXCHANGE' }, 'authlete.AccessToken').grantType).toBe(
      'urn:ietf:params:oauth:grant-type:token-exchange',
    );
    expect(toCanonical({ grant_type: 'CIBA' }, 'authlete.AccessToken').grantType).toBe('urn:openid:params:grant-type:ciba');
  });

  it('keeps absent values absent: no 0, no empty string', () => {
    const r = toCanonical({ access_token: 'a', token_type: 'Bearer', scope: '' }, 'rfc6749.TokenResponse');
    expect(r).toEqual({ accessToken: 'a', tokenType: 'Bearer' });
  });
});

describe('validate', () => {
  it('reports a missing required field as MISSING_REQUIRED', () => {
    const f = validate({ access_token: 'a' }, 'rfc6749.TokenResponse');
    expect(f.find((x) => x.code === 'MISSING_REQUIRED')?.field).toBe('token_type');
  });

  it("reports Affinidi's id_token string as a documentation finding, not a broken token", () => {
    const f = validate(fixture('affinidi.ConsumerAuthTokenEndpointOutput.json'), 'affinidi.ConsumerAuthTokenEndpointOutput');
    const doc = f.find((x) => x.code === 'DOC_TYPE_MISMATCH');
    expect(doc?.field).toBe('id_token');
    expect(doc?.severity).toBe('info');
    expect(f.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('reports the same for the Python twin', () => {
    const f = validate(fixture('affinidi.OAuth2Token.json'), 'affinidi.OAuth2Token');
    expect(codes(f)).toContain('DOC_TYPE_MISMATCH');
  });

  it('flags a 13-digit value in a seconds field as UNIT_SUSPECT and reads it as ms', () => {
    const imp = importToken({ accessToken: 'a', createdAt: 1_700_000_000_000 }, 'gusto.RefreshTokenAuthentication');
    expect(codes(imp.findings)).toContain('UNIT_SUSPECT');
    expect(imp.record.issuedAtMs).toBe(1_700_000_000_000);
  });

  it('flags a seconds-looking Serendip expires_in and a ms-looking standard expires_in as UNIT_SUSPECT', () => {
    expect(codes(validate({ ...fixture('serendip.TokenModel.json'), expires_in: 7200 }, 'serendip.TokenModel'))).toContain(
      'UNIT_SUSPECT',
    );
    expect(
      codes(validate({ access_token: 'a', token_type: 'Bearer', expires_in: 7_200_000 }, 'rfc6749.TokenResponse')),
    ).toContain('UNIT_SUSPECT');
  });

  it('flags fields a format does not document as UNKNOWN_FIELD', () => {
    const f = validate({ access_token: 'a', token_type: 'Bearer', example_parameter: 'x' }, 'rfc6749.TokenResponse');
    expect(f.find((x) => x.code === 'UNKNOWN_FIELD')?.field).toBe('example_parameter');
  });

  it('flags a value outside a closed enum as INVALID_VALUE', () => {
    expect(codes(validate({ grant_type: 'MAGIC' }, 'authlete.AccessToken'))).toContain('INVALID_VALUE');
    expect(codes(validate({ accessToken: 'a', createdAt: 1, tokenType: 'MAC' }, 'gusto.RefreshTokenAuthentication'))).toContain(
      'INVALID_VALUE',
    );
  });

  it('flags a wrong documented type as DOC_TYPE_MISMATCH', () => {
    const f = validate({ access_token: 'a', token_type: 'Bearer', expires_in: 'soon' }, 'rfc6749.TokenResponse');
    expect(f.find((x) => x.code === 'DOC_TYPE_MISMATCH')?.field).toBe('expires_in');
  });

  it('finds nothing wrong in the fixtures of formats without doc issues', () => {
    for (const [name, id] of [
      ['rfc6749.TokenResponse.json', 'rfc6749.TokenResponse'],
      ['serendip.TokenModel.json', 'serendip.TokenModel'],
      ['gusto.RefreshTokenAuthentication.sdk.json', 'gusto.RefreshTokenAuthentication'],
      ['gusto.RefreshTokenAuthentication.wire.json', 'gusto.RefreshTokenAuthentication'],
      ['authlete.AccessToken.json', 'authlete.AccessToken'],
    ] as const) {
      expect(validate(fixture(name), id), name).toEqual([]);
    }
  });
});

describe('fromCanonical', () => {
  const serendip = toCanonical(fixture('serendip.TokenModel.json'), 'serendip.TokenModel');

  it('writes Serendip lifetimes in ms and Gusto createdAt in seconds', () => {
    expect(fromCanonical(serendip, 'serendip.TokenModel')['expires_in']).toBe(7_200_000);
    const gusto = fromCanonical(serendip, 'gusto.RefreshTokenAuthentication');
    expect(gusto['createdAt']).toBe(1_700_000_000);
    expect(gusto['expiresIn']).toBe(7200);
  });

  it('writes the wire case of Gusto on request', () => {
    const wire = fromCanonical(serendip, 'gusto.RefreshTokenAuthentication', { case: 'snake' });
    expect(wire['created_at']).toBe(1_700_000_000);
    expect(wire['access_token']).toBe(serendip.accessToken);
  });

  it('writes Authlete zeros for "none" and the upper-case grant enum', () => {
    const out = fromCanonical({ accessTokenHash: 'h', grantType: 'refresh_token' }, 'authlete.AccessToken');
    expect(out['refresh_token_expires_at']).toBe(0);
    expect(out['last_refreshed_at']).toBe(0);
    expect(out['grant_type']).toBe('REFRESH_TOKEN');
  });

  it('reports what a format cannot hold as NOT_REPRESENTABLE', () => {
    const out = convertRecord(serendip, 'rfc6749.TokenResponse');
    const concepts = out.findings.filter((f) => f.code === 'NOT_REPRESENTABLE').map((f) => f.concept);
    expect(concepts).toEqual(expect.arrayContaining(['groups', 'userAgent', 'issuedAtMs', 'expiresAtMs']));
    const authlete = convertRecord(serendip, 'authlete.AccessToken');
    expect(authlete.findings.filter((f) => f.code === 'NOT_REPRESENTABLE').map((f) => f.concept)).toContain('accessToken');
    expect(convertRecord({ clientId: 'my-app' }, 'authlete.AccessToken').findings.map((f) => f.code)).toContain(
      'NOT_REPRESENTABLE',
    );
  });

  it('reports required fields the record lacks as MISSING_REQUIRED', () => {
    const out = convertRecord({ accessToken: 'a' }, 'gusto.RefreshTokenAuthentication');
    expect(out.findings.find((f) => f.code === 'MISSING_REQUIRED')?.field).toBe('createdAt');
  });
});

describe('compare', () => {
  it('has one row per concept and one cell per format, with units, required flags and converted values', () => {
    const record = toCanonical(fixture('serendip.TokenModel.json'), 'serendip.TokenModel');
    const table = compare(record, { source: { format: 'serendip.TokenModel', object: fixture('serendip.TokenModel.json') } });
    expect(table.formats).toEqual([...FORMAT_IDS]);
    const lifetime = table.rows.find((r) => r.concept === 'expiresInS');
    expect(lifetime?.canonical).toBe(7200);
    const cell = (f: string) => lifetime?.cells.find((c) => c.format === f);
    expect(cell('serendip.TokenModel')?.value).toBe(7_200_000);
    expect(cell('serendip.TokenModel')?.unit).toBe('duration-ms');
    expect(cell('rfc6749.TokenResponse')?.value).toBe(7200);
    expect(cell('authlete.AccessToken')?.representable).toBe(false);
    expect(cell('authlete.AccessToken')?.flags).toEqual(['NOT_REPRESENTABLE']);
    const groups = table.rows.find((r) => r.concept === 'groups');
    expect(groups?.cells.filter((c) => c.flags.includes('NOT_REPRESENTABLE')).length).toBe(5);
  });

  it('flags required fields a token lacks, and the doc type mismatch in the source column', () => {
    const object = fixture('affinidi.ConsumerAuthTokenEndpointOutput.json');
    const record = toCanonical(object, 'affinidi.ConsumerAuthTokenEndpointOutput');
    const table = compare(record, { source: { format: 'affinidi.ConsumerAuthTokenEndpointOutput', object } });
    const idRow = table.rows.find((r) => r.concept === 'idToken');
    expect(idRow?.cells.find((c) => c.format === 'affinidi.ConsumerAuthTokenEndpointOutput')?.flags).toContain(
      'DOC_TYPE_MISMATCH',
    );
    const issued = table.rows.find((r) => r.concept === 'issuedAtMs');
    expect(issued?.cells.find((c) => c.format === 'gusto.RefreshTokenAuthentication')?.flags).toContain('MISSING_REQUIRED');
  });

  it('flags a 13-digit seconds value in the source column as UNIT_SUSPECT', () => {
    const object = { accessToken: 'a', createdAt: 1_700_000_000_000 };
    const table = compare(toCanonical(object, 'gusto.RefreshTokenAuthentication'), {
      source: { format: 'gusto.RefreshTokenAuthentication', object },
    });
    const cell = table.rows
      .find((r) => r.concept === 'issuedAtMs')
      ?.cells.find((c) => c.format === 'gusto.RefreshTokenAuthentication');
    expect(cell?.flags).toContain('UNIT_SUSPECT');
  });
});

describe('diff', () => {
  it('shows a refresh: rotated refresh token, narrowed scopes, new expiry', () => {
    const before = {
      accessToken: 'access-one-aaaaaaaaaaaa',
      refreshToken: 'refresh-one-aaaaaaaaaa',
      scopes: ['openid', 'profile', 'email'],
      expiresAtMs: 1_700_003_600_000,
      tokenType: 'Bearer',
    };
    const after = {
      accessToken: 'access-two-bbbbbbbbbbbb',
      refreshToken: 'refresh-two-bbbbbbbbbb',
      scopes: ['openid', 'profile'],
      expiresAtMs: 1_700_007_200_000,
      tokenType: 'Bearer',
    };
    const d = diff(before, after);
    const by = (c: string) => d.entries.find((e) => e.concept === c);
    expect(by('refreshToken')?.change).toBe('rotated');
    expect(by('accessToken')?.change).toBe('rotated');
    expect(by('scopes')?.change).toBe('narrowed');
    expect(by('scopes')?.removedValues).toEqual(['email']);
    expect(by('expiresAtMs')?.change).toBe('extended');
    expect(d.unchanged).toContain('tokenType');
    // Token values never appear whole in a diff.
    expect(JSON.stringify(d)).not.toContain('refresh-one-aaaaaaaaaa');
  });

  it('compares token types case-insensitively', () => {
    expect(diff({ tokenType: 'Bearer' }, { tokenType: 'bearer' })).toEqual({ entries: [], unchanged: ['tokenType'] });
  });

  it('reports a refresh token that was kept as unchanged, and added or removed concepts', () => {
    const d = diff({ refreshToken: 'r', scopes: ['a'] }, { refreshToken: 'r', subject: 'alice' });
    expect(d.unchanged).toEqual(['refreshToken']);
    expect(d.entries.map((e) => [e.concept, e.change])).toEqual([
      ['scopes', 'removed'],
      ['subject', 'added'],
    ]);
  });
});

import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { tokenFacts } from '../../../src/main/store/token-facts.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';

/** The store decodes a JWT's two segments itself (once each): it must accept and refuse exactly what jose does. */
const seg = (bytes: string | Buffer): string => Buffer.from(bytes).toString('base64url');
const HEADER = seg('{"alg":"RS256","typ":"at+jwt"}');
const SIG = seg('signature');

const CASES: [string, string][] = [
  ['a plain JWT', `${HEADER}.${seg('{"iss":"https://a.example","sub":"bob","exp":2000000000,"scope":"openid email"}')}.${SIG}`],
  ['whitespace and unicode in the JSON', `${HEADER}.${seg(' {\n "sub" : "zoë",\t"n": 1e3 } ')}.${SIG}`],
  [
    'a BOM before the claims',
    `${HEADER}.${seg(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"sub":"bom"}')]))}.${SIG}`,
  ],
  [
    'claims that are not UTF-8',
    `${HEADER}.${seg(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))}.${SIG}`,
  ],
  ['claims that are an array', `${HEADER}.${seg('[1,2]')}.${SIG}`],
  ['claims that are null', `${HEADER}.${seg('null')}.${SIG}`],
  ['claims that are not JSON', `${HEADER}.${seg('nope')}.${SIG}`],
  ['an empty payload', `${HEADER}..${SIG}`],
  ['a payload of 4n+1 characters', `${HEADER}.${seg('{"sub":"xy"}')}A.${SIG}`],
  ['a header of 4n+1 characters', `${HEADER}A.${seg('{"sub":"x"}')}.${SIG}`],
  ['a header that is not JSON', `${seg('{"alg"')}.${seg('{"sub":"x"}')}.${SIG}`],
  ['duplicate claim names', `${HEADER}.${seg('{"sub":"first","sub":"last"}')}.${SIG}`],
];

it('the odd-length cases are what they say', () => {
  for (const [name, value] of CASES.filter(([n]) => n.includes('4n+1'))) {
    const [h = '', p = ''] = value.split('.');
    expect((name.includes('payload') ? p : h).length % 4, name).toBe(1);
  }
});

function jose(value: string): { header: unknown; claims: unknown } | 'refused' {
  try {
    return { header: decodeProtectedHeader(value), claims: decodeJwt(value) };
  } catch {
    return 'refused';
  }
}

function ours(
  value: string,
): { header: unknown; claims: unknown; headerJson: string | null; claimsJson: string | null } | 'refused' {
  try {
    const f = tokenFacts(value, true);
    return { header: f.header, claims: f.claims, headerJson: f.headerJson, claimsJson: f.claimsJson };
  } catch (e) {
    expect((e as TokenscopeError).code).toBe('ERR_MALFORMED_JWT');
    return 'refused';
  }
}

describe('tokenFacts decodes JWTs as jose does', () => {
  for (const [name, value] of CASES) {
    it(`${name}: same outcome as decodeJwt + decodeProtectedHeader`, () => {
      const expected = jose(value);
      const got = ours(value);
      if (expected === 'refused') {
        expect(got).toBe('refused');
        // not strict: kept as an opaque token
        expect(tokenFacts(value).isJwt).toBe(false);
        return;
      }
      expect(got).not.toBe('refused');
      if (got === 'refused') return;
      expect(got.header).toEqual(expected.header);
      expect(got.claims).toEqual(expected.claims);
      // the JSON text the history keeps reads back as the same objects
      expect(JSON.parse(got.headerJson ?? 'null')).toEqual(expected.header);
      expect(JSON.parse(got.claimsJson ?? 'null')).toEqual(expected.claims);
    });
  }

  it('reads the facts from the claims', () => {
    const f = tokenFacts(CASES[0]?.[1] ?? '');
    expect(f).toMatchObject({
      isJwt: true,
      issuer: 'https://a.example',
      subject: 'bob',
      scopes: ['openid', 'email'],
      expiresAtMs: 2_000_000_000_000,
    });
  });

  it('an opaque value has no facts, and a strict save of a broken JWT shape is refused', () => {
    expect(tokenFacts('rt_abcdef').isJwt).toBe(false);
    expect(() => tokenFacts('eyJhbGciOi.bb!b.cccc', true)).toThrow(TokenscopeError);
  });
});

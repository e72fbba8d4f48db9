import { describe, expect, it } from 'vitest';
import { detect, topCandidates, type FormatId } from '../../../../src/shared/formats/index.ts';
import { fixture } from './fixtures.ts';

const cases: [string, FormatId][] = [
  ['rfc6749.TokenResponse.json', 'rfc6749.TokenResponse'],
  ['rfc6749.TokenResponse.jwt-access-token.json', 'rfc6749.TokenResponse'],
  ['serendip.TokenModel.json', 'serendip.TokenModel'],
  ['affinidi.ConsumerAuthTokenEndpointOutput.json', 'affinidi.ConsumerAuthTokenEndpointOutput'],
  ['gusto.RefreshTokenAuthentication.sdk.json', 'gusto.RefreshTokenAuthentication'],
  ['gusto.RefreshTokenAuthentication.wire.json', 'gusto.RefreshTokenAuthentication'],
  ['gusto.RefreshTokenAuthentication.legacy-string.json', 'gusto.RefreshTokenAuthentication'],
  ['authlete.AccessToken.json', 'authlete.AccessToken'],
  ['authlete.AccessToken.client-credentials.json', 'authlete.AccessToken'],
];

describe('detect', () => {
  it.each(cases)('ranks the format of %s first', (name, format) => {
    const candidates = detect(fixture(name));
    expect(candidates[0]?.format).toBe(format);
    expect(candidates[0]?.reasons.length).toBeGreaterThan(0);
  });

  it('scores lie in [0, 1] and come best first', () => {
    for (const [name] of cases) {
      const candidates = detect(fixture(name));
      for (const c of candidates) expect(c.score).toBeGreaterThanOrEqual(0);
      for (const c of candidates) expect(c.score).toBeLessThanOrEqual(1);
      const scores = candidates.map((c) => c.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('reports the two Affinidi models as a tie: they share one wire shape', () => {
    const top = topCandidates(detect(fixture('affinidi.OAuth2Token.json'))).map((c) => c.format);
    expect(top).toEqual(['affinidi.ConsumerAuthTokenEndpointOutput', 'affinidi.OAuth2Token']);
  });

  it('prefers the standard response over Affinidi when nothing points at Affinidi', () => {
    const c = detect({ access_token: 'abc', token_type: 'Bearer', expires_in: 3600, scope: 'a', id_token: 'x.y.z' });
    expect(c[0]?.format).toBe('rfc6749.TokenResponse');
  });

  it('prefers Affinidi when token_type is missing (every Affinidi field is optional)', () => {
    const c = detect({ access_token: 'abc', expires_in: 3600, scope: 'a' });
    expect(['affinidi.ConsumerAuthTokenEndpointOutput', 'affinidi.OAuth2Token']).toContain(c[0]?.format);
  });

  it('tells the camelCase SDK shape of Gusto by its case', () => {
    expect(detect(fixture('gusto.RefreshTokenAuthentication.sdk.json'))[0]?.case).toBe('camel');
    expect(detect(fixture('gusto.RefreshTokenAuthentication.wire.json'))[0]?.case).toBe('snake');
  });

  it('uses the unit of created_at to tell Gusto (seconds) from Authlete (ms)', () => {
    expect(detect({ created_at: 1700000000, access_token: 'a' })[0]?.format).toBe('gusto.RefreshTokenAuthentication');
    expect(detect({ created_at: 1700000000000, access_token_hash: 'h' })[0]?.format).toBe('authlete.AccessToken');
  });

  it('returns no candidate for objects that fit no format, and for non-objects', () => {
    expect(detect({ foo: 1, bar: 'x' })).toEqual([]);
    expect(detect({})).toEqual([]);
    expect(detect(null)).toEqual([]);
    expect(detect([1, 2, 3])).toEqual([]);
    expect(detect('access_token')).toEqual([]);
  });
});

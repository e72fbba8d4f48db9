import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/main/oauth/www-authenticate.ts';

describe('WWW-Authenticate', () => {
  it('reads RFC 6750 parameters, quoted and unquoted, with escapes', () => {
    expect(
      parseWwwAuthenticate('Bearer realm="example", error="invalid_token", error_description="The \\"token\\" expired"'),
    ).toEqual([
      {
        scheme: 'Bearer',
        params: { realm: 'example', error: 'invalid_token', error_description: 'The "token" expired' },
        error: 'invalid_token',
        errorDescription: 'The "token" expired',
        realm: 'example',
      },
    ]);
    expect(parseWwwAuthenticate('Bearer error=insufficient_scope, scope="api:read api:write"')[0]).toMatchObject({
      error: 'insufficient_scope',
      scope: ['api:read', 'api:write'],
    });
  });

  it('reads several challenges, RFC 9470 step-up and DPoP (RFC 9449) parameters', () => {
    const challenges = parseWwwAuthenticate(
      'Bearer error="insufficient_user_authentication", acr_values="urn:mace:incommon:iap:silver", max_age=300, DPoP algs="ES256 PS256", error="use_dpop_nonce"',
    );
    expect(challenges.map((c) => c.scheme)).toEqual(['Bearer', 'DPoP']);
    expect(challenges[0]).toMatchObject({ acrValues: ['urn:mace:incommon:iap:silver'], maxAgeS: 300 });
    expect(challenges[1]).toMatchObject({ algs: ['ES256', 'PS256'], error: 'use_dpop_nonce' });
  });

  it('a bare scheme, a token68 and nonsense', () => {
    expect(parseWwwAuthenticate('Bearer')).toEqual([{ scheme: 'Bearer', params: {} }]);
    expect(parseWwwAuthenticate('Negotiate abc123==, Basic realm="x"').map((c) => [c.scheme, c.params])).toEqual([
      ['Negotiate', { token68: 'abc123==' }],
      ['Basic', { realm: 'x' }],
    ]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate('"""')).toEqual([]);
  });
});

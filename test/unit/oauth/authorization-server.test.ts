import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf, issuerToDiscover } from '../../../src/main/oauth/authorization-server.ts';

describe('the authorization server summary', () => {
  it('says what the metadata offers; no grant_types_supported means client credentials are assumed', () => {
    const server: oauth.AuthorizationServer = {
      issuer: 'https://as.example',
      code_challenge_methods_supported: ['S256'],
      pushed_authorization_request_endpoint: 'https://as.example/par',
      revocation_endpoint: 'https://as.example/revoke',
    };
    expect(capabilitiesOf(server)).toEqual({
      pkceS256: true,
      par: true,
      parRequired: false,
      dpop: false,
      deviceCode: false,
      clientCredentials: true,
      tokenExchange: false,
      revocation: true,
      introspection: false,
      userinfo: false,
      issParameter: false,
    });
    expect(capabilitiesOf({ ...server, grant_types_supported: ['authorization_code'] }).clientCredentials).toBe(false);
    expect(
      capabilitiesOf({ ...server, grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'] }).tokenExchange,
    ).toBe(true);
  });

  it('discovers only an https issuer, or http on this machine', () => {
    expect(issuerToDiscover('https://as.example')).toBe('https://as.example');
    expect(issuerToDiscover('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(() => issuerToDiscover('http://as.example')).toThrow(expect.objectContaining({ code: 'ERR_PROFILE_INVALID' }));
    expect(() => issuerToDiscover(42)).toThrow(expect.objectContaining({ code: 'ERR_PROFILE_INVALID' }));
  });
});

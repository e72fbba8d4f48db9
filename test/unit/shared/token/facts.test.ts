/** The one reader of a token's claim facts: the inspection and the history call it and agree. */
import { describe, expect, it } from 'vitest';
import { tokenFacts } from '../../../../src/main/store/token-facts.ts';
import { audiencesOf, claimFacts, clientIdOf, scopesOf } from '../../../../src/shared/token/facts.ts';
import { inspectText } from '../../../../src/shared/token/inspect.ts';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256' }): string =>
  `${b64(header)}.${b64(claims)}.c2ln`;

describe('clientIdOf', () => {
  it('takes client_id first (RFC 9068), then azp (OIDC), then the vendor names cid and appid', () => {
    expect(clientIdOf({ client_id: 'a', azp: 'b', cid: 'c', appid: 'd' }, 'access_token')).toBe('a');
    expect(clientIdOf({ azp: 'b', cid: 'c', appid: 'd' }, 'id_token')).toBe('b');
    expect(clientIdOf({ cid: 'c', appid: 'd' }, 'access_token')).toBe('c');
    expect(clientIdOf({ appid: 'd' }, 'access_token')).toBe('d');
    expect(clientIdOf({ client_id: '', azp: 'b' }, 'access_token')).toBe('b');
    expect(clientIdOf({ client_id: 7 }, 'access_token')).toBeUndefined();
  });

  it("reads a lone aud as the client only for an ID token: an access token's aud is the resource server", () => {
    expect(clientIdOf({ aud: 'my-app' }, 'id_token')).toBe('my-app');
    expect(clientIdOf({ aud: ['my-app'] }, 'id_token')).toBe('my-app');
    expect(clientIdOf({ aud: ['my-app', 'other'] }, 'id_token')).toBeUndefined();
    expect(clientIdOf({ aud: 'https://api.example' }, 'access_token')).toBeUndefined();
    expect(clientIdOf({ aud: 'x' }, 'unknown')).toBeUndefined();
  });
});

describe('claimFacts', () => {
  it('reads issuer, subject, audience, client, scopes and times; absent stays absent', () => {
    expect(
      claimFacts(
        {
          iss: 'https://as.example',
          sub: 'alice',
          aud: ['api'],
          client_id: 'c',
          scope: 'openid  email',
          iat: 1_700_000_000,
          exp: 1_700_003_600,
        },
        'access_token',
      ),
    ).toEqual({
      issuer: 'https://as.example',
      subject: 'alice',
      audience: ['api'],
      clientId: 'c',
      scopes: ['openid', 'email'],
      issuedAtMs: 1_700_000_000_000,
      expiresAtMs: 1_700_003_600_000,
    });
    expect(claimFacts({ sub: 12, exp: 'soon' }, 'unknown')).toEqual({});
    expect(scopesOf({ scp: ['a', 1, 'b'] })).toEqual(['a', 'b']);
    expect(audiencesOf({ aud: '' })).toEqual([]);
  });

  it('gives the history and the inspection the same client for the same token', () => {
    const cases = [
      jwt({ iss: 'i', sub: 's', aud: 'my-app', nonce: 'n', exp: 2_000_000_000 }),
      jwt({ iss: 'i', sub: 's', aud: 'https://api.example', scope: 'read', exp: 2_000_000_000 }),
      jwt({ iss: 'i', aud: 'x', cid: 'okta-client', exp: 1_700_000_000_000 }),
      jwt({ iss: 'i', aud: 'x' }, { alg: 'RS256', typ: 'at+jwt' }),
    ];
    for (const value of cases) {
      const stored = tokenFacts(value);
      const inspected = inspectText(value).summary;
      expect(stored.clientId ?? undefined, value).toBe(inspected.clientId);
      expect(stored.expiresAtMs ?? undefined, value).toBe(inspected.expiresAtMs);
      expect(stored.issuer ?? undefined, value).toBe(inspected.issuer);
      expect(stored.scopes, value).toEqual(inspected.scopes ?? []);
    }
    expect(tokenFacts(cases[0] ?? '').clientId).toBe('my-app');
    expect(tokenFacts(cases[1] ?? '').clientId).toBeNull();
  });
});

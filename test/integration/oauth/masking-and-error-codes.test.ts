import { describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { maskBody, maskForm, maskHeaders, maskUrl } from '../../../src/main/oauth/mask.ts';
import { maskValue } from '../../../src/shared/mask.ts';
import { normalizeProfileSettings } from '../../../src/shared/profile.ts';
import { toAppError } from '../../../src/main/errors.ts';

describe('exchange log masking', () => {
  it('shows long secrets as prefix…suffix and short ones not at all', () => {
    expect(maskValue('abcdefghijklmnopqrstuvwxyz')).toBe('abcd…wxyz');
    expect(maskValue('short')).toBe('…');
  });

  it('masks secret form fields and keeps the others', () => {
    const masked = new URLSearchParams(
      maskForm(
        'grant_type=authorization_code&code=abcdefghijklmnopqrst&code_verifier=0123456789abcdefghijkl&client_secret=s3cr3t-s3cr3t-s3cr3t&client_id=app',
      ),
    );
    expect(masked.get('grant_type')).toBe('authorization_code');
    expect(masked.get('client_id')).toBe('app');
    expect(masked.get('code')).toBe('abcd…qrst');
    expect(masked.get('code_verifier')).toBe('0123…ijkl');
    expect(masked.get('client_secret')).toBe('s3cr…cr3t');
  });

  it('masks Authorization and DPoP headers but keeps the scheme', () => {
    const headers = maskHeaders({
      Authorization: 'Basic YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=',
      DPoP: 'eyJhbGciOiJFUzI1NiJ9.eyJ4Ijp0cnVlfQ.sig-sig-sig',
      Accept: 'application/json',
    });
    expect(headers['authorization']).toBe('Basic YWJj…eXo=');
    expect(headers['dpop']).toMatch(/^eyJh…/);
    expect(headers['accept']).toBe('application/json');
  });

  it('masks tokens in JSON bodies, nested too, and leaves broken JSON as sent', () => {
    const body = JSON.parse(
      maskBody(
        JSON.stringify({ access_token: 'a'.repeat(40), token_type: 'Bearer', nested: { refresh_token: 'r'.repeat(40) } }),
        'application/json',
      ),
    );
    expect(body.access_token).toBe('aaaa…aaaa');
    expect(body.token_type).toBe('Bearer');
    expect(body.nested.refresh_token).toBe('rrrr…rrrr');
    expect(maskBody('{"', 'application/json')).toBe('{"');
  });

  it('masks the code in a callback URL', () => {
    expect(new URL(maskUrl('http://127.0.0.1:1234/callback?code=abcdefghijklmnopqrst&state=xyz')).searchParams.get('code')).toBe(
      'abcd…qrst',
    );
  });
});

describe('profile validation', () => {
  it('fills defaults: public client, PKCE, any loopback port', () => {
    const { settings, problems } = normalizeProfileSettings({ issuer: 'https://login.example.com', clientId: 'app' });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      authMethod: 'none',
      redirectHost: '127.0.0.1',
      redirectPort: 0,
      discovery: true,
      autoRefresh: false,
    });
  });

  it('names each problem by field', () => {
    const { problems } = normalizeProfileSettings({
      issuer: 'http://login.example.com',
      clientId: '',
      redirectPort: 70000,
      authorizationParams: { state: 'mine' },
    });
    expect(problems.map((p) => p.field).sort()).toEqual(['authorizationParams', 'clientId', 'issuer', 'redirectPort']);
  });

  it('needs a token endpoint when discovery is off', () => {
    const { problems } = normalizeProfileSettings({
      issuer: 'https://login.example.com',
      clientId: 'a',
      discovery: false,
      endpoints: {},
    });
    expect(problems.map((p) => p.field)).toEqual(['endpoints.tokenEndpoint']);
  });
});

describe('toAppError maps oauth4webapi errors per endpoint', () => {
  function bodyError(error: string, status: number): unknown {
    return new oauth.ResponseBodyError('server responded with an error in the response body', {
      cause: { error },
      response: new Response(JSON.stringify({ error }), { status }),
    });
  }

  it('invalid_grant at the token endpoint is ERR_INVALID_GRANT, other token errors ERR_TOKEN_ENDPOINT with status and error', () => {
    expect(toAppError(bodyError('invalid_grant', 400), 'token').code).toBe('ERR_INVALID_GRANT');
    expect(toAppError(bodyError('invalid_client', 401), 'token')).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      detail: { status: 401, error: 'invalid_client' },
    });
  });

  it('the same error body means the endpoint it came from', () => {
    expect(toAppError(bodyError('invalid_request', 400), 'revocation').code).toBe('ERR_REVOCATION');
    expect(toAppError(bodyError('invalid_request', 400), 'introspection').code).toBe('ERR_INTROSPECTION');
    expect(toAppError(bodyError('expired_token', 400), 'device-token').code).toBe('ERR_DEVICE_EXPIRED');
    expect(toAppError(bodyError('access_denied', 400), 'device-token').code).toBe('ERR_DEVICE_DENIED');
  });

  it('an authorization error response: access_denied is ERR_AUTHORIZATION_DENIED', () => {
    const params = new URLSearchParams({ error: 'access_denied' });
    expect(
      toAppError(
        new oauth.AuthorizationResponseError('authorization response from the server is an error', { cause: params }),
        'authorization-response',
      ).code,
    ).toBe('ERR_AUTHORIZATION_DENIED');
    const other = new URLSearchParams({ error: 'invalid_scope' });
    expect(toAppError(new oauth.AuthorizationResponseError('x', { cause: other }), 'authorization-response').code).toBe(
      'ERR_AUTHORIZATION_RESPONSE',
    );
  });

  it('a message never carries the server text unescaped beyond one line', () => {
    const error = new oauth.ResponseBodyError('x', {
      cause: { error: 'invalid_grant', error_description: 'line one\nline two' },
      response: new Response('{}', { status: 400 }),
    });
    expect(toAppError(error, 'token').message).not.toContain('\n');
  });
});

import { describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import { maskBody, maskForm, maskHeaders, maskUrl } from '../../../src/main/oauth/mask.ts';
import { maskValue } from '../../../src/shared/mask.ts';
import { normalizeProfileSettings } from '../../../src/shared/profile.ts';
import { toAppError } from '../../../src/main/errors.ts';

const MASK = /^«secret \d+ chars( sha256:[0-9a-f]{6})?»$/;

describe('exchange log masking', () => {
  it('masks secret form fields whole and keeps the others as they were encoded', () => {
    const form =
      'grant_type=authorization_code&code=abcdefghijklmnopqrst&code_verifier=0123456789abcdefghijkl&client_secret=s3cr3t-s3cr3t-s3cr3t&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb';
    const out = maskForm(form);
    const masked = new URLSearchParams(out);
    expect(masked.get('grant_type')).toBe('authorization_code');
    expect(masked.get('client_id')).toBe('app');
    expect(out).toContain('redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb');
    expect(masked.get('code')).toBe(maskValue('abcdefghijklmnopqrst'));
    expect(masked.get('code_verifier')).toMatch(MASK);
    expect(masked.get('client_secret')).toMatch(MASK);
    for (const gone of ['abcd', 'qrst', '0123', 'ijkl', 's3cr']) expect(out).not.toContain(gone);
    expect(maskForm(out)).toBe(out);
  });

  it('masks a Basic header whole (nothing of the base64 of id:secret) and keeps the scheme', () => {
    const headers = maskHeaders({
      Authorization: 'Basic YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=',
      DPoP: 'eyJhbGciOiJFUzI1NiJ9.eyJ4Ijp0cnVlfQ.sig-sig-sig',
      Accept: 'application/json',
      'X-Debug': 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    });
    expect(headers['authorization']).toBe(`Basic ${maskValue('YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=')}`);
    expect(headers['authorization']).not.toMatch(/YWJj|eXo=/);
    expect(headers['dpop']).toMatch(MASK);
    expect(headers['accept']).toBe('application/json');
    expect(headers['x-debug']).toMatch(MASK);
  });

  it('masks tokens in JSON bodies, nested, camelCase and inside other strings', () => {
    const body = JSON.parse(
      maskBody(
        JSON.stringify({
          access_token: 'a'.repeat(40),
          token_type: 'Bearer',
          nested: { refresh_token: 'r'.repeat(40), idToken: 'i'.repeat(30) },
          error_description: 'got eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. back',
        }),
        'application/json',
      ),
    ) as Record<string, Record<string, string> | string>;
    expect(body['access_token']).toMatch(MASK);
    expect(body['token_type']).toBe('Bearer');
    expect((body['nested'] as Record<string, string>)['refresh_token']).toMatch(MASK);
    expect((body['nested'] as Record<string, string>)['idToken']).toMatch(MASK);
    expect(body['error_description']).toMatch(/^got «secret \d+ chars sha256:[0-9a-f]{6}» back$/);
  });

  it('masks text, HTML and broken JSON by what the values look like, whatever the content type says', () => {
    const opaque = 'Zx81Qp0Lm2Nb3Vc4Xy5T';
    const cases: [string, string | null][] = [
      [`{"access_token":"${opaque}`, 'application/json'],
      [`{"access_token": "${opaque}", "refresh`, 'text/plain'],
      [`access_token=${opaque}&token_type=bearer`, 'text/plain'],
      [`access_token=${opaque}&token_type=bearer`, null],
      [`<input type="hidden" name="code" value="short-code">${opaque}`, 'text/html'],
      [`token: ${opaque}`, 'text/plain'],
      [opaque, 'application/jwt'],
      ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'text/plain'],
    ];
    for (const [body, type] of cases) {
      const out = maskBody(body, type);
      expect(out, body).toMatch(/«secret \d+ chars/);
      expect(out, body).not.toContain(opaque.slice(0, 6));
      expect(out, body).not.toContain('short-code');
      expect(out, body).not.toContain('eyJzdWIi');
      expect(maskBody(out, type), `masking twice: ${body}`).toBe(out);
    }
    // Words and what is not token-shaped stay readable.
    expect(maskBody('{"error":"invalid_client', 'application/json')).toBe('{"error":"invalid_client');
    expect(maskBody('<html><body>Internal Server Error</body></html>', 'text/html')).toBe(
      '<html><body>Internal Server Error</body></html>',
    );
  });

  it('masks the code in a callback URL and tokens in a fragment, and the rest of the URL stays', () => {
    const url = maskUrl(
      'http://127.0.0.1:1234/callback?code=abcdefghijklmnopqrst&state=xyz#access_token=eyJhbGciOiJub25lIn0.e30.&x=1',
    );
    expect(new URL(url).searchParams.get('code')).toBe(maskValue('abcdefghijklmnopqrst'));
    expect(new URL(url).searchParams.get('state')).toBe('xyz');
    expect(url).toContain('#access_token=«secret');
    expect(url).toContain('&x=1');
    expect(url).not.toContain('abcd');
    expect(maskUrl(url)).toBe(url);
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

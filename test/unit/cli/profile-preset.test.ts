import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { profileInputFrom } from '../../../src/cli/commands/profile.ts';
import { io } from '../../helpers/cli-io.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const env = { TOKENSCOPE_DATA_DIR: freshDir() };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = io(env);
  const code = await main(args, c);
  return { code, out: c.out(), err: c.err() };
}

describe('tokenscope profile add --preset', () => {
  it('fills the issuer, scopes and parameters of the provider; the user’s own options win', () => {
    const auth0 = profileInputFrom('a', {
      preset: 'auth0',
      fill: ['domain=acme.eu.auth0.com', 'audience=https://api.acme.example'],
      'client-id': 'abc',
    });
    expect(auth0.settings).toMatchObject({
      issuer: 'https://acme.eu.auth0.com/',
      scope: 'openid profile email offline_access',
      authorizationParams: { audience: 'https://api.acme.example' },
      authMethod: 'none',
    });
    const entra = profileInputFrom('e', {
      preset: 'entra',
      fill: ['tenant=common', 'apiAppId=api://1111'],
      'client-id': 'abc',
      scope: 'openid api://1111/Orders.Read',
      param: ['prompt=select_account'],
    });
    expect(entra.settings.scope).toBe('openid api://1111/Orders.Read');
    expect(entra.settings.authorizationParams).toEqual({ prompt: 'select_account' });
  });

  it('GitHub: saved with its fixed endpoints, without asking a discovery document, and its quirks printed', async () => {
    const added = await run([
      'profile',
      'add',
      'gh',
      '--preset',
      'github',
      '--client-id',
      'Iv1.abc',
      '--client-secret',
      's3cret',
    ]);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain('no discovery: the endpoints are set in the profile');
    expect(added.out).toContain('GitHub: GitHub is OAuth 2.0 without OpenID Connect');
    const listed = await run(['profile', 'list', '--json']);
    const gh = (JSON.parse(listed.out) as { name: string; settings: Record<string, unknown> }[]).find((p) => p.name === 'gh');
    expect(gh?.settings).toMatchObject({
      issuer: 'https://github.com',
      discovery: false,
      authMethod: 'client_secret_post',
      endpoints: { tokenEndpoint: 'https://github.com/login/oauth/access_token' },
    });
  });

  it('a preset without its placeholders, or an unknown one, is a usage error that says what to give', async () => {
    const missing = await run(['profile', 'add', 'k', '--preset', 'keycloak', '--client-id', 'c', '--fill', 'realm=r']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--fill baseUrl=');
    expect(missing.err).toContain('Server URL (e.g. https://sso.example.com)');
    const unknown = await run(['profile', 'add', 'p', '--preset', 'ping', '--client-id', 'c']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('auth0, okta, entra, google, keycloak, cognito, github');
  });
});

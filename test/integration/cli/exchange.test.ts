import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer } from '../../helpers/oidc-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { io } from '../../helpers/cli-io.ts';
import { main } from '../../../src/cli/main.ts';
import {
  DEMO_BACKEND_RESOURCE,
  DEMO_JWT_RESOURCE,
  DEMO_SERVICE_CLIENT_ID,
  type RunningIssuer,
} from '../../../src/main/demo-issuer/demo-issuer.ts';

let issuer: RunningIssuer;
const env = { TOKENSCOPE_DATA_DIR: freshDir() };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = io(env);
  const code = await main(args, c);
  return { code, out: c.out(), err: c.err() };
}

beforeAll(async () => {
  issuer = await startTestIssuer();
});

afterAll(async () => {
  await issuer?.close();
});

describe('tokenscope exchange', () => {
  let subjectId = '';

  it('exchanges a stored token for another audience and prints the issued token type', async () => {
    const added = await run([
      'profile',
      'add',
      'svc',
      '--issuer',
      issuer.issuer,
      '--client-id',
      DEMO_SERVICE_CLIENT_ID,
      '--client-secret',
      issuer.serviceClientSecret,
      '--scope',
      'api:read',
      '--param',
      `resource=${DEMO_JWT_RESOURCE}`,
    ]);
    expect(added.code, added.err).toBe(0);
    const cc = await run(['client-credentials', '--profile', 'svc', '--json']);
    expect(cc.code, cc.err).toBe(0);
    subjectId = (JSON.parse(cc.out) as { tokens: { id: string }[] }).tokens[0]!.id;

    const exchanged = await run(['exchange', subjectId, '--audience', DEMO_BACKEND_RESOURCE, '--json']);
    expect(exchanged.code, exchanged.err).toBe(0);
    const result = JSON.parse(exchanged.out) as {
      subjectTokenId: string;
      issuedTokenType: string;
      tokens: { id: string; kind: string }[];
    };
    expect(result.subjectTokenId).toBe(subjectId);
    expect(result.issuedTokenType).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(result.tokens).toMatchObject([{ kind: 'access_token' }]);

    const text = await run(['exchange', subjectId, '--resource', DEMO_BACKEND_RESOURCE, '--scope', 'api:read']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(`exchanged ${subjectId}`);
    expect(text.out).toContain('issued_token_type: an access token (urn:ietf:params:oauth:token-type:access_token)');
  });

  it('without --audience or --resource it is a usage error (exit 2), and a refusal names the server answer', async () => {
    const bare = await run(['exchange', subjectId]);
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('--audience');
    const refused = await run(['exchange', subjectId, '--audience', DEMO_BACKEND_RESOURCE, '--scope', 'api:write']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('invalid_scope');
    expect(refused.err).not.toMatch(/\n\s+at /);
  });
});

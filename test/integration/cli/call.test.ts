import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from '../../helpers/cli-io.ts';
import { startTestIssuer } from '../../helpers/oidc-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { main } from '../../../src/cli/main.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';

let issuer: RunningIssuer;
let api: Server;
let apiBase: string;
let accessId: string;
const seen: { method: string; authorization: string; body: string; header: string }[] = [];
const env = { TOKENSCOPE_DATA_DIR: freshDir() };

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = io(env);
  const code = await main(args, c);
  return { code, out: c.out(), err: c.err() };
}

beforeAll(async () => {
  issuer = await startTestIssuer({
    clients: [
      {
        client_id: 'cli-call',
        client_secret: 'cli-call-secret-0123456789',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
  });
  api = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        authorization: req.headers.authorization ?? '',
        body,
        header: String(req.headers['x-demo'] ?? ''),
      });
      if (req.url === '/refuse') {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="revoked"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const added = await run([
    'profile',
    'add',
    'svc',
    '--issuer',
    issuer.issuer,
    '--client-id',
    'cli-call',
    '--auth-method',
    'client_secret_basic',
    '--client-secret',
    'cli-call-secret-0123456789',
  ]);
  expect(added.code, added.err).toBe(0);
  const obtained = await run(['client-credentials', '--profile', 'svc', '--json']);
  expect(obtained.code, obtained.err).toBe(0);
  accessId = (JSON.parse(obtained.out) as { tokens: { id: string; kind: string }[] }).tokens.find(
    (t) => t.kind === 'access_token',
  )!.id;
});

afterAll(async () => {
  api?.closeAllConnections();
  api?.close();
  await issuer?.close();
});

describe('tokenscope call', () => {
  it('sends the token with -X, -H and --data and prints status, timing and the JSON body', async () => {
    const result = await run(['call', accessId, `${apiBase}/ok`, '-X', 'PUT', '-H', 'X-Demo: yes', '--data', '{"a":1}']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^HTTP 200 {2}\d+ ms/);
    expect(result.out).toContain('"ok": true');
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', body: '{"a":1}', header: 'yes' });
    expect(seen.at(-1)!.authorization).toMatch(/^Bearer .{20,}/);
  });

  it('a refusal exits 1 and says why', async () => {
    const result = await run(['call', accessId, `${apiBase}/refuse`]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('HTTP 401');
    expect(result.out).toContain('Why:');
    expect(result.out).toContain('invalid_token: revoked');
  });

  it('--curl prints the command instead of sending, the token masked', async () => {
    const before = seen.length;
    const result = await run(['call', accessId, `${apiBase}/ok`, '--curl']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^curl -sS -i -H 'authorization: Bearer .*' 'http:\/\/127\.0\.0\.1:\d+\/ok'\n$/);
    expect(result.out).not.toContain(seen.at(-1)!.authorization.slice(7));
    expect(seen.length).toBe(before);
  });

  it('bad arguments are exit 2', async () => {
    expect((await run(['call', accessId])).code).toBe(2);
    expect((await run(['call', accessId, `${apiBase}/ok`, '-H', 'no colon'])).code).toBe(2);
    expect((await run(['call', accessId, 'ftp://example.com/'])).code).toBe(2);
  });
});

describe('tokenscope log', () => {
  it("shows the token's grant in order: the token request, then the API calls, with steps, timing and masked curl", async () => {
    const result = await run(['log', accessId, '--curl']);
    expect(result.code, result.err).toBe(0);
    const lines = result.out.split('\n').filter((l) => /^\s+[+\u2212]\d/.test(l));
    expect(lines[0]).toMatch(/Discovery\s+GET .*\/\.well-known\/openid-configuration\s+200/);
    expect(lines.findIndex((l) => /Token request[^\n]*POST/.test(l))).toBeLessThan(
      lines.findIndex((l) => /API call\s+PUT/.test(l)),
    );
    expect(lines.some((l) => /API call\s+GET .*\/refuse\s+401/.test(l))).toBe(true);
    expect(result.out).toContain('curl -sS -i');
    expect(result.out).not.toContain(seen.at(-1)!.authorization.slice(7));
    const json = await run(['log', accessId, '--json']);
    expect((JSON.parse(json.out) as { step: string }[]).map((e) => e.step)).toContain('api-call');
  });
});

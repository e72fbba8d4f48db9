/**
 * The exchange log keeps no secret whatever the server sends: a real HTTP token endpoint answers text/plain, HTML,
 * broken JSON and JSON; afterwards neither the log API nor any byte of the data dir (database, WAL, key file) holds a
 * token or the client secret, in any encoding the log could have used.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthHarness, type OAuthHarness } from '../../helpers/oidc-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const CLIENT_SECRET = 'log-mask-client-secret-Zq81';
let counter = 0;
/** Values no mask may leave readable: opaque, JWT-shaped and short ones. */
const issued: string[] = [];
function fresh(prefix: string): string {
  counter += 1;
  const value = `${prefix}${String(counter)}x9Kq2Wm7Rt4Yb6Nc`;
  issued.push(value);
  return value;
}
function freshJwt(): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const value = `${b64({ alg: 'none' })}.${b64({ sub: `jwt-subject-${String(++counter)}` })}.`;
  issued.push(value);
  return value;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const answers: Handler[] = [];
let server: Server;
let base: string;
let h: OAuthHarness;
let dataDir: string;
let profileId: string;
/** The flow id (failed) or grant id (saved) of each call, to read its log entries back. */
const links: ({ flowId: string } | { grantId: string })[] = [];
const logged = () => links.flatMap((link) => h.oauth.listExchanges(link));

function answer(status: number, type: string, body: string): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
}

const CASES: readonly [string, () => Handler][] = [
  // GitHub's classic answer: a form, labelled text/plain.
  ['a form body as text/plain', () => answer(200, 'text/plain', `access_token=${fresh('gho_')}&scope=repo&token_type=bearer`)],
  ['JSON as text/plain', () => answer(200, 'text/plain', JSON.stringify({ access_token: fresh('at-'), token_type: 'Bearer' }))],
  ['broken JSON', () => answer(200, 'application/json', `{"access_token":"${fresh('brk-')}","refresh_token":"${fresh('rt-')}`)],
  [
    'broken JSON with camelCase names',
    () => answer(200, 'application/json', `{"accessToken": "${fresh('cc-')}", "idToken": "${freshJwt()}`),
  ],
  [
    'an HTML page with a token in it',
    () =>
      answer(
        500,
        'text/html',
        `<html><body><p>debug: ${freshJwt()}</p><form><input type="hidden" name="code" value="${fresh('c')}"></form><pre>${fresh('raw')}</pre></body></html>`,
      ),
  ],
  ['a bare token as text/plain', () => answer(200, 'text/plain', fresh('bare-'))],
  [
    'a token in an error description',
    () => answer(400, 'application/json', JSON.stringify({ error: 'invalid_grant', error_description: `bad ${freshJwt()}` })),
  ],
  [
    'a valid JSON token response',
    () => answer(200, 'application/json', JSON.stringify({ access_token: fresh('ok-'), token_type: 'Bearer', expires_in: 300 })),
  ],
];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', base).pathname;
    if (path === '/.well-known/openid-configuration') {
      answer(200, 'application/json', JSON.stringify({ issuer: base, token_endpoint: `${base}/token` }))(req, res);
      return;
    }
    req.resume();
    req.on('end', () => (answers.shift() ?? answer(404, 'text/plain', 'none'))(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  dataDir = freshDir('tokenscope-logmask-');
  h = await oauthHarness({ dataDir, requestTimeoutMs: 2000 });
  profileId = (
    await h.oauth.saveProfile({
      name: 'text endpoint',
      settings: { issuer: base, clientId: 'text-client', authMethod: 'client_secret_basic', scope: 'api' },
      clientSecret: CLIENT_SECRET,
    })
  ).id;
});

afterAll(async () => {
  await h?.close();
  server?.closeAllConnections();
  server?.close();
});

/** Every way a value could stand in the log: as is, form-encoded, JSON-escaped, base64 (a Basic header). */
function spellings(value: string): string[] {
  return [
    value,
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    Buffer.from(value).toString('base64'),
    // Eight characters of the middle: a mask that kept "the ends" would leave some.
    value.slice(4, 12),
  ];
}

function dataDirBytes(): Buffer[] {
  return readdirSync(dataDir, { recursive: true })
    .map((name) => join(dataDir, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path));
}

describe('the exchange log of a token endpoint that answers anything', () => {
  it('logs each answer, masked, whatever its content type', async () => {
    for (const [name, make] of CASES) {
      answers.push(make());
      await h.oauth.clientCredentials({ profileId }).then(
        (r) => links.push({ grantId: r.grantId }),
        (e: unknown) => links.push({ flowId: (e as { detail: { flowId: string } }).detail.flowId }),
      );
      expect(answers, name).toHaveLength(0);
    }
    const log = logged().filter((e) => e.url.endsWith('/token'));
    expect(log).toHaveLength(CASES.length);
    for (const entry of log) {
      expect(entry.requestHeaders['authorization']).toMatch(/^Basic «secret \d+ chars sha256:[0-9a-f]{6}»$/);
      expect(entry.responseBody).toMatch(/«secret \d+ chars/);
    }
    // What is not secret stays readable.
    expect(log.some((e) => (e.responseBody ?? '').includes('token_type=bearer'))).toBe(true);
    expect(log.some((e) => (e.responseBody ?? '').includes('invalid_grant'))).toBe(true);
  });

  it('leaves nothing readable in the log API or in any file of the data dir', () => {
    const secrets = [CLIENT_SECRET, Buffer.from(`text-client:${CLIENT_SECRET}`).toString('base64'), ...issued];
    expect(issued.length).toBeGreaterThanOrEqual(10);
    const api = JSON.stringify(logged());
    expect(api).toContain('/token');
    const files = dataDirBytes();
    expect(files.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const spelling of spellings(secret)) {
        expect(api.includes(spelling), `${secret} as ${spelling} in the log API`).toBe(false);
        for (const bytes of files) expect(bytes.includes(spelling), `${secret} as ${spelling} on disk`).toBe(false);
      }
    }
  });
});

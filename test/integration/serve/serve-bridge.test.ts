import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services.ts';
import { PAGE_COOKIE, startServer, type RunningServer } from '../../../src/serve/server.ts';
import { SECRET_FRAGMENT, SECRET_HEADER } from '../../../src/shared/bridge.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => { ok: boolean; value?: unknown; error?: { code: string; detail?: unknown } };
}

function call(
  server: RunningServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as ReturnType<Reply['json']>,
          }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

let backend: TokenscopeBackend;
let server: RunningServer;
let host: string;
beforeAll(async () => {
  backend = await createServices(testPlatform());
  const staticDir = freshDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ backend, staticDir });
  host = `127.0.0.1:${String(server.port)}`;
});
afterAll(async () => {
  await server.close();
  await backend.close();
});

const json = { 'Content-Type': 'application/json' };

describe('serve bridge', () => {
  it('answers a contract call that carries the secret', async () => {
    const r = await call(server, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(r.json().ok).toBe(true);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('refuses a call without the secret with 401 ERR_UNAUTHORIZED', async () => {
    const r = await call(server, '/api/appInfo', { method: 'POST', headers: { ...json, Host: host }, body: '{}' });
    expect(r.status).toBe(401);
    expect(r.json().error?.code).toBe('ERR_UNAUTHORIZED');
  });

  it('refuses a wrong secret with 401 ERR_UNAUTHORIZED', async () => {
    // Its last character changed (to another one: a secret that ends in "x" stays wrong with "y").
    const last = server.secret.slice(-1) === 'x' ? 'y' : 'x';
    const wrong = `${server.secret.slice(0, -1)}${last}`;
    expect(wrong).not.toBe(server.secret);
    const r = await call(server, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: wrong },
      body: '{}',
    });
    expect(r.status).toBe(401);
    expect(r.json().error?.code).toBe('ERR_UNAUTHORIZED');
  });

  it('refuses a foreign Host (DNS rebinding) with 403 even with the secret', async () => {
    const r = await call(server, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, Host: `evil.test:${String(server.port)}`, [SECRET_HEADER]: server.secret },
      body: '{}',
    });
    expect(r.status).toBe(403);
    expect(r.json().error?.code).toBe('ERR_FORBIDDEN');
  });

  it('refuses a foreign Origin with 403 and sends no CORS headers', async () => {
    const r = await call(server, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, Host: host, Origin: 'http://evil.test', [SECRET_HEADER]: server.secret },
      body: '{}',
    });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers an unknown method with 404 ERR_UNKNOWN_METHOD', async () => {
    const r = await call(server, '/api/dropTables', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '{}',
    });
    expect(r.status).toBe(404);
    expect(r.json().error?.code).toBe('ERR_UNKNOWN_METHOD');
  });

  it('does not treat inherited object keys as methods', async () => {
    const r = await call(server, '/api/constructor', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '{}',
    });
    expect(r.status).toBe(404);
  });

  it('answers a malformed JSON body with 400 ERR_INVALID_JSON', async () => {
    const r = await call(server, '/api/inspect', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '{"arg": ',
    });
    expect(r.status).toBe(400);
    expect(r.json().error?.code).toBe('ERR_INVALID_JSON');
  });

  it('answers a JSON body that is not an object with 400 ERR_BAD_REQUEST', async () => {
    const r = await call(server, '/api/inspect', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '[1,2]',
    });
    expect(r.status).toBe(400);
    expect(r.json().error?.code).toBe('ERR_BAD_REQUEST');
  });

  it('returns a method failure as a Result with its stable code', async () => {
    const r = await call(server, '/api/inspect', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '{"arg":""}',
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ ok: false, error: { code: 'ERR_EMPTY_INPUT' } });
  });

  it('a bad argument comes back as ERR_INVALID_ARGUMENT naming the field, one per method family', async () => {
    const bad: [string, unknown, string][] = [
      ['listTokens', { limit: 0 }, 'limit'],
      ['deleteTokens', { ids: 'x' }, 'ids'],
      ['inspect', 42, 'text'],
      ['verifyToken', { token: 'x', keySource: null }, 'keySource'],
      ['startLogin', { profileId: 7 }, 'profileId'],
      ['listExchanges', { grantId: 'g', limit: 'many' }, 'limit'],
    ];
    for (const [method, arg, field] of bad) {
      const r = await call(server, `/api/${method}`, {
        method: 'POST',
        headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
        body: JSON.stringify({ arg }),
      });
      expect(r.status, method).toBe(200);
      expect(r.json(), method).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_ARGUMENT', detail: { field } } });
    }
  });

  it('hands the launch secret to the page in the fragment, and sets a cookie that opens only the static files', async () => {
    const r = await call(server, `/?token=${server.secret}`, { headers: { Host: host } });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`/#${SECRET_FRAGMENT}=${server.secret}`);
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    // The cookie is not the secret: another local port that receives it learns nothing the API accepts.
    const pageToken = /tokenscope_page=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(pageToken).not.toBe('');
    expect(cookie).not.toContain(server.secret);
    const page = await call(server, '/', { headers: { Host: host, Cookie: `${PAGE_COOKIE}=${pageToken}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses an API call or the event stream with only the cookie (401), whichever cookie', async () => {
    const r = await call(server, `/?token=${server.secret}`, { headers: { Host: host } });
    const pageToken = /tokenscope_page=([^;]+)/.exec(String(r.headers['set-cookie']))?.[1] ?? '';
    for (const cookie of [
      `${PAGE_COOKIE}=${pageToken}`,
      `tokenscope_secret=${server.secret}`,
      `${PAGE_COOKIE}=${server.secret}`,
    ]) {
      const api = await call(server, '/api/appInfo', {
        method: 'POST',
        headers: { ...json, Host: host, Cookie: cookie },
        body: '{}',
      });
      expect(api.status, cookie).toBe(401);
      expect(api.json().error?.code).toBe('ERR_UNAUTHORIZED');
      const events = await call(server, '/api/events', { headers: { Host: host, Cookie: cookie } });
      expect(events.status, cookie).toBe(401);
    }
    // The secret in the header is what the API takes.
    const ok = await call(server, '/api/appInfo', {
      method: 'POST',
      headers: { ...json, Host: host, [SECRET_HEADER]: server.secret },
      body: '{}',
    });
    expect(ok.json().ok).toBe(true);
  });

  it('does not serve files outside the renderer directory', async () => {
    const r = await call(server, '/..%2f..%2f..%2fetc%2fpasswd', { headers: { Host: host, [SECRET_HEADER]: server.secret } });
    expect(r.body).not.toContain('root:');
  });

  it('pushes back-end events over SSE to authorized clients only (the secret in a header, as fetch sends it)', async () => {
    const denied = await call(server, '/api/events', { headers: { Host: host } });
    expect(denied.status).toBe(401);
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${String(server.port)}/api/events`, {
      headers: { [SECRET_HEADER]: server.secret },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(': connected');
    await backend.saveToken({ text: 'sse-event-token-0123456789abcdef' });
    let seen = '';
    while (!seen.includes('tokens-changed')) seen += new TextDecoder().decode((await reader.read()).value);
    expect(seen).toMatch(/^data: \{"type":"tokens-changed"/m);
    controller.abort();
  });
});

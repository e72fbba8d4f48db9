/**
 * serve's HTTP edges (issue 14, items 8 and 9), against a real startServer with a real back end: methods on
 * static paths, malformed escapes, the bootstrap redirect, strict Origin, 413 as an answer, HEAD. Raw node:http
 * requests, because fetch would normalise paths like `/.//evil.example/`.
 */
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services.ts';
import { MAX_BODY_BYTES, startServer, type RunningServer } from '../../../src/serve/server.ts';
import { SECRET_FRAGMENT, SECRET_HEADER } from '../../../src/shared/bridge.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** An error the client saw on its side of the connection after the answer (e.g. EPIPE while still sending). */
  clientError?: string;
}

/** One raw request; `body` may be a Buffer written in pieces, so a large upload is really streamed. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let reply: Reply | undefined;
    let clientError: string | undefined;
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          reply = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
          resolve({ ...reply, ...(clientError === undefined ? {} : { clientError }) });
        });
        res.on('error', (e) => reject(e));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      clientError = e.code ?? e.message;
      if (reply === undefined) reject(e);
    });
    const { body } = options;
    if (typeof body === 'string') req.write(body);
    else if (body !== undefined) {
      const piece = 1024 * 1024;
      for (let at = 0; at < body.byteLength; at += piece) req.write(body.subarray(at, at + piece));
    }
    req.end();
  });
}

let backend: TokenscopeBackend;
let server: RunningServer;
let host: string;
let auth: Record<string, string>;
const INDEX = '<!doctype html><title>edges</title>';
beforeAll(async () => {
  backend = await createServices(testPlatform());
  const staticDir = freshDir();
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  server = await startServer({ backend, staticDir });
  host = `127.0.0.1:${String(server.port)}`;
  auth = { Host: host, [SECRET_HEADER]: server.secret };
});
afterAll(async () => {
  await server.close();
  await backend.close();
});

const errorCode = (r: Reply): unknown => (JSON.parse(r.body) as { error?: { code?: string } }).error?.code;

describe('serve: static files answer GET and HEAD only', () => {
  it('answers POST, PUT, DELETE, PATCH, OPTIONS on a static path with 405, Allow: GET, HEAD and an ERR_* body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/', '/index.html', '/some/spa/route']) {
        const r = await raw(path, {
          method,
          headers: { ...auth, 'Content-Type': 'text/plain', 'Content-Length': '1' },
          body: 'x',
        });
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(r.headers.allow, `${method} ${path}`).toBe('GET, HEAD');
        expect(errorCode(r), `${method} ${path}`).toBe('ERR_BAD_REQUEST');
        expect(r.body).not.toContain('<title>');
      }
    }
  });

  it('still requires the secret before saying 405', async () => {
    const r = await raw('/', { method: 'DELETE', headers: { Host: host } });
    expect(r.status).toBe(401);
  });
});

describe('serve: HEAD', () => {
  it('returns the headers of GET without a body', async () => {
    const get = await raw('/index.html', { headers: auth });
    const head = await raw('/index.html', { method: 'HEAD', headers: auth });
    expect(get.status).toBe(200);
    expect(get.body).toBe(INDEX);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    expect(head.headers['content-security-policy']).toBe(get.headers['content-security-policy']);
  });

  it('returns no body for the SPA fallback or an error either', async () => {
    const spa = await raw('/no/such/route', { method: 'HEAD', headers: auth });
    expect(spa.status).toBe(200);
    expect(spa.body).toBe('');
    const missing = await raw('/assets/missing.js', { method: 'HEAD', headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('');
  });
});

describe('serve: malformed %-escapes', () => {
  it('answers a malformed escape in a path with 400 ERR_BAD_REQUEST, not 500', async () => {
    for (const path of ['/%', '/%zz', '/assets/%E0%A4%A', '/%C0%AF', '/api/%zz']) {
      const r = await raw(path, { headers: auth });
      expect(r.status, path).toBe(400);
      expect(errorCode(r), path).toBe('ERR_BAD_REQUEST');
    }
  });

  it('still serves well-formed escapes', async () => {
    const r = await raw('/index%2Ehtml', { headers: auth });
    expect(r.status).toBe(200);
    expect(r.body).toBe(INDEX);
  });
});

describe('serve: the bootstrap redirect', () => {
  it('always goes to `/` (the secret in its fragment), whatever the path around the launch secret', async () => {
    for (const path of ['/.//evil.example/', '//evil.example/', '/./\\evil.example/', '/%2F%2Fevil.example/', '/some/route']) {
      const r = await raw(`${path}?token=${server.secret}&next=//evil.example`, { headers: { Host: host } });
      expect(r.status, path).toBe(303);
      expect(r.headers.location, path).toBe(`/#${SECRET_FRAGMENT}=${server.secret}`);
    }
  });

  it("the browser opener's URL holds a one-time launch code, not the secret: it works once, then never", async () => {
    const open = new URL(server.openUrl);
    expect(server.openUrl).not.toContain(server.secret);
    const code = open.searchParams.get('launch') ?? '';
    expect(code.length).toBeGreaterThanOrEqual(32);
    const first = await raw(`/?launch=${code}`, { headers: { Host: host } });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/#${SECRET_FRAGMENT}=${server.secret}`);
    // copied from a process list after the browser used it: nothing
    const again = await raw(`/?launch=${code}`, { headers: { Host: host, Accept: 'text/html' } });
    expect(again.status).toBe(401);
    expect(again.headers.location).toBeUndefined();
    expect(again.body).not.toContain(server.secret);
    // the printed link keeps working
    expect((await raw(`/?token=${server.secret}`, { headers: { Host: host } })).status).toBe(303);
  });

  it('refuses a request target that is not a path (absolute-form) with 400', async () => {
    const r = await raw(`http://evil.example/?token=${server.secret}`, { headers: { Host: host } });
    expect(r.status).toBe(400);
    expect(r.headers.location).toBeUndefined();
  });
});

describe('serve: Origin parsed strictly', () => {
  const appInfo = (origin: string): Promise<Reply> =>
    raw('/api/appInfo', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', Origin: origin },
      body: '{}',
    });

  it('accepts our own origins', async () => {
    for (const origin of [`http://127.0.0.1:${String(server.port)}`, `http://localhost:${String(server.port)}`]) {
      expect((await appInfo(origin)).status, origin).toBe(200);
    }
  });

  it('refuses an Origin without a scheme, with a path, userinfo, another scheme or another port with 403', async () => {
    const port = String(server.port);
    for (const origin of [
      `127.0.0.1:${port}`,
      `//127.0.0.1:${port}`,
      `http://127.0.0.1:${port}/`,
      `http://127.0.0.1:${port}/evil`,
      `http://user@127.0.0.1:${port}`,
      `http://user:pw@127.0.0.1:${port}`,
      `https://127.0.0.1:${port}`,
      `HTTP://127.0.0.1:${port}`,
      `http://127.0.0.1:${String(server.port + 1)}`,
      'http://127.0.0.1',
      `http://127.0.0.1:0${port}`,
      'null',
      '',
    ]) {
      const r = await appInfo(origin);
      expect(r.status, JSON.stringify(origin)).toBe(403);
      expect(errorCode(r), origin).toBe('ERR_FORBIDDEN');
    }
  });
});

describe('serve: oversized bodies', () => {
  it('answers a 50 MB POST to an API route with a complete 413 ERR_INPUT_TOO_LARGE, not a reset', async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const r = await raw('/api/inspect', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body });
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'ERR_INPUT_TOO_LARGE' } });
    expect(r.clientError).toBeUndefined();
  });

  it('answers an oversized chunked body (no Content-Length) with the same 413', async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES + 1024 * 1024, 0x20);
    const r = await raw('/api/inspect', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body,
    });
    expect(r.status).toBe(413);
    expect(errorCode(r)).toBe('ERR_INPUT_TOO_LARGE');
    expect(r.clientError).toBeUndefined();
  });

  it('refuses a too-large body announced with Expect: 100-continue before it is sent', async () => {
    const r = await new Promise<{ status: number; body: string; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/inspect',
          method: 'POST',
          headers: {
            ...auth,
            'Content-Type': 'application/json',
            'Content-Length': String(50 * 1024 * 1024),
            Expect: '100-continue',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, continued }));
        },
      );
      req.on('continue', () => {
        continued = true;
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(r.continued).toBe(false);
    expect(r.status).toBe(413);
    expect(errorCode({ status: r.status, headers: {}, body: r.body })).toBe('ERR_INPUT_TOO_LARGE');
  });

  it('still lets a small body announced with Expect: 100-continue through', async () => {
    const r = await raw('/api/appInfo', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Content-Length': '2', Expect: '100-continue' },
      body: '{}',
    });
    expect(r.status).toBe(200);
  });

  it('keeps answering other requests after a 413', async () => {
    const r = await raw('/api/appInfo', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(200);
  });
});

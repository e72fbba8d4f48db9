/**
 * Browser mode: the contract as JSON over loopback HTTP plus events over SSE, and the built renderer.
 * Every request needs the per-launch secret (query once, then an HttpOnly cookie, or a header);
 * foreign Host/Origin headers are refused so a DNS-rebinding page cannot reach the API.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { callMethod, isApiMethod, type TokenscopeBackend } from '../shared/api.ts';
import { TokenscopeError, type AppError, type ErrorCode } from '../shared/result.ts';
import { contentTypeFor } from '../main/http/mime.ts';
import { readCappedText } from '../main/http/read-capped.ts';

export const SECRET_COOKIE = 'tokenscope_secret';
export const SECRET_HEADER = 'x-tokenscope-secret';
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ServeOptions {
  readonly backend: TokenscopeBackend;
  /** Directory of the built renderer (index.html + assets). */
  readonly staticDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly secret?: string;
}

export interface RunningServer {
  readonly url: string;
  /** The URL with the secret, printed once for the user. */
  readonly launchUrl: string;
  readonly port: number;
  readonly secret: string;
  close(): Promise<void>;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
} as const;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const error: AppError = { code, message };
  sendJson(res, status, { ok: false, error });
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const { backend, staticDir } = options;
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = backend.onEvent((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of sseClients) client.write(line);
  });
  let allowedHosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS rebinding: only our own loopback host names are acceptable.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendError(res, 403, 'ERR_FORBIDDEN', 'foreign Host header');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
      sendError(res, 403, 'ERR_FORBIDDEN', 'foreign Origin header');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (req.method === 'GET' && queryToken !== undefined && sameSecret(queryToken, secret)) {
      // First load: move the secret from the URL into an HttpOnly cookie, then drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...BASE_HEADERS,
        'Set-Cookie': `${SECRET_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const given = (req.headers[SECRET_HEADER] as string | undefined) ?? cookieValue(req, SECRET_COOKIE);
    if (!sameSecret(given, secret)) {
      sendError(res, 401, 'ERR_UNAUTHORIZED', 'open the URL printed by `tokenscope serve` (it carries the launch secret)');
      return;
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        ...BASE_HEADERS,
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const name = url.pathname.slice('/api/'.length);
      if (!isApiMethod(name)) {
        sendError(res, 404, 'ERR_UNKNOWN_METHOD', `no such method: ${name.slice(0, 60)}`);
        return;
      }
      if (req.method !== 'POST') {
        sendError(res, 405, 'ERR_BAD_REQUEST', 'API methods are called with POST');
        return;
      }
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/json')) {
        sendError(res, 415, 'ERR_BAD_REQUEST', 'the body must be application/json');
        return;
      }
      let body: string;
      try {
        body = await readCappedText(req, { maxBytes: MAX_BODY_BYTES, what: 'the request body' });
      } catch (error) {
        const tooLarge = error instanceof TokenscopeError && error.code === 'ERR_INPUT_TOO_LARGE';
        if (!tooLarge) throw error;
        sendError(res, 413, error.code, error.message);
        return;
      }
      let parsed: unknown;
      try {
        parsed = body === '' ? {} : JSON.parse(body);
      } catch {
        sendError(res, 400, 'ERR_INVALID_JSON', 'the request body is not valid JSON');
        return;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        sendError(res, 400, 'ERR_BAD_REQUEST', 'the request body must be an object {"arg": ...}');
        return;
      }
      // The back end checks the argument against the method's schema.
      sendJson(res, 200, await callMethod(backend, name, (parsed as { arg?: unknown }).arg));
      return;
    }
    serveStatic(url.pathname, res);
  };

  const serveStatic = (pathname: string, res: ServerResponse): void => {
    const root = normalize(staticDir);
    let file = normalize(join(root, decodeURIComponent(pathname)));
    if (!file.startsWith(root + sep) && file !== root) {
      sendError(res, 404, 'ERR_NOT_FOUND', 'not found');
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) {
      // Single-page app: unknown paths get the shell; missing assets are 404.
      if (pathname.startsWith('/assets/')) {
        sendError(res, 404, 'ERR_NOT_FOUND', 'not found');
        return;
      }
      file = join(root, 'index.html');
      if (!existsSync(file)) {
        sendError(res, 503, 'ERR_UNAVAILABLE', 'the renderer is not built: run `npm run build:web`');
        return;
      }
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': contentTypeFor(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': pathname.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    createReadStream(file).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'ERR_INTERNAL', 'internal error');
      else res.end();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      allowedHosts = new Set([`${hostPart}:${String(port)}`, `localhost:${String(port)}`]);
      const url = `http://${hostPart}:${String(port)}/`;
      resolve({
        url,
        launchUrl: `${url}?token=${secret}`,
        port,
        secret,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const client of sseClients) client.end();
            sseClients.clear();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Browser mode: the contract as JSON over loopback HTTP plus events over SSE, and the built renderer.
 * The per-launch secret comes once in the launch URL's query; the bootstrap redirect hands it to the page in the
 * URL fragment (never sent to a server), and the page keeps it in sessionStorage (origin-bound, port included) and
 * sends it in the X-Tokenscope-Secret header on every API call and on the event stream. A cookie cannot be that
 * secret: browsers send cookies for 127.0.0.1 to every port, so any other local web server the browser visits would
 * receive it. The cookie set at launch is a different random value that only opens the static files of the page (the
 * public renderer build); the API answers 401 to it. Foreign Host/Origin headers are refused so a DNS-rebinding
 * page cannot reach the API (the Origin must be
 * exactly our own serialized origin). Only origin-form request targets; a malformed %-escape is 400; static
 * files answer GET and HEAD only (405 otherwise); the bootstrap redirect always goes to `/`; a body over
 * MAX_BODY_BYTES gets a complete 413 before the connection closes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { callMethod, isApiMethod, type TokenscopeBackend } from '../shared/api.ts';
import { SECRET_FRAGMENT, SECRET_HEADER } from '../shared/bridge.ts';
import { TokenscopeError, type AppError, type ErrorCode } from '../shared/result.ts';
import { contentTypeFor } from '../main/http/mime.ts';
import { readCappedText } from '../main/http/read-capped.ts';

/** Opens the page's static files only, never the API (see above). */
export const PAGE_COOKIE = 'tokenscope_page';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** After a 413 the rest of the body is read and dropped (so the client gets the answer, not a reset), up to this much. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;
const STATIC_METHODS = 'GET, HEAD';

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
  /** The URL handed to the browser opener: a one-time launch code instead of the secret (argv is public). */
  readonly openUrl: string;
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

type ExtraHeaders = Readonly<Record<string, string>>;

/** What a browser shows for this address opened without the launch secret: static text, no script, no style. */
const USE_PRINTED_LINK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tokenscope: use the printed link</title></head>
<body><h1>Open the link that <code>tokenscope serve</code> printed</h1>
<p>This address alone does not open Tokenscope: each start of <code>tokenscope serve</code> prints a link that
carries a secret for this launch, so no other page or program on this computer can use your token history.</p>
<p>Copy the whole link from the terminal where <code>tokenscope serve</code> runs and open it here.</p>
</body></html>
`;
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'",
  'Cache-Control': 'no-store',
} as const;

function jsonHead(status: number, text: string, extra: ExtraHeaders): [number, Record<string, string | number>] {
  return [
    status,
    {
      ...BASE_HEADERS,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...extra,
    },
  ];
}

/** A JSON answer; for HEAD Node sends the headers only. */
function sendJson(res: ServerResponse, status: number, body: unknown, extra: ExtraHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(...jsonHead(status, text, extra));
  res.end(text);
}

function errorBody(code: ErrorCode, message: string): { ok: false; error: AppError } {
  return { ok: false, error: { code, message } };
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, extra?: ExtraHeaders): void {
  sendJson(res, status, errorBody(code, message), extra);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * An error answer to a request whose body is not read. Without a body it is a plain answer. With one (a 413, a
 * 405 with a body) it is complete before the connection closes: the whole response is written at once (it has a
 * Content-Length), then the rest of the body is read and dropped, and only then is the response ended, which
 * closes the connection (`Connection: close`). Closing with unread bytes would reset the connection and the
 * client could lose the answer; keeping it open would leave the unread body to be parsed as the next request.
 * A client that keeps sending past DRAIN_MAX_BYTES or DRAIN_MAX_MS is cut off.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  extra: ExtraHeaders = {},
): void {
  if (!hasBody(req)) {
    sendError(res, status, code, message, extra);
    return;
  }
  const text = JSON.stringify(errorBody(code, message));
  res.writeHead(...jsonHead(status, text, { ...extra, Connection: 'close' }));
  res.write(text);
  let drained = 0;
  const finish = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('close', finish);
    if (!res.writableEnded) res.end();
  };
  const onData = (chunk: Buffer): void => {
    drained += chunk.byteLength;
    if (drained > DRAIN_MAX_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MAX_MS);
  timer.unref();
  if (req.readableEnded) {
    finish();
    return;
  }
  req.on('data', onData);
  req.once('end', finish);
  req.once('close', finish);
  req.resume();
}

const TOO_LARGE_MESSAGE = `the request body is larger than ${String(MAX_BODY_BYTES / (1024 * 1024))} MiB`;

function declaredTooLarge(req: IncomingMessage): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > MAX_BODY_BYTES;
}

/** The JSON body as text, or undefined when it was too large (then a 413 has been answered). */
async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  if (declaredTooLarge(req)) {
    refuse(req, res, 413, 'ERR_INPUT_TOO_LARGE', TOO_LARGE_MESSAGE);
    return undefined;
  }
  try {
    // destroyOnReturn: false — an overflow stops reading without destroying the socket under the answer.
    return await readCappedText(req.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>, {
      maxBytes: MAX_BODY_BYTES,
      what: 'the request body',
    });
  } catch (error) {
    const tooLarge = error instanceof TokenscopeError && error.code === 'ERR_INPUT_TOO_LARGE';
    if (!tooLarge) throw error;
    refuse(req, res, 413, 'ERR_INPUT_TOO_LARGE', error.message);
    return undefined;
  }
}

/**
 * The request target as a URL on our own origin. Only origin-form (`/path?query`) is accepted; it is appended to a
 * fixed origin rather than resolved against one, so `//evil.example/` stays a path and never becomes a host.
 */
function targetOf(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://serve.invalid${target}`);
  } catch {
    return undefined;
  }
}

function decodedPath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const pageToken = randomBytes(24).toString('base64url');
  /** The browser opener's URL carries this one-time code, not the secret: command lines are readable by other users. */
  let launchCode: string | null = randomBytes(24).toString('base64url');
  const { backend, staticDir } = options;
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = backend.onEvent((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of sseClients) client.write(line);
  });
  let allowedHosts = new Set<string>();
  /** Exactly the serialized origins of our own host names (scheme, host, our port; no path, no userinfo). */
  let allowedOrigins = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // DNS rebinding: only our own loopback host names are acceptable.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      refuse(req, res, 403, 'ERR_FORBIDDEN', 'foreign Host header');
      return;
    }
    // Compared as the exact serialized origin: no scheme, a path, userinfo or another port is foreign.
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      refuse(req, res, 403, 'ERR_FORBIDDEN', 'foreign Origin header');
      return;
    }
    const url = targetOf(req);
    if (url === undefined) {
      refuse(req, res, 400, 'ERR_BAD_REQUEST', 'the request target must be a path');
      return;
    }
    const queryToken = url.searchParams.get('token') ?? undefined;
    const queryLaunch = url.searchParams.get('launch') ?? undefined;
    const byLaunchCode = req.method === 'GET' && launchCode !== null && sameSecret(queryLaunch, launchCode);
    // Used once: whoever copies it from a process list after the browser opened it gets the "use the printed link" page.
    if (byLaunchCode) launchCode = null;
    if (byLaunchCode || (req.method === 'GET' && queryToken !== undefined && sameSecret(queryToken, secret))) {
      // First load: the secret goes from the query to the fragment, where only the page reads it (it keeps it in
      // sessionStorage and clears the address bar); the cookie opens the static files. Always to `/`: echoing the
      // path back would turn `/.//evil.example/` into an off-site redirect.
      res.writeHead(303, {
        ...BASE_HEADERS,
        'Set-Cookie': `${PAGE_COOKIE}=${pageToken}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `/#${SECRET_FRAGMENT}=${secret}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const header = req.headers[SECRET_HEADER];
    const bySecret = sameSecret(typeof header === 'string' ? header : undefined, secret);
    const api = url.pathname.startsWith('/api/');
    if (!bySecret && (api || !sameSecret(cookieValue(req, PAGE_COOKIE), pageToken))) {
      // A person who opened the bare address gets a page that says what to do; a program gets the JSON error.
      if (!api && (req.method === 'GET' || req.method === 'HEAD') && /\btext\/html\b/.test(req.headers.accept ?? '')) {
        res.writeHead(401, { ...BASE_HEADERS, ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(USE_PRINTED_LINK_PAGE) });
        res.end(req.method === 'HEAD' ? undefined : USE_PRINTED_LINK_PAGE);
        return;
      }
      refuse(
        req,
        res,
        401,
        'ERR_UNAUTHORIZED',
        api
          ? `the API needs the launch secret in the ${SECRET_HEADER} header: open the URL printed by \`tokenscope serve\` again`
          : 'open the URL printed by `tokenscope serve` (it carries the launch secret)',
      );
      return;
    }
    const pathname = decodedPath(url.pathname);
    if (pathname === undefined) {
      refuse(req, res, 400, 'ERR_BAD_REQUEST', 'the path has a malformed %-escape');
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
        refuse(req, res, 404, 'ERR_UNKNOWN_METHOD', `no such method: ${name.slice(0, 60)}`);
        return;
      }
      if (req.method !== 'POST') {
        refuse(req, res, 405, 'ERR_BAD_REQUEST', 'API methods are called with POST');
        return;
      }
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('application/json')) {
        refuse(req, res, 415, 'ERR_BAD_REQUEST', 'the body must be application/json');
        return;
      }
      const body = await readBody(req, res);
      if (body === undefined) return;
      let parsed: unknown;
      try {
        parsed = body === '' ? {} : JSON.parse(body);
      } catch {
        refuse(req, res, 400, 'ERR_INVALID_JSON', 'the request body is not valid JSON');
        return;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        refuse(req, res, 400, 'ERR_BAD_REQUEST', 'the request body must be an object {"arg": ...}');
        return;
      }
      // The back end checks the argument against the method's schema.
      sendJson(res, 200, await callMethod(backend, name, (parsed as { arg?: unknown }).arg));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(req, res, 405, 'ERR_BAD_REQUEST', `static files answer ${STATIC_METHODS} only`, { Allow: STATIC_METHODS });
      return;
    }
    serveStatic(pathname, req.method === 'HEAD', res);
  };

  /** `pathname` is already decoded. HEAD gets the same headers as GET and no body. */
  const serveStatic = (pathname: string, headOnly: boolean, res: ServerResponse): void => {
    const root = normalize(staticDir);
    let file = normalize(join(root, pathname));
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
      'Content-Length': statSync(file).size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': pathname.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    if (headOnly) {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'ERR_INTERNAL', 'internal error');
      else res.end();
    });
  };
  const server: Server = createServer(onRequest);
  // `Expect: 100-continue`: a body declared too large is refused before the client sends it (no 100, nothing to drain).
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredTooLarge(req)) {
      sendError(res, 413, 'ERR_INPUT_TOO_LARGE', TOO_LARGE_MESSAGE, { Connection: 'close' });
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      allowedHosts = new Set([`${hostPart}:${String(port)}`, `localhost:${String(port)}`]);
      // URL#origin drops a default port (80) as browsers do when they serialize an Origin.
      allowedOrigins = new Set([...allowedHosts].map((h) => new URL(`http://${h}`).origin));
      const url = `http://${hostPart}:${String(port)}/`;
      resolve({
        url,
        launchUrl: `${url}?token=${secret}`,
        openUrl: `${url}?launch=${launchCode ?? ''}`,
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

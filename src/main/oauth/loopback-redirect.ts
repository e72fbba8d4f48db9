/** The RFC 8252 loopback redirect listener: one HTTP server on 127.0.0.1 (or [::1]) that takes the authorization callback once. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../../shared/html.ts';
import { TokenscopeError } from '../../shared/result.ts';

export const CALLBACK_PATH = '/callback';

/** What the browser is shown after the callback. */
export interface CallbackPage {
  readonly status: number;
  readonly ok: boolean;
  readonly title: string;
  readonly message: string;
  readonly code?: string;
}

export interface LoopbackListener {
  readonly redirectUri: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface LoopbackOptions {
  readonly host: '127.0.0.1' | '[::1]';
  /** 0 = any free port. */
  readonly port: number;
  /** Called for each GET on the callback path; the page it returns is what the browser sees. */
  readonly onCallback: (url: URL) => Promise<CallbackPage>;
}

/** A self-contained page: no scripts, no external resources, nothing cached, no referrer. */
export function renderResultPage(page: CallbackPage): string {
  const colour = page.ok ? '#0a7d32' : '#b3261e';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Tokenscope: ${escapeHtml(page.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1d1f}h1{color:${colour};font-size:1.4rem}code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}</style>
</head><body><main><h1 data-result="${page.ok ? 'ok' : 'error'}">${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>${page.code ? `<p>Error code: <code>${escapeHtml(page.code)}</code></p>` : ''}
<p>You can close this tab and return to Tokenscope.</p></main></body></html>`;
}

function send(res: ServerResponse, page: CallbackPage): void {
  const body = renderResultPage(page);
  res.writeHead(page.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'none'",
    Connection: 'close',
  });
  res.end(body);
}

export async function listenLoopback(options: LoopbackOptions): Promise<LoopbackListener> {
  const bindHost = options.host === '[::1]' ? '::1' : '127.0.0.1';
  let base = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      // Not the callback (a favicon, a port scan, a forged path): answered and ignored, the flow keeps waiting.
      send(res, { status: 404, ok: false, title: 'Not found', message: 'This address only takes the sign-in callback.' });
      return;
    }
    options.onCallback(url).then(
      (page) => send(res, page),
      () =>
        send(res, {
          status: 500,
          ok: false,
          title: 'Sign-in failed',
          message: 'Tokenscope could not process the callback.',
          code: 'ERR_INTERNAL',
        }),
    );
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new TokenscopeError('ERR_PORT_IN_USE', `port ${options.port} on ${options.host} is already in use`, {
            port: options.port,
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new TokenscopeError('ERR_PORT_IN_USE', `port ${options.port} on ${options.host} may not be used by this user`, {
            port: options.port,
          }),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') {
        reject(new TokenscopeError('ERR_UNAVAILABLE', `${options.host} is not available on this machine`));
      } else {
        reject(new TokenscopeError('ERR_INTERNAL', 'the redirect listener could not start'));
      }
    });
    server.listen({ host: bindHost, port: options.port, exclusive: true }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${options.host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    redirectUri: `${base}${CALLBACK_PATH}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Responses carry Connection: close; idle keep-alive sockets from the browser must not hold the port.
        setImmediate(() => server.closeIdleConnections());
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      return closing;
    },
  };
}

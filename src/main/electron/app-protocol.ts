/**
 * Serves the built renderer on app://tokenscope/ (a privileged standard scheme instead of file://):
 * only files inside the renderer directory, only GET, every response with the app's CSP.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';
import { contentTypeFor } from '../http/mime.ts';
import { APP_CONTENT_SECURITY_POLICY, APP_HOST, APP_SCHEME } from './window-security.ts';

/**
 * For protocol.registerSchemesAsPrivileged before the app is ready. Standard + secure give app:// a real
 * origin and a secure context; corsEnabled lets Chromium load `<script type="module" crossorigin>` from
 * it (responses carry no Access-Control-Allow-Origin, so no other origin can read them).
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
} as const;

const HEADERS = {
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

function notFound(status = 404): Response {
  return new Response(null, { status, headers: HEADERS });
}

export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    if (pathname.includes('\0')) return notFound();
    const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = normalize(join(root, relative));
    if (file !== root && !file.startsWith(root + sep)) return notFound();
    try {
      if (!(await stat(file)).isFile()) return notFound();
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...HEADERS, 'Content-Type': contentTypeFor(file) },
      });
    } catch {
      return notFound();
    }
  };
}

/** Masks secrets in what the HTTP exchange log keeps: form bodies, JSON bodies, headers and URLs (shared/mask.ts). */
import { maskValue } from '../../shared/mask.ts';

/** Form, query and JSON keys whose values are secrets. */
export const SECRET_KEYS = new Set([
  'client_secret',
  'client_assertion',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'device_code',
  'subject_token',
  'actor_token',
  'assertion',
  'password',
  'request',
  'logout_token',
]);

const SECRET_HEADERS = new Set(['authorization', 'dpop', 'cookie', 'set-cookie', 'proxy-authorization']);

function maskHeaderValue(value: string): string {
  const space = value.indexOf(' ');
  // Keep the scheme (Basic, Bearer, DPoP) so the log still says how the client authenticated.
  return space > 0 && space < 12 ? `${value.slice(0, space)} ${maskValue(value.slice(space + 1))}` : maskValue(value);
}

export function maskHeaders(headers: Headers | Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) ? maskHeaderValue(value) : value;
  }
  return out;
}

export function maskForm(body: string): string {
  const params = new URLSearchParams(body);
  for (const [key, value] of [...params.entries()]) {
    if (SECRET_KEYS.has(key)) params.set(key, maskValue(value));
  }
  return params.toString();
}

function maskJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJsonValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEYS.has(key) && typeof inner === 'string' ? maskValue(inner) : maskJsonValue(inner);
    }
    return out;
  }
  return value;
}

/** Masks a response or request body by its content type; unparseable JSON is kept as is (it is what the server sent). */
export function maskBody(body: string, contentType: string | null): string {
  if (body === '') return body;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return maskForm(body);
  if (type.includes('json')) {
    try {
      return JSON.stringify(maskJsonValue(JSON.parse(body)));
    } catch {
      return body;
    }
  }
  if (type.includes('jwt')) return maskValue(body);
  return body;
}

export function maskUrl(raw: string): string {
  const url = URL.parse(raw);
  if (url === null) return raw;
  for (const [key, value] of [...url.searchParams.entries()]) {
    if (SECRET_KEYS.has(key)) url.searchParams.set(key, maskValue(value));
  }
  return url.toString();
}

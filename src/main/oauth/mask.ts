/**
 * Masks secrets in what the HTTP exchange log keeps: headers, URLs and every body whatever its content type. Each
 * secret becomes the one mask of shared/mask.ts (no character of it kept). Known secret fields are masked by name
 * (form, query, fragment, JSON — snake_case or camelCase); token-shaped values are masked wherever they stand: a JWT
 * or JWE anywhere, and in bodies that are not valid JSON or form (text/plain, HTML, broken JSON) also `name=value` /
 * `"name": "value"` pairs of secret names, hidden form inputs and long opaque runs of token characters.
 */
import { maskValue } from '../../shared/mask.ts';

/** Names (compared without case, `_` or `-`) whose values are secrets. */
const SECRET_NAMES = new Set(
  [
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
    'registration_access_token',
    'session_state',
  ].map(normalizeName),
);

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(normalizeName(name));
}

const SECRET_HEADERS = new Set(['authorization', 'dpop', 'cookie', 'set-cookie', 'proxy-authorization']);

/** A compact JWS (three parts) or JWE (five): base64url of a JSON object header, then dot-separated parts. */
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
/** An opaque token in free text: 20+ base64/base64url/hex characters holding a letter and a digit. */
const OPAQUE_RUN = /[A-Za-z0-9_~+/-][A-Za-z0-9_.~+/-]{18,}[A-Za-z0-9_~+/=-]/g;
/** `name=value`, `name: value`, `"name":"value"` (a closing quote may be missing, as in a cut-off JSON body). */
const NAMED_VALUE = /(["']?)([A-Za-z][A-Za-z0-9_-]*)\1(\s*[:=]\s*)(["']?)(?!«)([^\s"'&,;<>{}[\]]+)/g;
/** An HTML input carrying a secret: `name="code" ... value="..."` (either order is not needed: servers write name first). */
const HTML_INPUT = /(name\s*=\s*["']?)([A-Za-z][A-Za-z0-9_-]*)(["']?[^>]*?value\s*=\s*["']?)(?!«)([^"'\s>]+)/gi;

function maskJwts(text: string): string {
  return text.replace(JWT_SHAPE, (jwt) => maskValue(jwt));
}

/** Masks what looks like a token in text whose structure is unknown. */
export function maskText(text: string): string {
  let out = text.replace(NAMED_VALUE, (whole, q1: string, name: string, sep: string, q2: string, value: string) =>
    isSecretName(name) ? `${q1}${name}${q1}${sep}${q2}${maskValue(value)}` : whole,
  );
  out = out.replace(HTML_INPUT, (whole, pre: string, name: string, mid: string, value: string) =>
    isSecretName(name) ? `${pre}${name}${mid}${maskValue(value)}` : whole,
  );
  out = maskJwts(out);
  return out.replace(OPAQUE_RUN, (run) => (/[A-Za-z]/.test(run) && /[0-9]/.test(run) ? maskValue(run) : run));
}

function maskHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name)) return maskJwts(value);
  const space = value.indexOf(' ');
  // Keep the scheme (Basic, Bearer, DPoP) so the log still says how the client authenticated; the credentials after
  // it are one mask, whole (a Basic header's base64 of id:secret keeps nothing of either).
  return space > 0 && space < 12 && /^[A-Za-z-]+$/.test(value.slice(0, space))
    ? `${value.slice(0, space)} ${maskValue(value.slice(space + 1))}`
    : maskValue(value);
}

export function maskHeaders(headers: Headers | Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    out[key] = maskHeaderValue(key, value);
  }
  return out;
}

function decodeFormPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Masks a form (or query, or fragment) string pair by pair, keeping the other pairs as they were encoded. A secret's
 * mask stands unencoded (it holds no `&`, `=` or `#`), so the log reads `code=«secret 43 chars sha256:…»`.
 */
export function maskForm(body: string): string {
  return body
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return maskText(pair);
      const name = decodeFormPart(pair.slice(0, eq));
      const value = decodeFormPart(pair.slice(eq + 1));
      if (name === undefined || value === undefined) return maskText(pair);
      if (isSecretName(name)) return `${pair.slice(0, eq)}=${maskValue(value)}`;
      const masked = maskJwts(value);
      return masked === value ? pair : `${pair.slice(0, eq)}=${masked}`;
    })
    .join('&');
}

function maskJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return maskJwts(value);
  if (Array.isArray(value)) return value.map(maskJsonValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretName(key) && typeof inner === 'string' ? maskValue(inner) : maskJsonValue(inner);
    }
    return out;
  }
  return value;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

const FORM_SHAPE = /^[^\s=&]+=[^\s&]*(?:&[^\s=&]+=[^\s&]*)*$/;

/**
 * Masks a request or response body. The content type only says how to read it first: JSON that parses is masked
 * field by field, a form by its pairs, anything else (text, HTML, broken JSON, a bare JWT) as free text. A body the
 * server mislabels (JSON sent as text/plain, a form sent as JSON) is masked as what it is.
 */
export function maskBody(body: string, contentType: string | null): string {
  if (body === '') return body;
  const type = (contentType ?? '').toLowerCase();
  const trimmed = body.trim();
  if (type.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = parseJson(body);
    if (parsed.ok) return JSON.stringify(maskJsonValue(parsed.value));
  }
  if (type.includes('application/x-www-form-urlencoded') || FORM_SHAPE.test(trimmed)) return maskForm(trimmed);
  return maskText(body);
}

export function maskUrl(raw: string): string {
  const url = URL.parse(raw);
  if (url === null) return maskText(raw);
  const base = url.href.slice(0, url.href.length - url.search.length - url.hash.length);
  const userless = url.password ? base.replace(`:${url.password}@`, `:${maskValue(url.password)}@`) : base;
  const search = url.search === '' ? '' : `?${maskForm(url.search.slice(1))}`;
  // An implicit or hybrid flow's fragment carries tokens as form pairs (#access_token=…&id_token=…).
  const hash = url.hash === '' ? '' : `#${maskForm(url.hash.slice(1))}`;
  return `${userless}${search}${hash}`;
}

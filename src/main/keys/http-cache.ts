/** How long a fetched response may be reused, from its HTTP caching headers (RFC 9111, the parts a client needs). */

export interface CachePolicy {
  /** False for `no-store`: never keep the body. */
  readonly store: boolean;
  /** How long the body stays fresh from now, ms (0: revalidate before every use). */
  readonly freshForMs: number;
  readonly etag?: string;
  readonly lastModified?: string;
}

export interface CacheLimits {
  /** Freshness when the response says nothing (heuristic). */
  readonly defaultTtlMs: number;
  /** Upper bound, whatever the server says. */
  readonly maxTtlMs: number;
}

function directives(value: string | null): Map<string, string | true> {
  const out = new Map<string, string | true>();
  if (value === null) return out;
  for (const part of value.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = (rawName ?? '').trim().toLowerCase();
    if (name === '') continue;
    out.set(name, rest.length === 0 ? true : rest.join('=').trim().replace(/^"|"$/g, ''));
  }
  return out;
}

function seconds(v: string | true | undefined): number | undefined {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export function cachePolicy(headers: Headers, nowMs: number, limits: CacheLimits): CachePolicy {
  const cc = directives(headers.get('cache-control'));
  const etag = headers.get('etag') ?? undefined;
  const lastModified = headers.get('last-modified') ?? undefined;
  const validators = { ...(etag !== undefined ? { etag } : {}), ...(lastModified !== undefined ? { lastModified } : {}) };
  if (cc.has('no-store')) return { store: false, freshForMs: 0 };
  if (cc.has('no-cache')) return { store: true, freshForMs: 0, ...validators };
  const age = seconds(headers.get('age') ?? undefined) ?? 0;
  let freshS = seconds(cc.get('max-age'));
  if (freshS === undefined) {
    const expires = headers.get('expires');
    if (expires !== null) {
      // Only an HTTP-date counts (Date.parse would read "0" as the year 2000).
      const exp = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(expires.trim()) ? Date.parse(expires) : NaN;
      const date = Date.parse(headers.get('date') ?? '');
      // An invalid Expires (e.g. "0") means already expired.
      freshS = Number.isFinite(exp) ? Math.max(0, Math.floor((exp - (Number.isFinite(date) ? date : nowMs)) / 1000)) : 0;
    }
  }
  const freshMs = freshS === undefined ? limits.defaultTtlMs : Math.max(0, freshS - age) * 1000;
  return { store: true, freshForMs: Math.min(freshMs, limits.maxTtlMs), ...validators };
}

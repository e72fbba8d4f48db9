/**
 * Fetches JWKS documents (and OpenID discovery documents for an issuer) with a timeout, a size limit and a cache
 * that honours HTTP caching (max-age, Expires, no-store, no-cache, ETag / Last-Modified revalidation).
 * Only URLs the user chose are fetched: never a token's own jku / x5u.
 */
import type { JWK } from 'jose';
import { TokenscopeError, type ErrorCode } from '../../shared/result.ts';
import { networkError, toAppError } from '../errors.ts';
import { jwksFromJson } from '../../shared/token/verify.ts';
import { readCappedText } from '../http/read-capped.ts';
import { cachePolicy, type CacheLimits } from './http-cache.ts';
import type { ExchangeRecord } from '../oauth/http-exchange.ts';

/** Where a fetch that went to the network is logged (a grant's exchange log); cache hits are not fetches. */
export type ExchangeLogger = (exchange: ExchangeRecord) => void;

export type CacheOutcome = 'miss' | 'hit' | 'revalidated';

export interface FetchedJwks {
  readonly url: string;
  readonly keys: readonly JWK[];
  readonly cache: CacheOutcome;
  readonly fetchedAtMs: number;
  readonly freshUntilMs: number;
}

export interface KeyFetcherOptions {
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly limits?: Partial<CacheLimits>;
  /** A forced refetch (after an unknown kid) happens at most once per this period per URL (default 30 s). */
  readonly refetchCooldownMs?: number;
}

interface Entry {
  readonly body: unknown;
  readonly fetchedAtMs: number;
  freshUntilMs: number;
  readonly etag?: string;
  readonly lastModified?: string;
}

const MAX_ENTRIES = 100;

interface JsonFetch {
  readonly body: unknown;
  readonly cache: CacheOutcome;
  readonly entry: Entry;
}

/** Only web URLs, without credentials in them. */
export function checkKeyUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `the ${what} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `the ${what} must be an https: (or http:) URL`);
  if (url.username !== '' || url.password !== '')
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `the ${what} must not carry credentials`);
  return url;
}

export class KeyFetcher {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #limits: CacheLimits;
  readonly #cache = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Promise<JsonFetch>>();
  readonly #lastForced = new Map<string, number>();
  readonly #refetchCooldownMs: number;

  constructor(options: KeyFetcherOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxBytes = options.maxBytes ?? 512 * 1024;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
    this.#refetchCooldownMs = options.refetchCooldownMs ?? 30_000;
    this.#limits = {
      defaultTtlMs: options.limits?.defaultTtlMs ?? 5 * 60_000,
      maxTtlMs: options.limits?.maxTtlMs ?? 24 * 3600_000,
    };
  }

  /** Drops everything cached (or one URL). */
  clear(url?: string): void {
    if (url === undefined) this.#cache.clear();
    else this.#cache.delete(url);
  }

  async #readBody(res: Response, failCode: ErrorCode, what: string, onText: (text: string) => void): Promise<unknown> {
    const text = await readCappedText(res.body, { maxBytes: this.#maxBytes, code: failCode, what: `the ${what}` });
    onText(text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new TokenscopeError(failCode, `the ${what} is not JSON`);
    }
  }

  /**
   * Whether a forced refetch of `url` is allowed now (a token with an unknown kid must not make us hammer the
   * issuer): once per cooldown period. Records the attempt when it is allowed.
   */
  mayForceRefetch(rawUrl: string): boolean {
    const url = checkKeyUrl(rawUrl, 'JWKS URL').href;
    const now = this.#now();
    const last = this.#lastForced.get(url);
    if (last !== undefined && now - last < this.#refetchCooldownMs) return false;
    this.#lastForced.set(url, now);
    return true;
  }

  /** GET a JSON document through the cache; concurrent requests for one URL share one fetch. `force` skips freshness. */
  async getJson(rawUrl: string, what: string, failCode: ErrorCode, force = false, log?: ExchangeLogger): Promise<JsonFetch> {
    const url = checkKeyUrl(rawUrl, what).href;
    const cached = this.#cache.get(url);
    if (cached && !force && cached.freshUntilMs > this.#now()) return { body: cached.body, cache: 'hit', entry: cached };
    const pending = this.#inFlight.get(url);
    if (pending) return pending;
    const request = this.#request(url, what, failCode, cached, log).finally(() => this.#inFlight.delete(url));
    this.#inFlight.set(url, request);
    return request;
  }

  async #request(
    url: string,
    what: string,
    failCode: ErrorCode,
    cached: Entry | undefined,
    log: ExchangeLogger | undefined,
  ): Promise<JsonFetch> {
    const now = this.#now();
    const started = performance.now();
    const step = what === 'JWKS' ? 'jwks' : 'discovery';
    const logged = (status: number | null, responseHeaders: Headers | null, responseBody: string, failure?: string): void =>
      log?.({
        method: 'GET',
        url,
        status,
        requestHeaders: { ...headers },
        requestBody: '',
        responseHeaders: responseHeaders ? Object.fromEntries(responseHeaders.entries()) : {},
        responseBody,
        durationMs: Math.round(performance.now() - started),
        startedAtMs: now,
        step,
        ...(failure ? { failure } : {}),
      });
    const headers: Record<string, string> = { accept: 'application/jwk-set+json, application/json;q=0.9' };
    if (cached?.etag !== undefined) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified !== undefined) headers['if-modified-since'] = cached.lastModified;
    let res: Response;
    try {
      res = await this.#fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (e) {
      const app = toAppError(e);
      logged(null, null, '', app.code);
      if (app.code === 'ERR_TIMEOUT')
        throw new TokenscopeError(
          'ERR_TIMEOUT',
          `fetching the ${what} (${url}) took longer than ${this.#timeoutMs} ms (timeout)`,
          {
            url,
            cause: 'timeout',
          },
        );
      const network = networkError(e, url);
      if (network) throw network;
      throw new TokenscopeError(
        app.code === 'ERR_NETWORK' ? 'ERR_NETWORK' : failCode,
        `could not fetch the ${what}: ${app.message}`,
      );
    }
    const policy = cachePolicy(res.headers, now, this.#limits);
    if (res.status === 304 && cached) {
      await res.body?.cancel();
      logged(304, res.headers, '');
      const entry: Entry = { ...cached, freshUntilMs: now + policy.freshForMs };
      this.#cache.set(url, entry);
      return { body: cached.body, cache: 'revalidated', entry };
    }
    if (!res.ok) {
      await res.body?.cancel();
      logged(res.status, res.headers, '');
      throw new TokenscopeError(failCode, `the ${what} answered HTTP ${res.status}`, { status: res.status });
    }
    let body: unknown;
    let read = false;
    try {
      body = await this.#readBody(res, failCode, what, (text) => {
        read = true;
        logged(res.status, res.headers, text);
      });
    } catch (e) {
      if (!read) logged(res.status, res.headers, '', 'unreadable');
      if (e instanceof TokenscopeError) throw e;
      const app = toAppError(e);
      throw new TokenscopeError(
        app.code === 'ERR_TIMEOUT' ? 'ERR_TIMEOUT' : failCode,
        `could not read the ${what}: ${app.message}`,
      );
    }
    const entry: Entry = {
      body,
      fetchedAtMs: now,
      freshUntilMs: now + policy.freshForMs,
      ...(policy.etag !== undefined ? { etag: policy.etag } : {}),
      ...(policy.lastModified !== undefined ? { lastModified: policy.lastModified } : {}),
    };
    if (policy.store) {
      if (this.#cache.size >= MAX_ENTRIES && !this.#cache.has(url)) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(url, entry);
    } else {
      this.#cache.delete(url);
    }
    return { body, cache: 'miss', entry };
  }

  /** The keys of a JWKS URL; ERR_JWKS_FETCH / ERR_TIMEOUT / ERR_NETWORK / ERR_INVALID_KEY. */
  async fetchJwks(url: string, options: { force?: boolean; log?: ExchangeLogger | undefined } = {}): Promise<FetchedJwks> {
    const { body, cache, entry } = await this.getJson(url, 'JWKS', 'ERR_JWKS_FETCH', options.force ?? false, options.log);
    const material = jwksFromJson(body);
    const keys = material.kind === 'jwks' ? material.keys : [];
    return {
      url: checkKeyUrl(url, 'JWKS URL').href,
      keys,
      cache,
      fetchedAtMs: entry.fetchedAtMs,
      freshUntilMs: entry.freshUntilMs,
    };
  }

  /** The jwks_uri of an issuer from its discovery document (OpenID, then RFC 8414); checks the issuer matches. */
  async discoverJwksUri(issuer: string, log?: ExchangeLogger): Promise<string> {
    const base = checkKeyUrl(issuer, 'issuer');
    const trimmed = base.href.replace(/\/$/, '');
    const candidates = [
      `${trimmed}/.well-known/openid-configuration`,
      `${base.origin}/.well-known/oauth-authorization-server${base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '')}`,
    ];
    let lastError: unknown;
    for (const url of candidates) {
      try {
        const { body } = await this.getJson(url, 'discovery document', 'ERR_DISCOVERY', false, log);
        const doc = body as { issuer?: unknown; jwks_uri?: unknown } | null;
        if (typeof doc !== 'object' || doc === null)
          throw new TokenscopeError('ERR_DISCOVERY', 'the discovery document is not a JSON object');
        if (typeof doc.issuer === 'string' && doc.issuer.replace(/\/$/, '') !== trimmed) {
          throw new TokenscopeError('ERR_ISSUER_MISMATCH', 'the discovery document names a different issuer');
        }
        if (typeof doc.jwks_uri !== 'string')
          throw new TokenscopeError('ERR_DISCOVERY', 'the discovery document has no jwks_uri');
        return doc.jwks_uri;
      } catch (e) {
        if (e instanceof TokenscopeError && (e.code === 'ERR_ISSUER_MISMATCH' || e.code === 'ERR_TIMEOUT')) throw e;
        lastError = e;
      }
    }
    if (lastError instanceof TokenscopeError) throw lastError;
    throw new TokenscopeError('ERR_DISCOVERY', 'no discovery document found for the issuer');
  }
}

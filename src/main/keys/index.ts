/** The token domain's network side: JWKS / discovery fetching with an HTTP-caching-aware cache, and verification. */
import type { Platform } from '../platform.ts';
import { KeyFetcher } from './key-fetcher.ts';

export { KeyFetcher } from './key-fetcher.ts';
export { verifyWithKeySource } from './verify-token.ts';
export { cachePolicy } from './http-cache.ts';

const fetchers = new WeakMap<Platform, KeyFetcher>();

/** One key cache per back end (per Platform), on that platform's clock. */
export function keyFetcherFor(platform: Platform): KeyFetcher {
  let fetcher = fetchers.get(platform);
  if (fetcher === undefined) {
    fetcher = new KeyFetcher({ now: () => platform.now() });
    fetchers.set(platform, fetcher);
  }
  return fetcher;
}
export type { ExchangeLogger } from './key-fetcher.ts';

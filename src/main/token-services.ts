/**
 * The token domain of the contract (inspect, verify with a given key, formats, convert, diff): no history,
 * no OAuth, no SQLite. `createServices` takes these methods as they are; the CLI's commands that read no
 * history (inspect, convert, formats, diff of files) run on `createTokenServices` alone, so
 * `tokenscope inspect FILE` loads neither the store, OAuth, the demo issuer nor better-sqlite3.
 */
import { API_METHODS, callMethod, type ApiMethod, type TokenscopeApi, type TokenscopeBackend } from '../shared/api.ts';
import { checkArgument } from '../shared/api-schema.ts';
import { err, type Result } from '../shared/result.ts';
import { attempt } from './errors.ts';
import { inspectText } from '../shared/token/inspect.ts';
import { convertText, diffTexts } from '../shared/token/convert.ts';
import type { VerifyTokenRequest } from '../shared/token/verify.ts';
import { listFormats } from '../shared/formats/index.ts';
import { keyFetcherFor, verifyWithKeySource } from './keys/index.ts';
import type { Platform } from './platform.ts';

type TokenDomainMethod = 'inspect' | 'listFormats' | 'convertToken' | 'diffTokens' | 'inspectToken';

/** The token domain's methods on `platform`'s clock (the one place their options are set). */
export function tokenDomainMethods(platform: Platform): Pick<TokenscopeApi, TokenDomainMethod> {
  return {
    inspect: (text) => attempt(() => inspectText(text, { nowMs: platform.now(), comparison: true })),
    listFormats: () => attempt(() => listFormats()),
    convertToken: (request) => attempt(() => convertText(request, platform.now())),
    diffTokens: (request) => attempt(() => diffTexts(request, platform.now())),
    inspectToken: ({ text, formatId, expect }) =>
      attempt(() =>
        inspectText(text, {
          nowMs: platform.now(),
          comparison: true,
          ...(formatId !== undefined ? { formatId } : {}),
          ...(expect !== undefined ? { expect } : {}),
        }),
      ),
  };
}

/** Verifies a JWT against the key source of the request (its `token`, not a stored one). */
export function verifyGiven(platform: Platform, request: VerifyTokenRequest): ReturnType<typeof verifyWithKeySource> {
  return verifyWithKeySource(request, { fetcher: keyFetcherFor(platform), now: () => platform.now() });
}

/**
 * The one argument check of every front door: each contract method of `backend` checks its argument
 * against the method's schema (src/shared/api-schema.ts) before its body runs; a bad one is
 * ERR_INVALID_ARGUMENT naming the field.
 */
export function withArgumentChecks(backend: TokenscopeBackend): TokenscopeBackend {
  const checked: Record<string, unknown> = { ...backend };
  for (const method of API_METHODS) {
    checked[method] = async (argument?: unknown): Promise<Result<unknown>> => {
      const valid = await attempt(() => checkArgument(method, argument));
      return valid.ok ? callMethod(backend, method, argument) : valid;
    };
  }
  return checked as unknown as TokenscopeBackend;
}

/**
 * A back end with the token domain only: every other method answers ERR_NOT_SUPPORTED in words
 * (a stored token to verify included), nothing is opened on disk, and close() has nothing to close.
 */
export function createTokenServices(platform: Platform): TokenscopeBackend {
  const noHistory = (method: ApiMethod) => (): Promise<Result<never>> =>
    Promise.resolve(err('ERR_NOT_SUPPORTED', `${method} needs the token history, which this command does not open`));
  const methods: Record<string, unknown> = Object.fromEntries(API_METHODS.map((m) => [m, noHistory(m)]));
  const backend = {
    ...methods,
    ...tokenDomainMethods(platform),
    verifyToken: (request: VerifyTokenRequest) =>
      request.tokenId === undefined ? attempt(() => verifyGiven(platform, request)) : noHistory('verifyToken')(),
    onEvent: () => () => undefined,
    close: () => Promise.resolve(),
  } as unknown as TokenscopeBackend;
  return withArgumentChecks(backend);
}

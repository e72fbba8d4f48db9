/**
 * Calls an API with a history token (RFC 6750 Bearer, or RFC 9449 DPoP with a proof when the token is bound to its
 * profile's key, once more with the API's nonce when it answers use_dpop_nonce): the answer with its timing, the
 * WWW-Authenticate challenges and the refusal explained against the token, logged in the exchange log with the token
 * and its grant, optionally refreshing the grant and trying once more when the API says invalid_token; or only the
 * request as a curl command.
 */
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import type { ApiCallAttempt, ApiCallResult } from '../../shared/api-call.ts';
import type { GrantResult, TokenBinding } from '../../shared/oauth.ts';
import { isLoopbackHttpUrl } from '../../shared/net/loopback.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { toAppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { explainRefusal } from './api-refusal.ts';
import { curlCommand } from './curl.ts';
import type { DpopBinding } from './dpop.ts';
import type { ExchangeRecorder } from './exchange-recorder.ts';
import { withStep } from './exchange-step.ts';
import { exchangeFetch } from './http-exchange.ts';
import { maskHeaders } from './mask.ts';
import type { OAuthStore } from './store-port.ts';
import { parseWwwAuthenticate } from './www-authenticate.ts';

export interface ApiCallRequest {
  readonly tokenId: string;
  readonly url: string;
  readonly method?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | undefined;
  /** Refresh the grant and try once more when the API answers invalid_token. */
  readonly refreshAndRetry?: boolean | undefined;
  /** false: only build the curl command. */
  readonly send?: boolean | undefined;
  /** The curl command carries the token in clear. */
  readonly reveal?: boolean | undefined;
}

interface ApiCallDeps {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly recorder: ExchangeRecorder;
  readonly refresh: (tokenId: string) => Promise<GrantResult>;
  /** The token's binding, and the DPoP handle for its proofs when it is bound to its profile's key. */
  readonly proofFor: (tokenId: string) => Promise<{ binding: TokenBinding; dpop: DpopBinding | undefined }>;
}

/** The answer a fetch gives when the request is only being written down (curl), never sent. */
const NOT_SENT = (): Promise<Response> => Promise.resolve(new Response(null, { status: 204 }));

/**
 * Sends the request as oauth4webapi writes it for a protected resource: `Authorization: Bearer <token>`, or
 * `Authorization: DPoP <token>` and a `DPoP` proof (htm, htu without query or fragment, iat, jti, ath, the API's
 * nonce once known). A challenge in the answer is the answer, not an error.
 */
async function resourceRequest(
  url: URL,
  method: string,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
  token: string,
  dpop: DpopBinding | undefined,
  send: (url: string, init: { body?: unknown; headers: Record<string, string>; method: string }) => Promise<Response>,
): Promise<Response> {
  const options = {
    [oauth.customFetch]: send as unknown as typeof fetch,
    // targetOf has let http through for this machine only.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the library names this loudly on purpose
    [oauth.allowInsecureRequests]: url.protocol === 'http:',
    ...(dpop ? { DPoP: dpop.handle } : {}),
  };
  try {
    return await oauth.protectedResourceRequest(token, method, url, new Headers(headers), body ?? null, options);
  } catch (error) {
    if (error instanceof oauth.WWWAuthenticateChallengeError) return error.response;
    throw error;
  }
}

function targetOf(raw: string): URL {
  const url = URL.parse(raw);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'url: expected an https URL (or http on this machine)');
  if (url.protocol === 'http:' && !isLoopbackHttpUrl(url))
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'url: a token is sent over https only (http only to this machine)');
  if (url.username !== '' || url.password !== '')
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'url: must not carry credentials');
  return url;
}

function prettyJson(text: string, contentType: string | undefined): string | undefined {
  if (!contentType?.toLowerCase().includes('json')) return undefined;
  try {
    return JSON.stringify(JSON.parse(text) as unknown, null, 2);
  } catch {
    return undefined;
  }
}

function claimsOf(value: string): Record<string, unknown> | null {
  try {
    return decodeJwt(value);
  } catch {
    return null;
  }
}

export function createApiCall(deps: ApiCallDeps) {
  const { store, recorder, platform } = deps;

  /** The caller's headers, lower-cased; the Authorization header is the token's (oauth4webapi writes it). */
  function callerHeaders(request: ApiCallRequest): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    delete headers['authorization'];
    delete headers['dpop'];
    if (request.body && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  /** The request exactly as it would go out (its DPoP proof included), without sending it. */
  async function writtenRequest(request: ApiCallRequest, url: URL, method: string, token: string, dpop: DpopBinding | undefined) {
    let written: Record<string, string> = {};
    await resourceRequest(url, method, callerHeaders(request), request.body, token, dpop, (_url, init) => {
      written = init.headers;
      return NOT_SENT();
    });
    return written;
  }

  async function attempt(
    request: ApiCallRequest,
    tokenId: string,
    url: URL,
    method: string,
    retry?: ApiCallAttempt['retry'],
  ): Promise<ApiCallAttempt> {
    const summary = store.getTokenSummary(tokenId);
    if (!summary) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    const value = store.getTokenValue(tokenId);
    const { binding, dpop } = await deps.proofFor(tokenId);
    const http = recorder.forAction({ grantId: summary.grantId, tokenId });
    const started = performance.now();
    let response: Response;
    try {
      response = await withStep('api-call', () =>
        resourceRequest(url, method, callerHeaders(request), request.body, value, dpop, exchangeFetch(http)),
      );
    } catch (error) {
      const app = toAppError(error);
      return {
        tokenId,
        failure: { code: app.code, message: app.message },
        challenges: [],
        explanation: [],
        binding,
        ...(retry ? { retry } : {}),
      };
    }
    const durationMs = Math.round(performance.now() - started);
    const body = await response.text();
    const headers = maskHeaders(response.headers);
    const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
    const pretty = prettyJson(body, headers['content-type']);
    return {
      tokenId,
      response: { status: response.status, headers, body, ...(pretty !== undefined ? { prettyBody: pretty } : {}), durationMs },
      challenges,
      explanation: explainRefusal({
        status: response.status,
        challenges,
        claims: claimsOf(value),
        summary,
        nowMs: platform.now(),
        binding,
        provedWithDpop: dpop !== undefined,
      }),
      binding,
      ...(retry ? { retry } : {}),
    };
  }

  /** The API asked for a DPoP proof with its nonce (RFC 9449 §9), and the handle now holds it: worth exactly one more try. */
  function wantsDpopNonce(attempted: ApiCallAttempt): boolean {
    return (
      attempted.binding?.kind === 'dpop' &&
      attempted.binding.matchesProfileKey === true &&
      attempted.response?.status === 401 &&
      attempted.challenges.some((c) => c.error === 'use_dpop_nonce')
    );
  }

  /** True when the answer was invalid_token and the token's grant holds an active refresh token (so a refresh may help). */
  function refreshMayHelp(first: ApiCallAttempt): boolean {
    const invalid = first.response?.status === 401 && first.challenges.some((c) => c.error === 'invalid_token');
    if (!invalid) return false;
    const summary = store.getTokenSummary(first.tokenId);
    if (!summary?.grantId) return false;
    return store.getGrantTokens(summary.grantId).some((t) => t.kind === 'refresh_token' && t.status === 'active');
  }

  /** The grant's refreshed access token, when the first answer was invalid_token and the grant can refresh; else undefined. */
  async function refreshedTokenId(first: ApiCallAttempt): Promise<string | undefined> {
    if (!refreshMayHelp(first)) return undefined;
    const result = await deps.refresh(first.tokenId);
    return result.tokens.find((t) => t.kind === 'access_token')?.id;
  }

  return {
    async callApi(request: ApiCallRequest): Promise<ApiCallResult> {
      const summary = store.getTokenSummary(request.tokenId);
      if (!summary) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
      const url = targetOf(request.url);
      const method = (request.method ?? (request.body ? 'POST' : 'GET')).toUpperCase();
      const value = store.getTokenValue(request.tokenId);
      const { dpop } = await deps.proofFor(request.tokenId);
      const headers = await writtenRequest(request, url, method, value, dpop);
      const masked = maskHeaders(headers);
      const curl = curlCommand({
        method,
        url: url.toString(),
        headers: request.reveal ? headers : masked,
        body: request.body ?? null,
      });
      const described = { method, url: url.toString(), headers: masked, body: request.body ?? '' };
      if (request.send === false)
        return { request: described, curl, sent: false, attempts: [], outcome: 'not-sent', retryOffered: false };
      const attempts: ApiCallAttempt[] = [await attempt(request, request.tokenId, url, method)];
      const last = (): ApiCallAttempt => attempts[attempts.length - 1] as ApiCallAttempt;
      if (wantsDpopNonce(last())) attempts.push(await attempt(request, request.tokenId, url, method, 'use_dpop_nonce'));
      if (request.refreshAndRetry) {
        const next = await refreshedTokenId(last());
        if (next) {
          attempts.push(await attempt(request, next, url, method, 'refreshed'));
          if (wantsDpopNonce(last())) attempts.push(await attempt(request, next, url, method, 'use_dpop_nonce'));
        }
      }
      const status = attempts.at(-1)?.response?.status;
      const outcome =
        status === undefined ? 'failed' : status === 401 || status === 403 ? 'refused' : status < 400 ? 'ok' : 'error';
      // Offered when it was not asked for and would apply: the UI's "Refresh and retry once".
      const retryOffered = request.refreshAndRetry !== true && refreshMayHelp(last());
      return { request: described, curl, sent: true, attempts, outcome, retryOffered };
    },
  };
}

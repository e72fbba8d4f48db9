/**
 * Calls an API with a history token (RFC 6750 Bearer): the answer with its timing, the WWW-Authenticate challenges
 * and the refusal explained against the token, logged in the exchange log with the token and its grant, optionally
 * refreshing the grant and trying once more when the API says invalid_token; or only the request as a curl command.
 */
import { decodeJwt } from 'jose';
import type { ApiCallAttempt, ApiCallResult } from '../../shared/api-call.ts';
import type { GrantResult } from '../../shared/oauth.ts';
import { isLoopbackHttpUrl } from '../../shared/net/loopback.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { toAppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { explainRefusal } from './api-refusal.ts';
import { curlCommand } from './curl.ts';
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

  function requestHeaders(request: ApiCallRequest, token: string): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    headers['authorization'] = `Bearer ${token}`;
    if (request.body && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  async function attempt(request: ApiCallRequest, tokenId: string, url: URL, method: string): Promise<ApiCallAttempt> {
    const summary = store.getTokenSummary(tokenId);
    if (!summary) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    const value = store.getTokenValue(tokenId);
    const http = recorder.forAction({ grantId: summary.grantId, tokenId });
    const started = performance.now();
    let response: Response;
    try {
      response = await withStep('api-call', () =>
        exchangeFetch(http)(url.toString(), {
          method,
          headers: requestHeaders(request, value),
          ...(request.body ? { body: request.body } : {}),
        }),
      );
    } catch (error) {
      const app = toAppError(error);
      return { tokenId, failure: { code: app.code, message: app.message }, challenges: [], explanation: [] };
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
      }),
    };
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
      const headers = requestHeaders(request, value);
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
      const first = await attempt(request, request.tokenId, url, method);
      const attempts: ApiCallAttempt[] = [first];
      if (request.refreshAndRetry) {
        const next = await refreshedTokenId(first);
        if (next) attempts.push(await attempt(request, next, url, method));
      }
      const status = attempts.at(-1)?.response?.status;
      const outcome =
        status === undefined ? 'failed' : status === 401 || status === 403 ? 'refused' : status < 400 ? 'ok' : 'error';
      // Offered when it was not asked for and would apply: the UI's "Refresh and retry once".
      const retryOffered = request.refreshAndRetry !== true && refreshMayHelp(first);
      return { request: described, curl, sent: true, attempts, outcome, retryOffered };
    },
  };
}

/** The fetch every OAuth request goes through: a timeout per request, cancellation, and a masked record of the exchange. */
import type { ExchangeAskedBy, ExchangeStep } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { currentAsker, currentStep } from './exchange-step.ts';
import { networkError } from '../errors.ts';
import { readCappedText } from '../http/read-capped.ts';
import { maskBody, maskHeaders, maskUrl } from './mask.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Bodies larger than this are refused: no OAuth response is that big. */
export const MAX_RESPONSE_BYTES = 1_000_000;

/** One request and its response as the exchange log keeps them, secrets already masked. */
export interface ExchangeRecord {
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly requestHeaders: Record<string, string>;
  readonly requestBody: string;
  readonly responseHeaders: Record<string, string>;
  readonly responseBody: string;
  readonly durationMs: number;
  readonly startedAtMs: number;
  /** Set when no response arrived (timeout, network error, cancel). */
  readonly failure?: string;
  /** The step of the grant it was (the endpoint asked, a JWKS fetch, the callback…). */
  readonly step?: ExchangeStep;
  /** Who asked, when nobody clicked (askedBy). */
  readonly by?: ExchangeAskedBy;
}

export interface HttpContext {
  readonly timeoutMs: number;
  /** Aborted when the user cancels the flow, or when the back end closes. */
  readonly signal?: AbortSignal;
  readonly record: (exchange: ExchangeRecord) => void;
  readonly now: () => number;
  readonly fetchImpl?: typeof fetch;
}

export type ExchangeFetch = (
  url: string,
  options: { body?: unknown; headers: Record<string, string>; method: string; redirect?: 'manual'; signal?: AbortSignal },
) => Promise<Response>;

/** A URL as an error message names it: origin and path, never the query (it may carry a code or a token). */
function urlWithoutQuery(raw: string): string {
  const url = URL.parse(raw);
  return url ? `${url.origin}${url.pathname}` : 'the server';
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(body));
  return '[stream]';
}

/**
 * A fetch for oauth4webapi's `customFetch`: the whole exchange (headers and body) must finish within the
 * timeout, the body is read here once so the log can keep it, and a fresh Response is handed back.
 */
export function exchangeFetch(http: HttpContext): ExchangeFetch {
  const doFetch = http.fetchImpl ?? fetch;
  return async (url, options) => {
    const startedAtMs = http.now();
    const started = performance.now();
    const step = currentStep();
    const by = currentAsker();
    const timeout = AbortSignal.timeout(http.timeoutMs);
    const signals = [timeout, ...(http.signal ? [http.signal] : []), ...(options.signal ? [options.signal] : [])];
    const signal = AbortSignal.any(signals);
    const requestBody = bodyText(options.body);
    const requestHeaders = maskHeaders(options.headers);
    const maskedRequestBody = maskBody(requestBody, options.headers['content-type'] ?? options.headers['Content-Type'] ?? null);
    const fail = (failure: string): void =>
      http.record({
        method: options.method,
        url: maskUrl(url),
        status: null,
        requestHeaders,
        requestBody: maskedRequestBody,
        responseHeaders: {},
        responseBody: '',
        durationMs: Math.round(performance.now() - started),
        startedAtMs,
        failure,
        ...(step ? { step } : {}),
        ...(by ? { by } : {}),
      });
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: options.method,
        headers: options.headers,
        body: options.body as RequestInit['body'],
        redirect: 'manual',
        signal,
      });
      text = await readCappedText(response.body, {
        maxBytes: MAX_RESPONSE_BYTES,
        code: 'ERR_INVALID_RESPONSE',
        what: 'the response',
      });
    } catch (error) {
      if (http.signal?.aborted) {
        fail('cancelled');
        // close() aborts with its own ERR_CANCELLED ("Tokenscope is closing"); a cancelled flow gives no reason.
        const reason: unknown = http.signal.reason;
        if (reason instanceof TokenscopeError) throw new TokenscopeError(reason.code, reason.message);
        throw new TokenscopeError('ERR_CANCELLED', 'the flow was cancelled');
      }
      const where = urlWithoutQuery(url);
      if (timeout.aborted) {
        fail('timeout');
        throw new TokenscopeError(
          'ERR_TIMEOUT',
          `no answer from ${where} within ${Math.round(http.timeoutMs / 1000)} s (timeout)`,
          { url: where, cause: 'timeout' },
        );
      }
      const network = networkError(error, url);
      fail(error instanceof TokenscopeError ? error.code : (network?.message ?? 'network error'));
      throw network ?? error;
    }
    http.record({
      method: options.method,
      url: maskUrl(url),
      status: response.status,
      requestHeaders,
      requestBody: maskedRequestBody,
      responseHeaders: maskHeaders(response.headers),
      responseBody: maskBody(text, response.headers.get('content-type')),
      durationMs: Math.round(performance.now() - started),
      startedAtMs,
      ...(step ? { step } : {}),
      ...(by ? { by } : {}),
    });
    const nullBody = [101, 103, 204, 205, 304].includes(response.status);
    return new Response(nullBody ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

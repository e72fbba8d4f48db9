/** The HTTP exchange log: what each OAuth request and response looked like (masked), linked to its flow, grant and token. */
import type { ExchangeQuery, HttpExchange } from '../../shared/oauth.ts';
import type { Platform } from '../platform.ts';
import type { ExchangeRecord, HttpContext } from './http-exchange.ts';
import { curlCommand } from './curl.ts';
import { maskBody, maskHeaders, maskUrl } from './mask.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';
import type { OAuthStore } from './store-port.ts';

interface ExchangeLink {
  readonly grantId?: string | null;
  readonly flowId?: string | null;
  readonly tokenId?: string | null;
}

/** The exchanges of a flow (or a client credentials call): held until its grant exists, then written with the grant id. */
export interface FlowExchanges {
  readonly record: (exchange: ExchangeRecord) => void;
  /** Writes what is held, linked to the grant (null: none came of it); late arrivals (aborted requests) are written at once. */
  flush(grantId: string | null): void;
}

export interface ExchangeRecorder {
  /** An HTTP context whose exchanges go to `record`, aborted by `signal`. */
  httpContext(record: (exchange: ExchangeRecord) => void, signal?: AbortSignal): HttpContext;
  /** An action outside a flow: its exchanges are written at once, linked to the token and grant; close() aborts it. */
  forAction(link: { readonly grantId?: string | null; readonly tokenId?: string | null }): HttpContext;
  forFlow(flowId: string): FlowExchanges;
  list(query: ExchangeQuery): HttpExchange[];
}

interface ExchangeRecorderOptions {
  readonly platform: Platform;
  readonly store: OAuthStore;
  readonly lifecycle: ServiceLifecycle;
  readonly requestTimeoutMs: number;
  readonly fetchImpl?: typeof fetch | undefined;
}

/**
 * Whatever reaches the log is masked here once more, whoever recorded it (the masks are idempotent): a new kind of
 * entry cannot bring a secret in unmasked.
 */
function masked<T extends Omit<ExchangeRecord, 'failure'>>(exchange: T): T {
  const requestHeaders = maskHeaders(exchange.requestHeaders);
  const responseHeaders = maskHeaders(exchange.responseHeaders);
  return {
    ...exchange,
    url: maskUrl(exchange.url),
    requestHeaders,
    responseHeaders,
    requestBody: maskBody(exchange.requestBody, requestHeaders['content-type'] ?? null),
    responseBody: maskBody(exchange.responseBody, responseHeaders['content-type'] ?? null),
  };
}

export function createExchangeRecorder(options: ExchangeRecorderOptions): ExchangeRecorder {
  const { platform, store, lifecycle } = options;

  function write(exchange: ExchangeRecord, link: ExchangeLink): void {
    if (lifecycle.released) return;
    try {
      const { failure: _failure, ...rest } = exchange;
      store.addExchange({
        ...masked(rest),
        grantId: link.grantId ?? null,
        flowId: link.flowId ?? null,
        tokenId: link.tokenId ?? null,
      });
    } catch {
      // The log must never break a flow; a store failure shows up on the next real store call anyway.
    }
  }

  function httpContext(record: (exchange: ExchangeRecord) => void, signal?: AbortSignal): HttpContext {
    return {
      timeoutMs: options.requestTimeoutMs,
      record,
      now: () => platform.now(),
      ...(signal ? { signal } : {}),
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    };
  }

  return {
    httpContext,
    forAction: (link) => httpContext((exchange) => write(exchange, link), lifecycle.signal),
    forFlow(flowId) {
      const held: ExchangeRecord[] = [];
      let flushedWith: { grantId: string | null } | undefined;
      return {
        record(exchange) {
          if (flushedWith) write(exchange, { flowId, grantId: flushedWith.grantId });
          else held.push(exchange);
        },
        flush(grantId) {
          flushedWith = { grantId };
          for (const exchange of held.splice(0)) write(exchange, { flowId, grantId });
        },
      };
    },
    list(query) {
      const q = query ?? {};
      return store
        .listExchanges({
          ...(typeof q.grantId === 'string' ? { grantId: q.grantId } : {}),
          ...(typeof q.flowId === 'string' ? { flowId: q.flowId } : {}),
          ...(typeof q.tokenId === 'string' ? { tokenId: q.tokenId } : {}),
          ...(typeof q.limit === 'number' ? { limit: q.limit } : {}),
        })
        .map((e) => ({
          ...e,
          curl: curlCommand({ method: e.method, url: e.url, headers: e.requestHeaders, body: e.requestBody }),
        }));
    },
  };
}

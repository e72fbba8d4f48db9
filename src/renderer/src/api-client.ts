/**
 * The renderer's only door to the back end: the preload bridge (`window.tokenscope`) in Electron,
 * JSON over HTTP + SSE in a browser tab. Components never know which.
 */
import { API_METHODS, type ApiMethod, type EventListener, type TokenscopeApi } from '../../shared/api.ts';
import type { Result } from '../../shared/result.ts';

export interface TokenscopeClient extends TokenscopeApi {
  onEvent(listener: EventListener): () => void;
}

declare global {
  interface Window {
    tokenscope?: TokenscopeClient;
  }
}

async function callOverHttp(method: ApiMethod, arg: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(`./api/${method}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(arg === undefined ? {} : { arg }),
    });
  } catch {
    return {
      ok: false,
      error: { code: 'ERR_NETWORK', message: 'the Tokenscope back end is not reachable (is `tokenscope serve` still running?)' },
    };
  }
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return {
      ok: false,
      error: { code: 'ERR_INVALID_RESPONSE', message: `the back end answered HTTP ${response.status} without a result` },
    };
  }
}

export function createHttpClient(): TokenscopeClient {
  const listeners = new Set<EventListener>();
  let source: EventSource | null = null;
  const client: Record<string, unknown> = {
    onEvent(listener: EventListener) {
      listeners.add(listener);
      if (!source) {
        source = new EventSource('./api/events', { withCredentials: true });
        source.onmessage = (message: MessageEvent<string>) => {
          const event = JSON.parse(message.data) as Parameters<EventListener>[0];
          for (const l of listeners) l(event);
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
  for (const method of API_METHODS) client[method] = (arg?: unknown) => callOverHttp(method, arg);
  return client as unknown as TokenscopeClient;
}

export const api: TokenscopeClient = window.tokenscope ?? createHttpClient();

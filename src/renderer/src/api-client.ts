/**
 * The renderer's only door to the back end: the preload bridge (`window.tokenscope`) in Electron,
 * JSON over HTTP + SSE in a browser tab. Components never know which.
 */
import { API_METHODS, type ApiMethod, type EventListener, type TokenscopeApi } from '../../shared/api.ts';
import { SECRET_FRAGMENT, SECRET_HEADER } from '../../shared/bridge.ts';
import type { Result } from '../../shared/result.ts';

export interface TokenscopeClient extends TokenscopeApi {
  onEvent(listener: EventListener): () => void;
}

declare global {
  interface Window {
    tokenscope?: TokenscopeClient;
  }
}

/** Where the page keeps serve's launch secret: sessionStorage is bound to this origin (port included) and this tab. */
const SECRET_STORAGE_KEY = 'tokenscope.launchSecret';
const NO_SECRET_MESSAGE = 'this tab has no launch secret: open the URL printed by `tokenscope serve` again';

/**
 * Takes the launch secret out of the address bar (the fragment the bootstrap redirect wrote) into sessionStorage,
 * before the router reads the hash. Later loads of this tab (a reload, another screen) read it from there.
 */
export function takeLaunchSecret(win: Pick<Window, 'location' | 'history' | 'sessionStorage'> = window): string | null {
  const hash = win.location.hash.replace(/^#/, '');
  const fromUrl = hash.startsWith(`${SECRET_FRAGMENT}=`) ? new URLSearchParams(hash).get(SECRET_FRAGMENT) : null;
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(SECRET_STORAGE_KEY, fromUrl);
    } catch {
      // Storage refused (a private mode quota): the secret lives in memory for this page only.
    }
    win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}`);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(SECRET_STORAGE_KEY);
  } catch {
    return null;
  }
}

function unreachable(): Result<never> {
  return {
    ok: false,
    error: { code: 'ERR_NETWORK', message: 'the Tokenscope back end is not reachable (is `tokenscope serve` still running?)' },
  };
}

async function callOverHttp(secret: string | null, method: ApiMethod, arg: unknown): Promise<Result<unknown>> {
  if (secret === null) return { ok: false, error: { code: 'ERR_UNAUTHORIZED', message: NO_SECRET_MESSAGE } };
  let response: Response;
  try {
    response = await fetch(`./api/${method}`, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json', [SECRET_HEADER]: secret },
      body: JSON.stringify(arg === undefined ? {} : { arg }),
    });
  } catch {
    return unreachable();
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

/** Reads `data:` lines of a server-sent event stream and hands each event to `onData`. */
async function readEventStream(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data !== '') onData(data);
    }
  }
}

const RECONNECT_MS = 2000;

/**
 * The event stream, fetched with the secret in a header (EventSource cannot send one): reconnects while anyone
 * listens, as EventSource would. Returns the function that stops it.
 */
function openEvents(secret: string, onData: (data: string) => void): () => void {
  const controller = new AbortController();
  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch('./api/events', {
          credentials: 'omit',
          headers: { [SECRET_HEADER]: secret, Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        // 401: the secret is not this server's (restarted): retrying cannot help.
        if (response.status === 401 || !response.body) return;
        await readEventStream(response.body, onData);
      } catch {
        // Aborted, or the server went away: retry below unless stopped.
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };
  void connect();
  return () => controller.abort();
}

export function createHttpClient(secret: string | null = takeLaunchSecret()): TokenscopeClient {
  const listeners = new Set<EventListener>();
  let stop: (() => void) | null = null;
  const client: Record<string, unknown> = {
    onEvent(listener: EventListener) {
      listeners.add(listener);
      if (!stop && secret !== null) {
        stop = openEvents(secret, (data) => {
          const event = JSON.parse(data) as Parameters<EventListener>[0];
          for (const l of listeners) l(event);
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stop) {
          stop();
          stop = null;
        }
      };
    },
  };
  for (const method of API_METHODS) client[method] = (arg?: unknown) => callOverHttp(secret, method, arg);
  return client as unknown as TokenscopeClient;
}

export const api: TokenscopeClient = window.tokenscope ?? createHttpClient();

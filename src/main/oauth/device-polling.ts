/** The RFC 8628 §3.5 polling rules: wait `interval` between polls, keep going on authorization_pending, slow_down adds 5 s for good, honour Retry-After. */
import * as oauth from 'oauth4webapi';
import { endpointError } from './endpoint-errors.ts';

const SLOW_DOWN_STEP_MS = 5_000;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface DevicePollOptions<T> {
  readonly signal: AbortSignal;
  readonly intervalSeconds: number;
  /** One token request and the processing of its response; library errors must pass through unmapped. */
  readonly attempt: () => Promise<T>;
  /** Each time the server says "not yet" (with the interval now in force). */
  readonly onPending?: (intervalSeconds: number) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Milliseconds a 429/503 asks us to wait (Retry-After as seconds or as an HTTP date), null when it does not say. */
export function retryAfterMs(error: unknown, nowMs: number): number | null {
  const failure = error as { response?: unknown; cause?: unknown };
  const response =
    failure.response instanceof Response ? failure.response : failure.cause instanceof Response ? failure.cause : null;
  if (!response || (response.status !== 429 && response.status !== 503)) return null;
  const header = response.headers.get('retry-after');
  if (!header) return null;
  if (/^\d+$/.test(header)) return Math.min(Number(header) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/**
 * Polls until the token response arrives (returned), the signal aborts (undefined), or the server ends the flow
 * (thrown, mapped: expired_token → ERR_DEVICE_EXPIRED, access_denied → ERR_DEVICE_DENIED, others by endpoint).
 */
export async function pollDeviceToken<T>(options: DevicePollOptions<T>): Promise<T | undefined> {
  const { signal } = options;
  let intervalMs = options.intervalSeconds * 1000;
  let waitMs = intervalMs;
  while (!signal.aborted) {
    await sleep(waitMs, signal);
    if (signal.aborted) return undefined;
    waitMs = intervalMs;
    try {
      return await options.attempt();
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && error.error === 'authorization_pending') {
        options.onPending?.(intervalMs / 1000);
        continue;
      }
      if (error instanceof oauth.ResponseBodyError && error.error === 'slow_down') {
        intervalMs += SLOW_DOWN_STEP_MS;
        waitMs = intervalMs;
        options.onPending?.(intervalMs / 1000);
        continue;
      }
      const retry = retryAfterMs(error, Date.now());
      if (retry !== null) {
        waitMs = Math.max(intervalMs, retry);
        continue;
      }
      throw await endpointError(error, 'device-token');
    }
  }
  return undefined;
}

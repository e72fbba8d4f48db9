import { afterEach, describe, expect, it, vi } from 'vitest';
import * as oauth from 'oauth4webapi';
import { pollDeviceToken, retryAfterMs } from '../../../src/main/oauth/device-polling.ts';

function oauthError(error: string): Error {
  return new oauth.ResponseBodyError('server responded with an error in the response body', {
    cause: { error },
    response: new Response(JSON.stringify({ error }), { status: 400 }),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('device polling rules (RFC 8628 §3.5), on a fake clock', () => {
  it('waits the interval, and slow_down adds 5 s for every later poll', async () => {
    vi.useFakeTimers();
    const at: number[] = [];
    const answers = [oauthError('authorization_pending'), oauthError('slow_down'), oauthError('authorization_pending')];
    const start = Date.now();
    const polling = pollDeviceToken({
      signal: new AbortController().signal,
      intervalSeconds: 5,
      attempt: () => {
        at.push(Date.now() - start);
        const next = answers.shift();
        return next === undefined ? Promise.resolve('tokens') : Promise.reject(next);
      },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await polling).toBe('tokens');
    expect(at).toEqual([5_000, 10_000, 20_000, 30_000]);
  });

  it('stops quietly when aborted', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let calls = 0;
    const polling = pollDeviceToken({
      signal: controller.signal,
      intervalSeconds: 5,
      attempt: () => {
        calls += 1;
        return Promise.reject(oauthError('authorization_pending'));
      },
    });
    await vi.advanceTimersByTimeAsync(11_000);
    controller.abort();
    expect(await polling).toBeUndefined();
    expect(calls).toBe(2);
  });

  it('expired_token and access_denied end the flow with their own codes', async () => {
    vi.useFakeTimers();
    for (const [error, code] of [
      ['expired_token', 'ERR_DEVICE_EXPIRED'],
      ['access_denied', 'ERR_DEVICE_DENIED'],
    ] as const) {
      const polling = pollDeviceToken({
        signal: new AbortController().signal,
        intervalSeconds: 1,
        attempt: () => Promise.reject(oauthError(error)),
      });
      const settled = polling.then(
        () => 'resolved',
        (e: unknown) => (e as { code: string }).code,
      );
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await settled).toBe(code);
    }
  });

  it('reads Retry-After as seconds or as a date, only on 429/503', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const with503 = (value: string, status = 503): unknown => ({
      cause: new Response(null, { status, headers: { 'retry-after': value } }),
    });
    expect(retryAfterMs(with503('7'), now)).toBe(7_000);
    expect(retryAfterMs(with503('Tue, 01 Jan 2030 00:00:30 GMT'), now)).toBe(30_000);
    expect(retryAfterMs(with503('7', 500), now)).toBeNull();
    expect(retryAfterMs(with503('99999'), now)).toBe(300_000);
  });
});

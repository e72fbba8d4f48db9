/** shared/result.ts maps only its own errors; the library mapping is the back end's (src/main/errors.ts). */
import { describe, expect, it } from 'vitest';
import { attempt as backEndAttempt, toAppError } from '../../../src/main/errors.ts';
import { appErrorOf, attempt, TokenscopeError } from '../../../src/shared/result.ts';

describe('attempt', () => {
  it('wraps a value, and a TokenscopeError as its AppError', async () => {
    expect(await attempt(() => 42)).toEqual({ ok: true, value: 42 });
    const error = new TokenscopeError('ERR_NOT_FOUND', 'no such token\nsecond line', { id: 'x' });
    expect(await attempt(() => Promise.reject(error))).toEqual({
      ok: false,
      error: { code: 'ERR_NOT_FOUND', message: 'no such token', detail: { id: 'x' } },
    });
    expect(appErrorOf(error).message).toBe('no such token');
  });

  it('maps anything else to ERR_INTERNAL, its message withheld, unless given a mapping', async () => {
    const sqlite = Object.assign(new Error('database is locked: /home/me/.secret'), { code: 'SQLITE_BUSY' });
    expect(await attempt(() => Promise.reject(sqlite))).toEqual({
      ok: false,
      error: { code: 'ERR_INTERNAL', message: 'internal error' },
    });
    expect(await attempt(() => Promise.reject(sqlite), toAppError)).toMatchObject({
      ok: false,
      error: { code: 'ERR_STORE_LOCKED' },
    });
  });

  it('the back end attempt applies the library mapping', async () => {
    const jose = Object.assign(new Error('signature verification failed'), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    expect(await backEndAttempt(() => Promise.reject(jose))).toMatchObject({ ok: false, error: { code: 'ERR_VERIFY' } });
    const network = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(await backEndAttempt(() => Promise.reject(network))).toEqual({
      ok: false,
      error: {
        code: 'ERR_NETWORK',
        message: 'connection refused (nothing listens on that port)',
        detail: { cause: 'refused' },
      },
    });
  });
});

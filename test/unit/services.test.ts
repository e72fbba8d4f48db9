import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services.ts';
import type { TokenscopeBackend } from '../../src/shared/api.ts';
import { API_METHODS } from '../../src/shared/api.ts';
import type { Result } from '../../src/shared/result.ts';
import { testPlatform } from '../helpers/test-platform.ts';

let backend: TokenscopeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

describe('createServices', () => {
  it('implements every method of the contract', async () => {
    backend = await createServices(testPlatform());
    for (const name of API_METHODS) expect(typeof backend[name], name).toBe('function');
  });

  it('appInfo reports the data dir, versions and an empty history', async () => {
    const platform = testPlatform();
    backend = await createServices(platform);
    const info = await backend.appInfo();
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    expect(info.value.dataDir).toBe(platform.dataDir);
    expect(info.value.mode).toBe('test');
    expect(info.value.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(info.value.tokenCount).toBe(0);
  });

  it('listTokens rejects a limit out of range with ERR_INVALID_ARGUMENT', async () => {
    backend = await createServices(testPlatform());
    const page = await backend.listTokens({ limit: 0 });
    expect(page.ok).toBe(false);
    if (!page.ok) expect(page.error.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('listTokens rejects bad limits, cursors and filters with ERR_INVALID_ARGUMENT, once, at the contract', async () => {
    backend = await createServices(testPlatform());
    for (const q of [
      { limit: 0 },
      { limit: 501 },
      { cursor: 'junk' },
      { status: 'nope' },
      { kind: 'nope' },
      { expiringWithinMinutes: -1 },
      { fromMs: Number.NaN },
      { text: 'x'.repeat(1001) },
      { grantId: '' },
    ]) {
      const page = await backend.listTokens(q as never);
      expect(page.ok ? 'ok' : page.error.code, JSON.stringify(q)).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('listTokens rejects a forged cursor with ERR_INVALID_ARGUMENT', async () => {
    backend = await createServices(testPlatform());
    const page = await backend.listTokens({ cursor: 'not-a-cursor' });
    expect(page.ok).toBe(false);
    if (!page.ok) expect(page.error.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('inspect decodes a JWT header and payload', async () => {
    backend = await createServices(testPlatform());
    const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`;
    const result = await backend.inspect(jwt);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.input.kind).toBe('jwt');
    expect(result.value.jwt?.payload).toEqual({ sub: 'alice' });
    expect(result.value.jwt?.signature.state).toBe('unsigned');
  });

  it('inspect refuses empty input with ERR_EMPTY_INPUT', async () => {
    backend = await createServices(testPlatform());
    const result = await backend.inspect('   ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('ERR_EMPTY_INPUT');
  });

  it('checks every argument once against its schema: ERR_INVALID_ARGUMENT naming the field, before the body runs', async () => {
    backend = await createServices(testPlatform());
    const b = backend;
    const refusal = async (call: Promise<Result<unknown>>): Promise<string> => {
      const r = await call;
      return r.ok ? 'ok' : `${r.error.code} ${r.error.message}`;
    };
    // history
    expect(await refusal(b.listTokens({ limit: 5000 }))).toBe('ERR_INVALID_ARGUMENT limit: expected a number from 1 to 500');
    expect(await refusal(b.listTokens({ status: 'gone' as never }))).toMatch(
      /^ERR_INVALID_ARGUMENT status: expected one of active/,
    );
    expect(await refusal(b.getToken(42 as never))).toMatch(/^ERR_INVALID_ARGUMENT id: /);
    expect(await refusal(b.deleteTokens({ ids: ['a', 7] as never }))).toMatch(/^ERR_INVALID_ARGUMENT ids\[1\]: /);
    expect(await refusal(b.getEvents({ limit: 1.5 }))).toBe('ERR_INVALID_ARGUMENT limit: expected a number from 1 to 1000');
    expect(await refusal(b.exportTokens({ format: 'csv', redact: 'some' as never }))).toMatch(/^ERR_INVALID_ARGUMENT redact: /);
    expect(await refusal(b.setProtection({ choice: 'strong' as never }))).toMatch(/^ERR_INVALID_ARGUMENT choice: /);
    // token domain
    expect(await refusal(b.inspect(42 as never))).toBe('ERR_INVALID_ARGUMENT text: expected a string');
    expect(await refusal(b.verifyToken({ token: 'x', keySource: { type: 'jwks-url' } as never }))).toMatch(
      /^ERR_INVALID_ARGUMENT keySource\.url: /,
    );
    expect(await refusal(b.convertToken({ text: 'x' } as never))).toMatch(/^ERR_INVALID_ARGUMENT to: /);
    // oauth
    expect(await refusal(b.startLogin({} as never))).toMatch(/^ERR_INVALID_ARGUMENT profileId: /);
    expect(await refusal(b.saveProfile({ name: 'x', settings: { issuer: 'https://a.example', clientId: 1 } } as never))).toMatch(
      /^ERR_INVALID_ARGUMENT settings\.clientId: /,
    );
    expect(await refusal(b.listExchanges({ tokenId: '' }))).toMatch(/^ERR_INVALID_ARGUMENT tokenId: /);
    // methods without an argument take none
    expect(await refusal((b.appInfo as (arg: unknown) => Promise<Result<unknown>>)({ x: 1 }))).toMatch(/^ERR_INVALID_ARGUMENT /);
    // the field is in the detail too
    const r = await b.purgeExpired({ olderThanDays: -1 });
    expect(r.ok ? null : r.error.detail).toMatchObject({ method: 'purgeExpired', field: 'olderThanDays' });
  });
});

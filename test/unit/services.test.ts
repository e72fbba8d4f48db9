import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services.ts';
import type { TokenscopeBackend } from '../../src/shared/api.ts';
import { API_METHODS } from '../../src/shared/api.ts';
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
});

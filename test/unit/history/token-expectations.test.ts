import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services.ts';
import type { TokenscopeBackend } from '../../../src/shared/api.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { opaque } from '../../fixtures/store/helpers.ts';

let backend: TokenscopeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

describe('checkTokenExpectations: "would an API accept this history token?"', () => {
  it('an opaque token is judged with what its token response said (scopes, expiry), not "cannot tell"', async () => {
    backend = await createServices(testPlatform());
    const b = backend;
    const saved = value(
      await b.saveToken({
        text: JSON.stringify({ access_token: opaque('at'), token_type: 'Bearer', expires_in: 3600, scope: 'read write' }),
      }),
    );
    const id = saved.ids[0] ?? '';
    const detail = value(await b.getToken(id));
    const report = value(await b.checkTokenExpectations({ tokenId: id, expect: { scopes: ['write'] } }));
    expect(report.rows.find((r) => r.check === 'scopes')).toMatchObject({ outcome: 'pass' });
    // The expiry row says what the history knows of this token: the same fact the detail's countdown shows.
    const expiry = report.rows.find((r) => r.check === 'expiry');
    expect(expiry?.outcome).toBe(detail.summary.expiresAtMs === null ? 'unknown' : 'pass');
    const missing = value(await b.checkTokenExpectations({ tokenId: id, expect: { scopes: ['admin'] } }));
    expect(missing.accepted).toBe(false);
    expect(missing.summary).toMatch(/^No\. Not met: the scopes\./);
    // Inspecting the bare value alone cannot know the scopes: the history's record is what answers.
    const bare = value(await b.inspectToken({ text: opaque('at'), expect: { scopes: ['write'] } }));
    expect(bare.expectations?.rows.find((r) => r.check === 'scopes')?.outcome).toBe('unknown');
  });

  it('an unknown token id is ERR_NOT_FOUND, and a bad argument names the field', async () => {
    backend = await createServices(testPlatform());
    const r = await backend.checkTokenExpectations({ tokenId: 'nope', expect: {} });
    expect(r.ok ? 'ok' : r.error.code).toBe('ERR_NOT_FOUND');
    const bad = await backend.checkTokenExpectations({ tokenId: 'x', expect: { clockSkewS: -1 } });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_ARGUMENT');
  });
});

// The demo issuer's state beside the history: sealed with the history's data key, an earlier plain file
// migrated (nothing lost), and a key that cannot open it means a fresh demo issuer, not a crash.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoStateDir, type DemoSealer } from '../../../src/main/demo-issuer/demo-state.ts';
import { memoryKeyProvider } from '../../../src/main/store/key-file-provider.ts';
import { openStoreWith, type Store } from '../../../src/main/store/index.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function sealer(): Promise<DemoSealer> {
  const store = await openStoreWith(':memory:', memoryKeyProvider());
  stores.push(store);
  return store.sealer;
}

interface Adapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
}

const REFRESH = 'rt_9mF2xQ7LkP0vZ3aB8cD1eG4hJ6nR5sT';

describe('demo issuer state', () => {
  it('is sealed on disk: no token, key or user name in the files, and it reads back', async () => {
    const dir = freshDir();
    const seal = await sealer();
    const state = new DemoStateDir(dir, seal);
    state.saveIdentity({
      issuer: 'http://127.0.0.1:4000',
      serviceClientSecret: 'svc-secret-xyz',
      keys: [{ kty: 'RSA', d: 'private-d' }],
      cookieKey: 'ck',
    });
    const adapter = state.adapter()('RefreshToken') as Adapter;
    await adapter.upsert(REFRESH, { jti: REFRESH, accountId: 'erin', grantId: 'g1' }, 3600);

    expect(readdirSync(dir).sort()).toEqual(['identity.sealed', 'state.sealed']);
    const bytes = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
    for (const secret of [REFRESH, 'svc-secret-xyz', 'private-d', 'erin']) {
      expect(bytes.some((b) => b.includes(Buffer.from(secret)))).toBe(false);
    }

    const again = new DemoStateDir(dir, seal);
    expect(again.identity()?.serviceClientSecret).toBe('svc-secret-xyz');
    expect(await (again.adapter()('RefreshToken') as Adapter).find(REFRESH)).toMatchObject({ accountId: 'erin' });
  });

  it("an earlier version's plain files are read, then replaced by sealed ones", async () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({ entries: { [`RefreshToken:${REFRESH}`]: { payload: { jti: REFRESH }, expiresAtMs: null } } }),
    );
    writeFileSync(
      join(dir, 'identity.json'),
      JSON.stringify({ issuer: 'http://127.0.0.1:4001', serviceClientSecret: 's', keys: [], cookieKey: 'c' }),
    );
    const seal = await sealer();
    const state = new DemoStateDir(dir, seal);
    expect(state.identity()?.issuer).toBe('http://127.0.0.1:4001');
    const adapter = state.adapter()('RefreshToken') as Adapter;
    expect(await adapter.find(REFRESH)).toEqual({ jti: REFRESH });
    await adapter.upsert('other', { jti: 'other' });
    state.saveIdentity({ issuer: 'http://127.0.0.1:4001', serviceClientSecret: 's', keys: [], cookieKey: 'c' });
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(existsSync(join(dir, 'identity.json'))).toBe(false);
    // Nothing lost in the move: the migrated record and the new one read back from the sealed file.
    const reopened = new DemoStateDir(dir, seal).adapter()('RefreshToken') as Adapter;
    expect(await reopened.find(REFRESH)).toEqual({ jti: REFRESH });
    expect(await reopened.find('other')).toEqual({ jti: 'other' });
  });

  it('another key cannot open the files: the demo issuer starts afresh instead of failing', async () => {
    const dir = freshDir();
    const first = new DemoStateDir(dir, await sealer());
    first.saveIdentity({ issuer: 'http://127.0.0.1:4002', serviceClientSecret: 's', keys: [], cookieKey: 'c' });
    await (first.adapter()('Session') as Adapter).upsert('s1', { uid: 'u1' });
    const other = new DemoStateDir(dir, await sealer());
    expect(other.identity()).toBeNull();
    expect(await (other.adapter()('Session') as Adapter).find('s1')).toBeUndefined();
  });

  it('a pushed authorization request lives in the process only: found and consumed there, never written to the file', async () => {
    const dir = freshDir();
    const seal = await sealer();
    const state = new DemoStateDir(dir, seal);
    await (state.adapter()('RefreshToken') as Adapter).upsert(REFRESH, { jti: REFRESH }, 3600);
    const before = readFileSync(join(dir, 'state.sealed'));
    const par = state.adapter()('PushedAuthorizationRequest') as Adapter;
    await par.upsert('urn-1', { jti: 'urn-1', request: 'eyJ…' }, 60);
    expect(await par.find('urn-1')).toMatchObject({ jti: 'urn-1' });
    await par.consume('urn-1');
    expect(await par.find('urn-1')).toMatchObject({ consumed: expect.any(Number) as number });
    // The file was not rewritten for it (the same sealed bytes, fresh IV and all), and another process does not see it.
    expect(readFileSync(join(dir, 'state.sealed')).equals(before)).toBe(true);
    const reopened = new DemoStateDir(dir, seal);
    expect(await (reopened.adapter()('PushedAuthorizationRequest') as Adapter).find('urn-1')).toBeUndefined();
    expect(await (reopened.adapter()('RefreshToken') as Adapter).find(REFRESH)).toEqual({ jti: REFRESH });
  });
});

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services.ts';
import type { TokenscopeBackend, TokenscopeEvent } from '../../../src/shared/api.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { accessJwt, jwt, opaque } from '../../fixtures/store/helpers.ts';

let backend: TokenscopeBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(
  extra: Partial<ReturnType<typeof testPlatform>> = {},
): Promise<{ backend: TokenscopeBackend; events: TokenscopeEvent[]; dataDir: string }> {
  const platform = Object.assign(testPlatform(), extra);
  backend = await createServices(platform);
  const events: TokenscopeEvent[] = [];
  backend.onEvent((e) => events.push(e));
  return { backend, events, dataDir: platform.dataDir };
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

describe('history contract', () => {
  it('saveToken from a pasted JWT, then list, get (masked) and reveal (plain)', async () => {
    const { backend: b, events } = await start();
    const token = accessJwt(Date.now(), { sub: 'paste-user' });
    const saved = value(await b.saveToken({ text: `Bearer ${token}` }));
    expect(saved.created).toBe(1);
    expect(events).toEqual([{ type: 'tokens-changed', ids: saved.ids }]);
    const page = value(await b.listTokens({ text: 'paste-user' }));
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.kind).toBe('access_token');
    const id = saved.ids[0] ?? '';
    const detail = value(await b.getToken(id));
    expect(JSON.stringify(detail)).not.toContain(token);
    expect(detail.claims?.['sub']).toBe('paste-user');
    expect(value(await b.revealToken(id))).toEqual({ id, value: token });
  });

  it('saveToken from a pasted token response saves its three tokens under one grant', async () => {
    const { backend: b } = await start();
    const response = {
      access_token: accessJwt(Date.now()),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: opaque('rt'),
      id_token: jwt({ iss: 'https://issuer.example', sub: 'alice', nonce: 'n1', aud: 'cli-app' }, { alg: 'RS256', typ: 'JWT' }),
      scope: 'openid profile',
    };
    const saved = value(await b.saveToken({ text: JSON.stringify(response) }));
    expect(saved.created).toBe(3);
    const first = value(await b.getToken(saved.ids[0] ?? ''));
    const grant = value(await b.getGrant(first.summary.grantId ?? ''));
    expect(grant.tokens.map((t) => t.kind).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
    expect(value(await b.saveToken({ text: JSON.stringify(response) })).created).toBe(0);
  });

  it('a pasted {access_token, token_type, expires_in} response is taken as received now, or when the user says', async () => {
    const nowMs = 1_790_000_000_000;
    const { backend: b } = await start({ now: () => nowMs });
    const pasted = (v: string) => JSON.stringify({ access_token: v, token_type: 'Bearer', expires_in: 3600 });
    // Inspect says the lifetime has no start in the text (the screen then says "received now").
    const inspected = value(await b.inspect(pasted(opaque('a'))));
    expect(inspected.lifetimeStartUnknown).toEqual({ lifetimeS: 3600, words: 'lifetime 1 hour, start unknown' });
    const now = value(await b.saveToken({ text: pasted(opaque('now')) }));
    expect(value(await b.getToken(now.ids[0] ?? '')).summary).toMatchObject({
      status: 'active',
      issuedAtMs: nowMs,
      expiresAtMs: nowMs + 3_600_000,
    });
    const earlier = nowMs - 30 * 60_000;
    const then = value(await b.saveToken({ text: pasted(opaque('then')), receivedAtMs: earlier }));
    const summary = value(await b.getToken(then.ids[0] ?? '')).summary;
    expect(summary).toMatchObject({ status: 'active', issuedAtMs: earlier, expiresAtMs: earlier + 3_600_000 });
    expect(summary.expiryNote).toBeUndefined();
    // Received two hours ago: already expired.
    const old = value(await b.saveToken({ text: pasted(opaque('old')), receivedAtMs: nowMs - 7_200_000 }));
    expect(value(await b.getToken(old.ids[0] ?? '')).summary.status).toBe('expired');
    const bad = await b.saveToken({ text: pasted(opaque('bad')), receivedAtMs: -1 });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('saveToken refuses empty text, foreign JSON and a text with spaces with stable codes', async () => {
    const { backend: b } = await start();
    const codes = await Promise.all(
      ['  ', '{"hello":1}', 'two words', '{not json'].map(async (text) => {
        const r = await b.saveToken({ text });
        return r.ok ? 'ok' : r.error.code;
      }),
    );
    expect(codes).toEqual(['ERR_EMPTY_INPUT', 'ERR_UNKNOWN_FORMAT', 'ERR_NOT_A_TOKEN', 'ERR_INVALID_JSON']);
  });

  it('deleteToken deletes and pushes tokens-changed; a second delete is ERR_NOT_FOUND', async () => {
    const { backend: b, events } = await start();
    const { ids } = value(await b.saveToken({ text: opaque() }));
    const id = ids[0] ?? '';
    expect(value(await b.deleteToken(id))).toEqual({ deleted: 1 });
    expect(events.at(-1)).toEqual({ type: 'tokens-changed', ids: [id] });
    const again = await b.deleteToken(id);
    expect(again.ok ? 'ok' : again.error.code).toBe('ERR_NOT_FOUND');
    const events2 = value(await b.getEvents({ tokenId: id }));
    expect(events2.map((e) => e.type)).toEqual(['deleted', 'saved']);
  });

  it('deleteTokens deletes many; purgeExpired deletes long-expired ones; bad arguments are ERR_INVALID_ARGUMENT', async () => {
    const { backend: b } = await start();
    const ids = (
      await Promise.all([opaque(), opaque(), opaque()].map(async (text) => value(await b.saveToken({ text })).ids[0] ?? ''))
    ).filter(Boolean);
    expect(value(await b.deleteTokens({ ids: [ids[0] ?? '', ids[1] ?? '', 'unknown'] }))).toEqual({ deleted: 2 });
    expect(value(await b.purgeExpired({ olderThanDays: 30 }))).toEqual({ deleted: 0 });
    const bad = [await b.deleteTokens({ ids: 'x' as never }), await b.purgeExpired({ olderThanDays: -1 })];
    expect(bad.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ERR_INVALID_ARGUMENT', 'ERR_INVALID_ARGUMENT']);
  });

  it('exportTokens in serve/test mode writes under <dataDir>/exports with mode 0600', async () => {
    const { backend: b, dataDir } = await start();
    const token = opaque();
    await b.saveToken({ text: token });
    const result = value(await b.exportTokens({ format: 'bundle', redact: 'full' }));
    expect(dirname(result.path)).toBe(join(dataDir, 'exports'));
    expect(statSync(result.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(result.path, 'utf8')).toContain(token);
    expect(result.tokenCount).toBe(1);
  });

  it('listTokens pages oldest first when asked, and refuses the cursor of another sort with ERR_CURSOR_MISMATCH', async () => {
    const { backend: b } = await start();
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) ids.push(...value(await b.saveToken({ text: opaque(name) })).ids);
    const first = value(await b.listTokens({ sort: 'received', limit: 2 }));
    expect(first.items.map((t) => t.id)).toEqual(ids.slice(0, 2));
    const second = value(await b.listTokens({ sort: 'received', limit: 2, cursor: first.nextCursor }));
    expect(second.items.map((t) => t.id)).toEqual(ids.slice(2));
    expect(value(await b.listTokens({})).items.map((t) => t.id)).toEqual([...ids].reverse());
    const bad = await b.listTokens({ sort: 'sideways' as 'received' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_ARGUMENT');
    for (const sort of ['-received', 'expires', '-expires'] as const) {
      const other = await b.listTokens({ sort, limit: 2, cursor: first.nextCursor });
      expect(other.ok ? 'ok' : other.error.code, sort).toBe('ERR_CURSOR_MISMATCH');
    }
  });

  it('exportTokens asks the save dialog when there is one; cancelling is ERR_CANCELLED', async () => {
    const { backend: b } = await start({ chooseSavePath: () => Promise.resolve(null) });
    await b.saveToken({ text: opaque() });
    const r = await b.exportTokens({ format: 'csv', redact: 'masked' });
    expect(r.ok ? 'ok' : r.error.code).toBe('ERR_CANCELLED');
  });

  it('an export that would write no token is refused with its reason, before any dialog, and leaves no file', async () => {
    let asked = 0;
    const { backend: b } = await start({
      chooseSavePath: () => {
        asked++;
        return Promise.resolve(null);
      },
    });
    const empty = await b.exportTokens({ format: 'bundle', redact: 'masked' });
    expect(empty.ok ? 'ok' : empty.error).toMatchObject({ code: 'ERR_NOTHING_TO_EXPORT', message: /history is empty/ });
    expect(asked).toBe(0);
  });

  it('browser mode hands the file back to download and keeps no copy; the summary counts records and tokens', async () => {
    const { backend: b, dataDir } = await start({ exportsAsDownload: true });
    const response = JSON.stringify({
      access_token: accessJwt(Date.now()),
      refresh_token: opaque('refresh'),
      token_type: 'Bearer',
      expires_in: 300,
    });
    await b.saveToken({ text: response });
    const r = value(await b.exportTokens({ format: 'rfc6749.TokenResponse', redact: 'masked' }));
    expect(r.download?.mimeType).toBe('application/json');
    expect(JSON.parse(r.download?.text ?? '')).toHaveLength(1);
    expect(r).toMatchObject({ recordCount: 1, tokenCount: 2, summary: '1 record, 2 tokens' });
    expect(r.path).toBe(r.download?.fileName);
    expect(readdirSync(join(dataDir, 'exports'))).toEqual([]);
    const none = await b.exportTokens({ format: 'csv', redact: 'masked', ids: ['no-such-id'] });
    expect(none.ok ? 'ok' : none.error.code).toBe('ERR_NOTHING_TO_EXPORT');
    expect(readdirSync(join(dataDir, 'exports'))).toEqual([]);
  });

  it('importTokens takes uploaded content; without content and dialog it is ERR_INVALID_ARGUMENT', async () => {
    const { backend: b, events } = await start();
    const lines = [
      { access_token: accessJwt(Date.now()), token_type: 'Bearer' },
      { access_token: accessJwt(Date.now()), token_type: 'Bearer' },
    ];
    const report = value(
      await b.importTokens({ content: lines.map((l) => JSON.stringify(l)).join('\n'), fileName: 'tokens.jsonl' }),
    );
    expect(report).toMatchObject({ committed: true, imported: 2 });
    expect(events.some((e) => e.type === 'tokens-changed')).toBe(true);
    const none = await b.importTokens({});
    expect(none.ok ? 'ok' : none.error.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('importTokens reports its progress as import-progress events while it runs: from 0, every 1 %, to the total', async () => {
    const { backend: b, events } = await start();
    const total = 2500;
    const content = Array.from({ length: total }, () => JSON.stringify({ access_token: opaque(), token_type: 'Bearer' })).join(
      '\n',
    );
    let finished = false;
    const seenBeforeTheEnd: number[] = [];
    b.onEvent((e) => {
      if (e.type === 'import-progress' && !finished) seenBeforeTheEnd.push(e.done);
    });
    const report = value(await b.importTokens({ content }));
    finished = true;
    expect(report).toMatchObject({ committed: true, imported: total });
    const progress = events.flatMap((e) => (e.type === 'import-progress' ? [e] : []));
    expect(progress.every((e) => e.total === total)).toBe(true);
    const done = progress.map((e) => e.done);
    expect(done[0]).toBe(0);
    expect(done.at(-1)).toBe(total);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    // One event per 25 records (1 % of 2,500) plus the start.
    expect(done).toHaveLength(101);
    expect(seenBeforeTheEnd).toEqual(done);
  });

  it('importTokens reads the file the open dialog picks', async () => {
    const { backend: exporter } = await start();
    await exporter.saveToken({ text: opaque() });
    const file = value(await exporter.exportTokens({ format: 'bundle', redact: 'full' })).path;
    await exporter.close();
    backend = undefined;
    expect(existsSync(file)).toBe(true);
    const { backend: b } = await start({ chooseOpenPath: () => Promise.resolve(file) });
    expect(value(await b.importTokens({}))).toMatchObject({ detected: 'bundle', imported: 1 });
  });

  it('storageStatus names the key backend; wipeHistory empties the history', async () => {
    const { backend: b } = await start();
    await b.saveToken({ text: opaque() });
    expect(value(await b.storageStatus())).toMatchObject({
      keyBackend: 'key-file',
      keyProtection: 'key-file',
      tokenCount: 1,
      unreadableCount: 0,
    });
    expect(value(await b.wipeHistory())).toEqual({ deletedTokens: 1 });
    expect(value(await b.listTokens({})).items).toEqual([]);
  });

  it('getToken / getGrant of an unknown id are ERR_NOT_FOUND; a non-string id is ERR_INVALID_ARGUMENT', async () => {
    const { backend: b } = await start();
    for (const r of [await b.getToken('nope'), await b.getGrant('nope'), await b.revealToken('nope')])
      expect(r.ok ? 'ok' : r.error.code).toBe('ERR_NOT_FOUND');
    const bad = await b.getToken(42 as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ERR_INVALID_ARGUMENT');
  });
});

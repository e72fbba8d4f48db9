import { maskValue } from '../../../src/shared/mask.ts';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactDecrypt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { exportToFile } from '../../../src/main/history/export.ts';
import { PBES2_COUNT } from '../../../src/main/history/export-sinks.ts';
import { FORMAT_IDS } from '../../../src/main/history/format-bridge.ts';
import { fileSource, MAX_IMPORT_BYTES } from '../../../src/main/history/import-source.ts';
import { importContent } from '../../../src/main/history/import.ts';
import type { Store } from '../../../src/main/store/index.ts';
import type { ExportRequest, ExportResult } from '../../../src/shared/model.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, jwt, opaque, openTestStore, type TestStore } from '../../fixtures/store/helpers.ts';

let open: TestStore[] = [];
async function fresh(): Promise<TestStore> {
  const t = await openTestStore();
  open.push(t);
  return t;
}
afterEach(() => {
  for (const t of open) t.store.close();
  open = [];
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : `not a TokenscopeError: ${String(e)}`;
  }
}

interface Seeded {
  values: string[];
  secret: string;
}

/** Two grants (access + refresh + ID token; access + refresh), a lone opaque token, a profile with a secret, events. */
function seed(t: TestStore): Seeded {
  const { store, clock } = t;
  const secret = `client-secret-${opaque()}`;
  const profileId = store.saveProfile({
    name: 'Demo',
    settings: { issuer: 'https://issuer.example', clientId: 'cli-app' },
    secrets: { clientSecret: secret },
  });
  const values: string[] = [];
  const g1 = store.createGrant({
    profileId,
    grantType: 'authorization_code',
    issuer: 'https://issuer.example',
    clientId: 'cli-app',
    scopes: ['openid', 'profile'],
  });
  const at1 = accessJwt(clock.now());
  const rt1 = opaque('rt');
  const id1 = jwt(
    {
      iss: 'https://issuer.example',
      sub: 'alice',
      aud: 'cli-app',
      nonce: 'n',
      iat: 1,
      exp: Math.floor(clock.now() / 1000) + 600,
    },
    { alg: 'RS256', typ: 'JWT' },
  );
  for (const [value, kind] of [
    [at1, 'access_token'],
    [rt1, 'refresh_token'],
    [id1, 'id_token'],
  ] as const) {
    const { id } = store.saveToken({
      value,
      kind,
      format: 'rfc6749.TokenResponse',
      grantId: g1,
      profileId,
      source: 'authorization_code',
    });
    store.addEvent({ tokenId: id, grantId: g1, type: 'obtained', detail: { status: 200 } });
    values.push(value);
  }
  clock.advance(60_000);
  const g2 = store.createGrant({
    grantType: 'refresh_token',
    issuer: 'https://issuer.example',
    clientId: 'cli-app',
    scopes: ['openid'],
  });
  const at2 = accessJwt(clock.now(), { sub: 'bob', scope: 'openid' });
  const rt2 = opaque('rt');
  store.saveToken({ value: at2, kind: 'access_token', format: 'rfc6749.TokenResponse', grantId: g2, source: 'refresh' });
  const r2 = store.saveToken({
    value: rt2,
    kind: 'refresh_token',
    format: 'rfc6749.TokenResponse',
    grantId: g2,
    source: 'refresh',
  });
  store.setTokenStatus(r2.id, 'revoked');
  store.markGrantDead(g2, 'revoked by the user');
  values.push(at2, rt2);
  clock.advance(60_000);
  const lone = opaque('lone');
  store.saveToken({ value: lone, kind: 'access_token', format: 'opaque', expiresAtMs: clock.now() - 1000, source: 'paste' });
  values.push(lone);
  // Saved straight into the store, as an older history would hold them: their issuances derived (same grant, same time).
  expect(store.deriveIssuances([g1, g2])).toBe(2);
  return { values, secret };
}

function rows(store: Store, table: string, order: string): unknown[] {
  return store.db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
}

function tokenRows(store: Store): unknown[] {
  return (store.db.prepare('SELECT * FROM tokens ORDER BY created_at_ms, id').all() as Record<string, unknown>[]).map((r) => {
    const { seq: _seq, value_enc: _enc, key_id: _key, updated_at_ms: _updated, ...rest } = r;
    return { ...rest, value: store.getTokenValue(r['id'] as string) };
  });
}

async function exportTo(
  store: Store,
  dir: string,
  req: ExportRequest,
  name = 'out',
): Promise<{ path: string; text: string; result: ExportResult }> {
  const path = join(dir, name);
  const result = await exportToFile(store, req, path, Date.now());
  return { path, text: readFileSync(path, 'utf8'), result };
}

describe('bundle round trip', () => {
  it('export → import into an empty history gives identical tokens, grants, profiles and events', async () => {
    const a = await fresh();
    seed(a);
    const out = freshDir();
    const { text } = await exportTo(a.store, out, { format: 'bundle', redact: 'full' });
    const b = await fresh();
    const report = await importContent(b.store, { content: text });
    expect(report).toMatchObject({ detected: 'bundle', committed: true, imported: 6, duplicates: 0, rejected: 0 });
    expect(tokenRows(b.store)).toEqual(tokenRows(a.store));
    expect(rows(b.store, 'grants', 'id')).toEqual(rows(a.store, 'grants', 'id'));
    const strip = (list: unknown[]): unknown[] => (list as Record<string, unknown>[]).map(({ seq: _s, ...r }) => r);
    // The target gains one 'imported' event of its own; the source's 'exported' came after the file was written.
    const aEvents = strip(rows(a.store, 'events', 'seq')).filter((e) => (e as { type: string }).type !== 'exported');
    const bEvents = strip(rows(b.store, 'events', 'seq')).filter((e) => (e as { type: string }).type !== 'imported');
    expect(bEvents).toEqual(aEvents);
    const [pa] = a.store.listProfiles();
    expect(b.store.getProfile(pa?.id ?? '')).toEqual(a.store.getProfile(pa?.id ?? ''));
    // Lineage: a grant's tokens get their derived responses; a token of no grant a response of its own, 'import'.
    const issuanceOf = (kind: string, grantless: boolean): unknown =>
      b.store
        .listTokens({ limit: 100 })
        .items.filter((t) => t.kind === kind && (t.grantId === null) === grantless)
        .map((t) => {
          const i = b.store.issuanceOfToken(t.id);
          return i && { request: i.request, grantId: i.grantId, tokens: i.tokens.map((x) => x.id).includes(t.id) };
        });
    expect(issuanceOf('access_token', true)).toEqual([{ request: 'import', grantId: null, tokens: true }]);
    expect((issuanceOf('refresh_token', false) as { request: string }[]).map((i) => i.request).sort()).toEqual([
      'login',
      'refresh',
    ]);
  });

  it('importing the same bundle twice reports every token as already present', async () => {
    const a = await fresh();
    seed(a);
    const { text } = await exportTo(a.store, freshDir(), { format: 'bundle', redact: 'full' });
    const events = rows(a.store, 'events', 'seq');
    const report = await importContent(a.store, { content: text });
    expect(report).toMatchObject({ committed: true, imported: 0, duplicates: 6, rejected: 0 });
    // The bundle's events are in the history already (same ids): none is written twice.
    expect(rows(a.store, 'events', 'seq')).toEqual(events);
  });

  it('the encrypted bundle is a standard JWE (PBES2-HS512+A256KW / A256GCM) and round-trips with the passphrase', async () => {
    const a = await fresh();
    const { values } = seed(a);
    const { text } = await exportTo(a.store, freshDir(), {
      format: 'bundle',
      redact: 'full',
      encrypt: true,
      passphrase: 'correct horse battery',
    });
    for (const v of values) expect(text).not.toContain(v);
    const [header] = text.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({
      alg: 'PBES2-HS512+A256KW',
      enc: 'A256GCM',
      p2c: PBES2_COUNT,
    });
    const { plaintext } = await compactDecrypt(text, new TextEncoder().encode('correct horse battery'), {
      keyManagementAlgorithms: ['PBES2-HS512+A256KW'],
      maxPBES2Count: PBES2_COUNT,
    });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toMatchObject({ kind: 'tokenscope.bundle', version: 1 });
    const b = await fresh();
    expect(await importContent(b.store, { content: text, passphrase: 'correct horse battery' })).toMatchObject({
      detected: 'bundle+jwe',
      imported: 6,
    });
    expect(tokenRows(b.store)).toEqual(tokenRows(a.store));
  });

  it('an encrypted bundle with a wrong or missing passphrase is ERR_WRONG_PASSPHRASE and imports nothing', async () => {
    const a = await fresh();
    seed(a);
    const { text } = await exportTo(a.store, freshDir(), {
      format: 'bundle',
      redact: 'full',
      encrypt: true,
      passphrase: 'correct horse battery',
    });
    const b = await fresh();
    expect(await codeOf(importContent(b.store, { content: text, passphrase: 'wrong horse battery' }))).toBe(
      'ERR_WRONG_PASSPHRASE',
    );
    expect(await codeOf(importContent(b.store, { content: text }))).toBe('ERR_WRONG_PASSPHRASE');
    expect(b.store.count()).toBe(0);
  });

  it('encryption needs a passphrase of 8+ characters and only applies to the bundle', async () => {
    const { store } = await fresh();
    const dir = freshDir();
    expect(
      await codeOf(
        exportToFile(store, { format: 'bundle', redact: 'full', encrypt: true, passphrase: 'short' }, join(dir, 'a'), 0),
      ),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(
      await codeOf(
        exportToFile(store, { format: 'csv', redact: 'full', encrypt: true, passphrase: 'long enough' }, join(dir, 'b'), 0),
      ),
    ).toBe('ERR_INVALID_ARGUMENT');
    expect(await codeOf(exportToFile(store, { format: 'nope', redact: 'full' }, join(dir, 'c'), 0))).toBe('ERR_UNKNOWN_FORMAT');
    expect(await codeOf(exportToFile(store, { format: 'csv', redact: 'nope' as never }, join(dir, 'd'), 0))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('redaction and file handling', () => {
  it('masked and hash bundles hold no token value or secret; full holds them all', async () => {
    const t = await fresh();
    const { values, secret } = seed(t);
    const dir = freshDir();
    const full = (await exportTo(t.store, dir, { format: 'bundle', redact: 'full' }, 'full')).text;
    for (const v of values) expect(full).toContain(v);
    expect(full).toContain(secret);
    for (const redact of ['masked', 'hash'] as const) {
      const { text } = await exportTo(t.store, dir, { format: 'bundle', redact }, redact);
      for (const v of values) expect(text).not.toContain(v);
      expect(text).not.toContain(secret);
      if (redact === 'masked') expect(text).toContain(maskValue(values[0] ?? ''));
    }
  });

  it('a masked bundle cannot be imported as tokens: every record is rejected and nothing is written', async () => {
    const t = await fresh();
    seed(t);
    const { text } = await exportTo(t.store, freshDir(), { format: 'bundle', redact: 'masked' });
    const b = await fresh();
    const report = await importContent(b.store, { content: text });
    expect(report).toMatchObject({ committed: false, imported: 0, rejected: 6 });
    expect(report.records.every((r) => r.code === 'ERR_NOT_A_TOKEN')).toBe(true);
    expect(b.store.count()).toBe(0);
    expect(b.store.listProfiles()).toEqual([]);
  });

  it('writes the file with mode 0600 and leaves no partial file behind', async () => {
    const t = await fresh();
    seed(t);
    const dir = freshDir();
    const { path } = await exportTo(t.store, dir, { format: 'csv', redact: 'full' }, 'x.csv');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['x.csv']);
    expect(await codeOf(exportToFile(t.store, { format: 'csv', redact: 'full' }, join(dir, 'missing-dir', 'y.csv'), 0))).toBe(
      'ERR_EXPORT',
    );
  });

  it('a bundle spanning many write chunks, with records larger than a chunk and multi-byte text, is byte-exact', async () => {
    const t = await fresh();
    const values: string[] = [];
    t.store.write(() => {
      for (let i = 0; i < 300; i++) {
        // long values and non-ASCII claims: records of ~1 KB to ~40 KB, 2-4 bytes a character in places
        const value = jwt({
          iss: 'https://issuer.example',
          sub: `zoë-😀-${String(i)}`,
          pad: 'é'.repeat(i % 7 === 0 ? 20_000 : 300),
        });
        t.store.saveToken({ value, kind: 'access_token', format: 'jwt', source: 'test', subject: `zoë-😀-${String(i)}` });
        values.push(value);
      }
    });
    t.store.saveProfile({
      name: 'Big',
      settings: { note: 'ü'.repeat(70_000) },
      secrets: { key: `-----BEGIN-${'k'.repeat(90_000)}` },
    });
    const dir = freshDir();
    const { path, text, result } = await exportTo(t.store, dir, { format: 'bundle', redact: 'full' }, 'big.json');
    expect(result.bytes).toBe(statSync(path).size);
    expect(result.bytes).toBeGreaterThan(1_000_000);
    const bundle = JSON.parse(text) as {
      tokens: { value: string; subject: string }[];
      profiles: { settings: { note: string }; secrets: { key: string } }[];
    };
    expect(bundle.tokens.map((x) => x.value)).toEqual(values);
    expect(bundle.tokens[299]?.subject).toBe('zoë-😀-299');
    expect(bundle.profiles[0]?.settings.note).toBe('ü'.repeat(70_000));
    expect(bundle.profiles[0]?.secrets.key.length).toBe(90_011);
  });

  it('CSV has no value column unless asked, and then redacts it as asked', async () => {
    const t = await fresh();
    const { values } = seed(t);
    const dir = freshDir();
    const plain = (await exportTo(t.store, dir, { format: 'csv', redact: 'full' }, 'a.csv')).text;
    expect(plain.split('\r\n')[0]).not.toContain('value');
    for (const v of values) expect(plain).not.toContain(v);
    expect(plain.trim().split('\r\n')).toHaveLength(7);
    const masked = (await exportTo(t.store, dir, { format: 'csv', redact: 'masked', includeValues: true }, 'b.csv')).text;
    expect(masked.split('\r\n')[0]?.endsWith(',value')).toBe(true);
    for (const v of values) expect(masked).not.toContain(v);
    const full = (await exportTo(t.store, dir, { format: 'csv', redact: 'full', includeValues: true }, 'c.csv')).text;
    for (const v of values) expect(full).toContain(v);
  });

  it('.env lines name each token by kind and carry the redacted value', async () => {
    const t = await fresh();
    const { values } = seed(t);
    const { text } = await exportTo(t.store, freshDir(), { format: 'env', redact: 'full' });
    expect(text).toMatch(/^ACCESS_TOKEN='/m);
    expect(text).toMatch(/^ACCESS_TOKEN_2='/m);
    expect(text).toMatch(/^REFRESH_TOKEN='/m);
    expect(text).toMatch(/^ID_TOKEN='/m);
    for (const v of values) expect(text).toContain(v);
    const hashed = (await exportTo(t.store, freshDir(), { format: 'env', redact: 'hash' })).text;
    for (const v of values) expect(hashed).not.toContain(v);
  });

  it('exports only the selected ids or the filter', async () => {
    const t = await fresh();
    seed(t);
    const bob = t.store.listTokens({ text: 'bob' }).items;
    expect(bob).toHaveLength(1);
    const byFilter = JSON.parse(
      (await exportTo(t.store, freshDir(), { format: 'bundle', redact: 'hash', filter: { text: 'bob' } })).text,
    ) as { tokens: unknown[]; grants: unknown[] };
    expect(byFilter.tokens).toHaveLength(1);
    expect(byFilter.grants).toHaveLength(1);
    const byIds = JSON.parse(
      (await exportTo(t.store, freshDir(), { format: 'bundle', redact: 'hash', ids: [bob[0]?.id ?? ''] })).text,
    ) as { tokens: { id: string }[] };
    expect(byIds.tokens.map((x) => x.id)).toEqual([bob[0]?.id]);
  });
});

describe('every token format round trip', () => {
  for (const format of FORMAT_IDS) {
    it(`${format}: export → import keeps what the format holds and reports the rest`, async () => {
      const a = await fresh();
      seed(a);
      const { text, result } = await exportTo(a.store, freshDir(), { format, redact: 'full' });
      if (format === 'authlete.AccessToken')
        expect(result.notRepresentable).toEqual(expect.arrayContaining(['accessToken', 'refreshToken']));
      if (format === 'rfc6749.TokenResponse') expect(result.notRepresentable ?? []).not.toContain('accessToken');
      const records = JSON.parse(text) as Record<string, unknown>[];
      // one record per token response: grant 1 (at+rt+id), grant 2 (at+rt), the lone token
      expect(records).toHaveLength(3);
      const b = await fresh();
      // Affinidi's shapes are the RFC 6749 fields: detection cannot tell them apart, so the format is named.
      const report = await importContent(b.store, { content: text, skipBad: true, format });
      expect(report.committed).toBe(true);
      const sourceAccess = a.store.listTokens({ kind: 'access_token' }).items;
      for (const at of sourceAccess) {
        const value = a.store.getTokenValue(at.id);
        const id = b.store.findTokenByValue(value);
        if (format === 'authlete.AccessToken') {
          // Authlete records hold hashes, never values: nothing to import, each record says why.
          expect(id).toBeNull();
          continue;
        }
        expect(id, `${format} keeps the access token`).not.toBeNull();
        const copy = b.store.getTokenSummary(id ?? '');
        if (copy?.expiresAtMs === null && at.expiresAtMs !== null) {
          // An opaque token in a format with only a relative lifetime: the lifetime is kept with its start unknown
          // (status 'unknown', never 'active'), and the report says so.
          expect(copy).toMatchObject({ status: 'unknown', lifetimeS: expect.any(Number) });
          expect(copy?.expiryNote).toMatch(/^lifetime .+, start unknown$/);
          expect(
            report.records.some((r) =>
              r.fieldNotes?.some((n) => n.field === 'expiresInS' && n.kept && /start unknown/.test(n.why)),
            ),
          ).toBe(true);
        } else {
          // Formats that count in seconds keep the expiry to the second.
          expect(Math.abs((copy?.expiresAtMs ?? 0) - (at.expiresAtMs ?? 0))).toBeLessThanOrEqual(1000);
        }
        expect(copy?.kind).toBe('access_token');
        expect(copy?.format).toBe(format);
      }
      if (format === 'authlete.AccessToken') {
        expect(report.imported).toBe(0);
        expect(report.rejected).toBe(3);
        expect(report.records.every((r) => r.code === 'ERR_NOT_A_TOKEN')).toBe(true);
      } else {
        expect(report.rejected).toBe(0);
        expect(report.imported).toBe(3);
      }
    });
  }
});

describe('format detection on import', () => {
  it('reads a Serendip file as Serendip without being told (milliseconds stay milliseconds)', async () => {
    const { store, clock } = await fresh();
    const value = opaque('ser');
    const record = {
      access_token: value,
      token_type: 'bearer',
      issue_at: clock.now(),
      expires_at: clock.now() + 7_200_000,
      expires_in: 7_200_000,
      grant_type: 'password',
      userId: 'u1',
      _id: 'x1',
    };
    const report = await importContent(store, { content: JSON.stringify([record]) });
    expect(report).toMatchObject({ detected: 'serendip.TokenModel', committed: true, imported: 1 });
    const id = store.findTokenByValue(value);
    expect(store.getTokenSummary(id ?? '')).toMatchObject({
      format: 'serendip.TokenModel',
      expiresAtMs: clock.now() + 7_200_000,
    });
    expect(report.records[0]?.dropped).toEqual(expect.arrayContaining(['userId', 'recordId']));
  });

  it('an unknown forced format is ERR_UNKNOWN_FORMAT', async () => {
    const { store } = await fresh();
    expect(await codeOf(importContent(store, { content: '{}', format: 'nope' }))).toBe('ERR_UNKNOWN_FORMAT');
  });
});

describe('bad imports', () => {
  it('a truncated bundle is ERR_INVALID_JSON and writes nothing', async () => {
    const a = await fresh();
    seed(a);
    const { text } = await exportTo(a.store, freshDir(), { format: 'bundle', redact: 'full' });
    const b = await fresh();
    expect(await codeOf(importContent(b.store, { content: text.slice(0, Math.floor(text.length / 2)) }))).toBe(
      'ERR_INVALID_JSON',
    );
    expect(b.store.count()).toBe(0);
  });

  it('a file in no known format: ERR_INVALID_JSON for non-JSON, a per-record ERR_UNKNOWN_FORMAT for a foreign object', async () => {
    const { store } = await fresh();
    expect(await codeOf(importContent(store, { content: 'id,kind\n1,access_token\n' }))).toBe('ERR_INVALID_JSON');
    expect(await codeOf(importContent(store, { content: '' }))).toBe('ERR_EMPTY_INPUT');
    const report = await importContent(store, { content: JSON.stringify({ hello: 'world', n: 1 }) });
    expect(report).toMatchObject({ committed: false, rejected: 1 });
    expect(report.records[0]?.code).toBe('ERR_UNKNOWN_FORMAT');
  });

  it('a file over 4 GiB is refused before it is read (ERR_FILE_TOO_LARGE)', () => {
    const path = join(freshDir(), 'huge.json');
    writeFileSync(path, '');
    // sparse: no disk space used
    truncateSync(path, MAX_IMPORT_BYTES + 1);
    let code: string | undefined;
    try {
      fileSource(path);
    } catch (e) {
      code = (e as TokenscopeError).code;
    }
    expect(code).toBe('ERR_FILE_TOO_LARGE');
  });

  it('duplicates inside one file and against the history are counted, not doubled', async () => {
    const { store, clock } = await fresh();
    const known = accessJwt(clock.now());
    store.saveToken({ value: known, kind: 'access_token', format: 'jwt', source: 'x' });
    const fresh1 = accessJwt(clock.now(), { sub: 'carol' });
    const lines = [
      { access_token: known, token_type: 'Bearer', expires_in: 3600 },
      { access_token: fresh1, token_type: 'Bearer', expires_in: 3600 },
      { access_token: fresh1, token_type: 'Bearer', expires_in: 3600 },
    ];
    const report = await importContent(store, { content: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(report).toMatchObject({ detected: 'jsonl', committed: true, imported: 1, duplicates: 2, rejected: 0 });
    expect(store.count()).toBe(2);
  });

  it('a malformed token in one record rejects the whole file unless skipBad; reasons are per record', async () => {
    const { store, clock } = await fresh();
    const good = [accessJwt(clock.now()), accessJwt(clock.now(), { sub: 'dave' })];
    const records = [
      { access_token: good[0], token_type: 'Bearer' },
      { access_token: 'eyJhbGciOiJub25lIn0.%%%not-base64%%%.x', token_type: 'Bearer' },
      { access_token: 'eyJub3QiOiJqc29u.eyJhIjox.sig', token_type: 'Bearer' },
      { access_token: 'has spaces in it', token_type: 'Bearer' },
      { access_token: good[1], token_type: 'Bearer' },
    ];
    const content = JSON.stringify(records);
    const all = await importContent(store, { content });
    expect(all.committed).toBe(false);
    expect(all.imported).toBe(0);
    expect(all.rejected).toBe(3);
    // One row per record: the good ones say they were not saved, beside the counts that say the same.
    expect(all.notSaved).toBe(2);
    expect(all.records.map((r) => [r.index, r.outcome])).toEqual([
      [0, 'not-saved'],
      [1, 'rejected'],
      [2, 'rejected'],
      [3, 'rejected'],
      [4, 'not-saved'],
    ]);
    expect(store.count()).toBe(0);
    expect(store.db.prepare('SELECT count(*) AS n FROM grants').get()).toEqual({ n: 0 });
    const some = await importContent(store, { content, skipBad: true });
    expect(some).toMatchObject({ committed: true, imported: 2, rejected: 3 });
    expect(store.count()).toBe(2);
  });

  it('JSON lines with a truncated last line: that line is rejected as ERR_INVALID_JSON', async () => {
    const { store, clock } = await fresh();
    const a = JSON.stringify({ access_token: accessJwt(clock.now()), token_type: 'Bearer' });
    const b = JSON.stringify({ access_token: accessJwt(clock.now()), token_type: 'Bearer' });
    const report = await importContent(store, { content: `${a}\n${b.slice(0, 40)}` });
    expect(report.committed).toBe(false);
    expect(report.records).toEqual([
      expect.objectContaining({ index: 0, outcome: 'not-saved' }),
      expect.objectContaining({ index: 1, outcome: 'rejected', code: 'ERR_INVALID_JSON' }),
    ]);
    expect(store.count()).toBe(0);
  });

  it('a bundle record whose value does not match its recorded hash is rejected', async () => {
    const a = await fresh();
    seed(a);
    const { text } = await exportTo(a.store, freshDir(), { format: 'bundle', redact: 'full' });
    const bundle = JSON.parse(text) as { tokens: { value: string }[] };
    const first = bundle.tokens[0];
    if (first) first.value = opaque('swapped');
    const b = await fresh();
    const report = await importContent(b.store, { content: JSON.stringify(bundle) });
    expect(report.committed).toBe(false);
    expect(report.records[0]).toMatchObject({ index: 0, outcome: 'rejected', code: 'ERR_IMPORT' });
    expect(b.store.count()).toBe(0);
  });

  it('a bundle token whose id another token of the history has is rejected (ERR_IMPORT); the same token is a duplicate', async () => {
    const a = await fresh();
    seed(a);
    const { text } = await exportTo(a.store, freshDir(), { format: 'bundle', redact: 'full' });
    const bundle = JSON.parse(text) as { tokens: { id: string; value: string; hash?: string }[] };
    const [first, second] = bundle.tokens;
    if (!first || !second) throw new Error('the seed has two tokens');
    // The second record takes the first one's id (its own value and hash stay): two tokens, one id.
    const b = await fresh();
    const before = await importContent(b.store, { content: JSON.stringify({ ...bundle, tokens: [first] }) });
    expect(before.imported).toBe(1);
    second.id = first.id;
    const report = await importContent(b.store, {
      content: JSON.stringify({ ...bundle, tokens: [first, second] }),
      skipBad: true,
    });
    expect(report.records).toEqual([
      expect.objectContaining({ index: 0, outcome: 'duplicate', tokenIds: [first.id] }),
      expect.objectContaining({
        index: 1,
        outcome: 'rejected',
        code: 'ERR_IMPORT',
        message: expect.stringMatching(/another token with this id/),
      }),
    ]);
    expect(b.store.count()).toBe(1);
    expect(b.store.getTokenValue(first.id)).toBe(first.value);
  });

  it('an unsupported bundle version is ERR_IMPORT', async () => {
    const { store } = await fresh();
    expect(
      await codeOf(importContent(store, { content: JSON.stringify({ kind: 'tokenscope.bundle', version: 99, tokens: [] }) })),
    ).toBe('ERR_IMPORT');
    expect(existsSync(store.dataDir)).toBe(true);
  });
});

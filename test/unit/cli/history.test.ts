import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { io } from '../../helpers/cli-io.ts';
import { main } from '../../../src/cli/main.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { accessJwt, clock, opaque, openTestStore } from '../../fixtures/store/helpers.ts';

async function seeded(): Promise<{ dir: string; values: string[] }> {
  // the CLI runs on the real clock: so does the history it reads
  const t = await openTestStore({ clock: clock(Date.now()) });
  const values = [accessJwt(t.clock.now(), { sub: 'cli-alice' }), opaque('rt'), accessJwt(t.clock.now(), { sub: 'cli-bob' })];
  const g = t.store.createGrant({ grantType: 'authorization_code' });
  values.forEach((value, i) =>
    t.store.saveToken({
      value,
      kind: i === 1 ? 'refresh_token' : 'access_token',
      format: 'rfc6749.TokenResponse',
      grantId: g,
      source: 'x',
    }),
  );
  t.store.close();
  return { dir: t.dir, values };
}

describe('tokenscope history / export / import', () => {
  it('history lists with counts, filters, and prints JSON', async () => {
    const { dir } = await seeded();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history'], a)).toBe(0);
    expect(a.out()).toMatch(/^3 token\(s\) \(active 3\)/);
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--json', '--filter', 'cli-bob'], b)).toBe(0);
    const page = JSON.parse(b.out()) as { items: { subject: string }[]; counts: { total: number } };
    expect(page.items.map((t) => t.subject)).toEqual(['cli-bob']);
    expect(page.counts.total).toBe(1);
    const c = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--json', '--all', '--limit', '1'], c)).toBe(0);
    expect(c.out().trim().split('\n')).toHaveLength(3);
  });

  it('history says a capped count is a lower bound ("5001+ token(s)"), as the list chips do', async () => {
    const t = await openTestStore({ clock: clock(Date.now()) });
    t.store.write(() => {
      for (let i = 0; i < 5005; i++)
        t.store.saveToken({
          value: accessJwt(t.clock.now(), { sub: `many-${String(i)}` }),
          kind: 'access_token',
          format: 'jwt',
          source: 'x',
        });
    });
    t.store.close();
    const a = io({ TOKENSCOPE_DATA_DIR: t.dir });
    expect(await main(['history', '--filter', 'many', '--limit', '1'], a)).toBe(0);
    expect(a.out()).toMatch(/^5001\+ token\(s\) \(active 5001\+\)\n/);
    const b = io({ TOKENSCOPE_DATA_DIR: t.dir });
    expect(await main(['history', '--limit', '1'], b)).toBe(0);
    expect(b.out()).toMatch(/^5005 token\(s\) \(active 5005\)\n/);
  });

  it('history rejects a bad status with ERR_INVALID_ARGUMENT and exit 2', async () => {
    const { dir } = await seeded();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--status', 'nope'], a)).toBe(2);
    expect(a.err()).toMatch(/^error ERR_INVALID_ARGUMENT: /);
  });

  it('history show masks the value unless --reveal', async () => {
    const { dir, values } = await seeded();
    const list = io({ TOKENSCOPE_DATA_DIR: dir });
    await main(['history', '--json', '--filter', 'cli-alice'], list);
    const id = (JSON.parse(list.out()) as { items: { id: string }[] }).items[0]?.id ?? '';
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'show', id], a)).toBe(0);
    expect(a.out()).not.toContain(values[0]);
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'show', id, '--reveal'], b)).toBe(0);
    expect(b.out()).toContain(values[0]);
  });

  it('export --out writes 0600; import into another history prints the counts', async () => {
    const { dir, values } = await seeded();
    const out = join(freshDir(), 'all.json');
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['export', '--format', 'bundle', '--out', out], a)).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    for (const v of values) expect(readFileSync(out, 'utf8')).toContain(v);
    const target = freshDir();
    const b = io({ TOKENSCOPE_DATA_DIR: target });
    expect(await main(['import', out, '--json'], b)).toBe(0);
    expect(JSON.parse(b.out())).toMatchObject({ detected: 'bundle', committed: true, imported: 3, duplicates: 0, rejected: 0 });
    const c = io({ TOKENSCOPE_DATA_DIR: target });
    expect(await main(['import', out], c)).toBe(0);
    expect(c.out()).toMatch(/0 new, 3 already present, 0 rejected/);
  });

  it('export --encrypt needs a bundle passphrase of its own: TOKENSCOPE_PASSPHRASE is not one', async () => {
    const { dir } = await seeded();
    const out = join(freshDir(), 'all.jwe');
    // The history was made with a key file; TOKENSCOPE_PASSPHRASE would be a history key, not the bundle's.
    const a = io({ TOKENSCOPE_DATA_DIR: dir, TOKENSCOPE_PASSPHRASE: 'a long history passphrase' });
    expect(await main(['export', '--format', 'bundle', '--out', out, '--encrypt'], a)).not.toBe(0);
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['export', '--format', 'bundle', '--out', out, '--encrypt'], b)).toBe(2);
    expect(b.err()).toMatch(/ERR_INVALID_ARGUMENT.*TOKENSCOPE_BUNDLE_PASSPHRASE/);
  });

  it('import of a bad file exits non-zero with per-record reasons and imports nothing', async () => {
    const file = join(freshDir(), 'bad.json');
    writeFileSync(file, JSON.stringify([{ access_token: accessJwt(Date.now()), token_type: 'Bearer' }, { nothing: 'here' }]));
    const dir = freshDir();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['import', file], a)).toBe(1);
    expect(a.out()).toMatch(/NOT imported/);
    expect(a.out()).toMatch(/record 1: ERR_UNKNOWN_FORMAT/);
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    await main(['history', '--json'], b);
    expect((JSON.parse(b.out()) as { items: unknown[] }).items).toEqual([]);
    const c = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['import', file, '--skip-bad', '--json'], c)).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ imported: 1, rejected: 1 });
  });

  it('import of an expires_in response with no time keeps its lifetime: status unknown, "lifetime 1 hour, start unknown"', async () => {
    const file = join(freshDir(), 'relative.json');
    const value = opaque('relative-at');
    writeFileSync(file, JSON.stringify([{ access_token: value, token_type: 'Bearer', expires_in: 3600 }]));
    const dir = freshDir();
    const a = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['import', file], a)).toBe(0);
    // The report names the field and what became of it, never "dropped: expiresInS".
    expect(a.out()).toContain(
      'record 0: expiresInS kept as lifetime 1 hour, start unknown: the record has no issue time to count it from, so its status is unknown',
    );
    const b = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history'], b)).toBe(0);
    expect(b.out()).toMatch(/^1 token\(s\) \(unknown 1\)/);
    expect(b.out()).toMatch(/ unknown +access_token +lifetime 1 hour, start unknown /);
    expect(b.out()).not.toMatch(/active|no expiry known/);
    const c = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--json', '--status', 'unknown'], c)).toBe(0);
    const page = JSON.parse(c.out()) as { items: Record<string, unknown>[]; counts: Record<string, number> };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ status: 'unknown', expiresAtMs: null, lifetimeS: 3600 });
    expect(page.counts['unknown']).toBe(1);
    const d = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'show', String(page.items[0]?.['id'])], d)).toBe(0);
    expect(d.out()).toMatch(/status {4}unknown\n/);
    expect(d.out()).toMatch(/expires {3}lifetime 1 hour, start unknown\n/);
    // Active tokens are not it: the filter chips and the list agree.
    const e = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', '--json', '--status', 'active'], e)).toBe(0);
    expect((JSON.parse(e.out()) as { items: unknown[] }).items).toEqual([]);
  });

  it('export csv and env, and an unknown format is ERR_UNKNOWN_FORMAT', async () => {
    const { dir } = await seeded();
    const d = freshDir();
    expect(await main(['export', '--format', 'csv', '--out', join(d, 'a.csv')], io({ TOKENSCOPE_DATA_DIR: dir }))).toBe(0);
    expect(
      await main(
        ['export', '--format', 'env', '--redact', 'masked', '--out', join(d, 'a.env')],
        io({ TOKENSCOPE_DATA_DIR: dir }),
      ),
    ).toBe(0);
    expect(readFileSync(join(d, 'a.env'), 'utf8')).toMatch(/^ACCESS_TOKEN='«secret \d+ chars sha256:[0-9a-f]{6}»'$/m);
    const bad = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['export', '--format', 'nope', '--out', join(d, 'x')], bad)).toBe(2);
    expect(bad.err()).toMatch(/^error ERR_UNKNOWN_FORMAT: /);
  });

  it('history status, purge and wipe', async () => {
    const { dir } = await seeded();
    const s = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'status', '--json'], s)).toBe(0);
    expect(JSON.parse(s.out())).toMatchObject({ keyBackend: 'key-file', tokenCount: 3 });
    // The CLI names the protection in the back end's words, the same Settings shows: a key file is weak.
    const text = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'status'], text)).toBe(0);
    const name = (JSON.parse(s.out()) as { protectionName: { label: string; summary: string } }).protectionName;
    expect(name.label).toBe('key file on the same disk (weak)');
    expect(text.out()).toContain(`key       ${name.label} — key-file`);
    expect(text.out()).toContain(name.summary);
    const withPassphrase = io({ TOKENSCOPE_DATA_DIR: freshDir(), TOKENSCOPE_PASSPHRASE: 'a passphrase of some length' });
    expect(await main(['history', 'status', '--json'], withPassphrase)).toBe(0);
    expect(JSON.parse(withPassphrase.out())).toMatchObject({ protectionName: { kind: 'passphrase', weak: false } });
    expect(await main(['history', 'purge', '--expired-days', '30'], io({ TOKENSCOPE_DATA_DIR: dir }))).toBe(0);
    const refuse = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'wipe'], refuse)).toBe(2);
    const w = io({ TOKENSCOPE_DATA_DIR: dir });
    expect(await main(['history', 'wipe', '--yes'], w)).toBe(0);
    expect(w.out()).toMatch(/wiped 3/);
  });
});

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSqliteVersion, compareVersions, openDatabase } from '../../../src/main/store/database.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof TokenscopeError ? e.code : 'other';
  }
}

describe('openDatabase', () => {
  it('sets WAL, synchronous=FULL, foreign keys, a busy timeout and secure_delete', () => {
    const db = openDatabase(freshDir());
    dbs.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
  });

  it('refuses a SQLite older than 3.51.3 with ERR_SQLITE_TOO_OLD', () => {
    expect(codeOf(() => openDatabase(freshDir(), { sqliteVersionOverride: '3.51.2' }))).toBe('ERR_SQLITE_TOO_OLD');
    expect(codeOf(() => openDatabase(freshDir(), { sqliteVersionOverride: '3.45.0' }))).toBe('ERR_SQLITE_TOO_OLD');
    expect(codeOf(() => openDatabase(freshDir(), { sqliteVersionOverride: 'garbage' }))).toBe('ERR_SQLITE_TOO_OLD');
  });

  it('the bundled SQLite passes the check', () => {
    const db = new Database(':memory:');
    const v = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    db.close();
    expect(() => checkSqliteVersion(v)).not.toThrow();
    expect(() => checkSqliteVersion('3.51.3')).not.toThrow();
    expect(() => checkSqliteVersion('3.52.0')).not.toThrow();
  });

  it('compares versions numerically', () => {
    expect(compareVersions('3.9.0', '3.10.0')).toBe(-1);
    expect(compareVersions('3.51.3', '3.51.3')).toBe(0);
    expect(compareVersions('4.0', '3.99.99')).toBe(1);
  });
});

/** Opens (dataDir ':memory:' for an in-memory database) the token history database with the pragmas the store relies on, and migrates it. */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TokenscopeError } from '../../shared/result.ts';
import { migrate } from './migrations/index.ts';

export const DATABASE_FILE = 'tokenscope.db';

/** Older SQLite builds have a WAL-reset bug that can corrupt a database under concurrent checkpoints. */
export const MIN_SQLITE_VERSION = '3.51.3';

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** ERR_SQLITE_TOO_OLD unless `version` is MIN_SQLITE_VERSION or newer. */
export function checkSqliteVersion(version: string): void {
  if (!/^\d+\.\d+\.\d+/.test(version) || compareVersions(version, MIN_SQLITE_VERSION) < 0) {
    throw new TokenscopeError(
      'ERR_SQLITE_TOO_OLD',
      `SQLite ${version} is too old: Tokenscope needs ${MIN_SQLITE_VERSION} or newer (older builds can corrupt a WAL database)`,
      { found: version, required: MIN_SQLITE_VERSION },
    );
  }
}

export function databasePath(dataDir: string): string {
  return dataDir === ':memory:' ? ':memory:' : join(dataDir, DATABASE_FILE);
}

export interface OpenDatabaseOptions {
  /** Only for tests of the check itself: pretend the library reports this version. */
  readonly sqliteVersionOverride?: string;
  /** Skip migrations (the migration tests build old schemas by hand). */
  readonly migrate?: boolean;
}

/** The files of a history's database: the database, its WAL and its shared-memory index. */
export function databaseFiles(dataDir: string): string[] {
  const file = join(dataDir, DATABASE_FILE);
  return [file, `${file}-wal`, `${file}-shm`];
}

/**
 * The data dir is 0700 and every file of the database 0600, whatever existed before (a dir made 0755 by hand, a
 * database copied in as 0644): SQLite gives the -wal and -shm files the database's own mode.
 */
export function restrictDataDir(dataDir: string): void {
  if (dataDir === ':memory:') return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  for (const f of databaseFiles(dataDir)) if (existsSync(f)) chmodSync(f, 0o600);
}

export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Database.Database {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    restrictDataDir(dataDir);
    file = join(dataDir, DATABASE_FILE);
  }
  const db = new Database(file);
  try {
    checkSqliteVersion(options.sqliteVersionOverride ?? sqliteVersion(db));
    db.pragma('busy_timeout = 2000');
    db.pragma('journal_mode = WAL');
    // The file SQLite just created (and the -wal/-shm it made from its mode) are the user's alone.
    restrictDataDir(dataDir);
    // FULL: a rotated refresh token must survive a power cut once the write has returned.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Freed pages are zeroed so deleted secrets do not linger in the file.
    db.pragma('secure_delete = ON');
    db.pragma('temp_store = MEMORY');
    // 16 MiB of page cache: index pages of a large history stay hot between pages of a listing.
    db.pragma('cache_size = -16000');
    if (options.migrate !== false) {
      const from = migrate(db).from;
      // Leaving schema 2 dropped the plaintext claims and index: their pages are zeroed (secure_delete);
      // the WAL that held them is emptied now rather than at the next checkpoint.
      if (from < 3 && file !== ':memory:') db.pragma('wal_checkpoint(TRUNCATE)');
    }
    // Keeps the planner's statistics fresh enough to pick the right index (cheap; a no-op most of the time).
    db.pragma('optimize = 0x10002');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function sqliteVersion(db: Database.Database): string {
  return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
}

/** Opens (dataDir ':memory:' for an in-memory database) the token history database with the pragmas the store relies on, and migrates it. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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

export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Database.Database {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = join(dataDir, DATABASE_FILE);
  }
  const db = new Database(file);
  try {
    checkSqliteVersion(options.sqliteVersionOverride ?? sqliteVersion(db));
    db.pragma('busy_timeout = 2000');
    db.pragma('journal_mode = WAL');
    // FULL: a rotated refresh token must survive a power cut once the write has returned.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Freed pages are zeroed so deleted secrets do not linger in the file.
    db.pragma('secure_delete = ON');
    db.pragma('temp_store = MEMORY');
    // 16 MiB of page cache: index pages of a large history stay hot between pages of a listing.
    db.pragma('cache_size = -16000');
    if (options.migrate !== false) migrate(db);
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

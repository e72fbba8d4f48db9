/**
 * A history opens only with its own key. Before the history is opened for writing (before its lock, migrations or
 * pragmas), its data keys are read (only read): when the KeyProvider in force unwraps none of
 * them, the open is refused (ERR_WRONG_PASSPHRASE / ERR_KEY_UNAVAILABLE) and not one byte of the data dir changes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { KeyProvider } from '../platform.ts';
import { DATABASE_FILE } from './database.ts';
import { keyMismatch } from './envelope.ts';

export async function assertHistoryKey(dataDir: string, provider: KeyProvider): Promise<void> {
  // A memory key is gone after every restart by design: what it sealed shows as unreadable instead.
  if (dataDir === ':memory:' || provider.info.keyProtection === 'memory') return;
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return;
  let wrapped: Buffer[];
  // A plain connection that only reads: closing it as the last one removes its -wal/-shm, which a read-only one cannot.
  const db = new Database(file, { fileMustExist: true });
  try {
    const hasKeys = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_keys'").get();
    if (hasKeys === undefined) return;
    wrapped = (db.prepare('SELECT wrapped FROM data_keys ORDER BY id').all() as { wrapped: Buffer }[]).map((r) => r.wrapped);
  } finally {
    db.close();
  }
  if (wrapped.length === 0) return;
  for (const w of wrapped) {
    try {
      (await provider.unwrap(new Uint8Array(w))).fill(0);
      return;
    } catch {
      // try the next one
    }
  }
  throw keyMismatch(provider);
}

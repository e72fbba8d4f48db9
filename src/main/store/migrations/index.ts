/** The ordered list of forward-only schema migrations, applied by version (PRAGMA user_version). */
import type Database from 'better-sqlite3';
import { migration001 } from './001-tokens.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [migration001];

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${String(m.version)}`);
    }).immediate();
    current = m.version;
  }
  return current;
}

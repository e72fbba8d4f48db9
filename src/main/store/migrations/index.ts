/** The ordered list of forward-only schema migrations, applied by version (PRAGMA user_version), each in one transaction. */
import type Database from 'better-sqlite3';
import { TokenscopeError } from '../../../shared/result.ts';
import { migration001 } from './001-tokens.ts';
import { migration002 } from './002-history.ts';
import { migration003 } from './003-sealed-index.ts';
import { migration004 } from './004-issuances.ts';
import { migration005 } from './005-lifetimes-and-requests.ts';
import { migration006 } from './006-exchange-issuances.ts';
import { migration007 } from './007-partial-link-indexes.ts';
import { migration008 } from './008-expiry-order.ts';
import { migration009 } from './009-common-terms.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

/** Numbered 1..N without gaps: a database at version N has had every migration up to N. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Applies the migrations a database lacks; returns the version it had and the one it has now. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  let current = db.pragma('user_version', { simple: true }) as number;
  const from = current;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    // Forward-only: a database written by a newer Tokenscope is never touched by an older one.
    throw new TokenscopeError(
      'ERR_STORE',
      `the history was written by a newer Tokenscope (schema ${String(current)} > ${String(latest)})`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${String(m.version)}`);
    }).immediate();
    current = m.version;
  }
  return { from, to: current };
}

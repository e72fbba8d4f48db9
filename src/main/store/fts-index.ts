/** The full-text index of tokens (`tokens_fts`, rowid = tokens.seq) and the free-text → FTS5 query rule. */
import type { Connection, WriteParticipant } from './connection.ts';

/** One row of the full-text index (`id` tells a later token that reused the seq apart). */
export interface FtsRow {
  readonly seq: number;
  readonly id: string;
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  readonly jti: string;
  readonly scopes: string;
  readonly claims: string;
}

/** Free text → an FTS5 query: every word a quoted prefix phrase (no FTS syntax reaches SQLite from the user). */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ' ').trim())
    .filter((w) => w !== '')
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

/** A long transaction (an import, a seed) writes its full-text rows in batches of this many. */
const FTS_BATCH = 1000;

export class FtsIndex implements WriteParticipant {
  private readonly conn: Connection;
  /**
   * Full-text rows of tokens saved in the current `write`, by seq, written just before it commits.
   * Why: every INSERT into `tokens` runs the status-count trigger under a statement journal, and each
   * statement savepoint makes FTS5 flush its pending terms to disk; rows added between token inserts
   * became one tiny segment per token (plus the merges), about half the cost of a save.
   */
  private readonly pending = new Map<number, FtsRow>();

  constructor(conn: Connection) {
    this.conn = conn;
    conn.join(this);
  }

  add(row: FtsRow): void {
    if (!this.conn.inWrite) {
      this.insert(row);
      return;
    }
    // A rolled-back savepoint can hand the same seq to a later token: the later row replaces it.
    this.pending.set(row.seq, row);
    if (this.pending.size >= FTS_BATCH) this.flush();
  }

  private insert(row: FtsRow): void {
    this.conn
      .sql('INSERT INTO tokens_fts (rowid, issuer, subject, client_id, jti, scopes, claims) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.seq, row.issuer, row.subject, row.clientId, row.jti, row.scopes, row.claims);
  }

  /** Writes the pending rows (before a search, a delete or the commit). Skips tokens a rolled-back savepoint or a delete took away. */
  flush(): void {
    if (this.pending.size === 0) return;
    let from = Number.MAX_SAFE_INTEGER;
    for (const seq of this.pending.keys()) from = Math.min(from, seq);
    // One walk over the rows saved since (the pending ones are the newest) rather than a lookup per row.
    const alive = new Map<number, string>();
    for (const [seq, id] of this.conn.sql('SELECT seq, id FROM tokens WHERE seq >= ?').raw(true).all(from) as [number, string][])
      alive.set(seq, id);
    for (const row of this.pending.values()) if (alive.get(row.seq) === row.id) this.insert(row);
    this.pending.clear();
  }

  beforeCommit(): void {
    this.flush();
  }

  afterWrite(): void {
    this.pending.clear();
  }
}

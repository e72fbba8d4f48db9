/**
 * The per-status token counts (`token_status_counts`): exact, O(1) to read, and kept by the store instead of a
 * trigger. Every change of a row's status goes through `change`; the deltas of a write are applied in one statement
 * per status just before it commits (a rolled-back savepoint takes its own deltas back).
 */
import type { TokenStatus } from '../../shared/model.ts';
import type { Connection, WriteParticipant } from './connection.ts';

export class TokenCounts implements WriteParticipant {
  private readonly conn: Connection;
  /** Deltas of the current write, in order: status, delta, status, delta, … */
  private log: (string | number)[] = [];

  constructor(conn: Connection) {
    this.conn = conn;
    conn.join(this);
  }

  /** `n` more (or fewer, when negative) rows have `status`. */
  change(status: string, n: number): void {
    if (n === 0) return;
    this.log.push(status, n);
    if (!this.conn.inWrite) this.beforeCommit();
  }

  /** `n` rows went from one status to another. */
  move(from: string, to: string, n = 1): void {
    if (from === to || n === 0) return;
    this.change(from, -n);
    this.change(to, n);
  }

  /** Recounts from the rows themselves (after a change whose per-status breakdown is not known). */
  recount(): void {
    this.log = [];
    this.conn.sql('DELETE FROM token_status_counts').run();
    this.conn.sql('INSERT INTO token_status_counts (status, n) SELECT status, count(*) FROM tokens GROUP BY status').run();
  }

  /** The counts as this write sees them (the table plus the deltas not yet applied). */
  all(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.conn.sql('SELECT status, n FROM token_status_counts').all() as { status: string; n: number }[])
      out.set(r.status, r.n);
    for (let i = 0; i < this.log.length; i += 2) {
      const s = this.log[i] as string;
      out.set(s, (out.get(s) ?? 0) + (this.log[i + 1] as number));
    }
    return out;
  }

  get(status: TokenStatus): number {
    return this.all().get(status) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const v of this.all().values()) n += v;
    return n;
  }

  mark(): number {
    return this.log.length;
  }

  rollbackTo(mark: number): void {
    if (mark < this.log.length) this.log.length = mark;
  }

  beforeCommit(): void {
    if (this.log.length === 0) return;
    const sums = new Map<string, number>();
    for (let i = 0; i < this.log.length; i += 2) {
      const s = this.log[i] as string;
      sums.set(s, (sums.get(s) ?? 0) + (this.log[i + 1] as number));
    }
    this.log = [];
    const upsert = this.conn.sql(
      'INSERT INTO token_status_counts (status, n) VALUES (?, ?) ON CONFLICT (status) DO UPDATE SET n = n + excluded.n',
    );
    for (const [s, n] of sums) if (n !== 0) upsert.run(s, n);
  }

  afterWrite(): void {
    this.log = [];
  }
}

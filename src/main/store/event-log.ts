/** The `events` table: what happened to tokens and grants (non-secret facts only). */
import type { EventsQuery, TokenEvent } from '../../shared/model.ts';
import { checkEventType } from './arguments.ts';
import type { Connection, WriteParticipant } from './connection.ts';
import { uuidv7 } from './ids.ts';
import type { AddEventInput } from './inputs.ts';
import { toEvent, type EventRow } from './rows.ts';

/** Events read at a time when walking the whole log. */
const EVENT_BATCH = 1000;
/** A long write (a save of many tokens, an import) writes its event rows in batches of this many. */
const PENDING_MAX = 1000;
/** Event rows per INSERT statement. */
const ROWS_PER_INSERT = 50;
/** Columns of an event row as `pending` holds them, in this order. */
const COLUMNS = 6;

/**
 * The event log is a WriteParticipant: the events of a `write` are held (their values, in order) and written just
 * before it commits, 50 rows per INSERT, instead of one statement each: a save of 5,000 tokens wrote 5,000 INSERTs.
 * Every read of the log writes them first, so nothing reads the log without them.
 */
export class EventLog implements WriteParticipant {
  private readonly conn: Connection;
  /** Values of the held rows, COLUMNS per row: id, token_id, grant_id, type, detail_json, at_ms. */
  private pending: unknown[] = [];

  constructor(conn: Connection) {
    this.conn = conn;
    conn.join(this);
  }

  /**
   * Records what happened to a token or grant. `detail` must hold no secrets. Returns the event id. An event with
   * the caller's own `id` (an import) that the history has already is not written again (one lookup fewer a record:
   * the UNIQUE index tells, at the INSERT).
   */
  addEvent(input: AddEventInput): string {
    checkEventType(input.type);
    // Time-ordered: the UNIQUE index on events.id grows at its end.
    const id = input.id ?? uuidv7();
    this.conn.write(() => {
      this.pending.push(
        id,
        input.tokenId ?? null,
        input.grantId ?? null,
        input.type,
        JSON.stringify(input.detail ?? {}),
        input.atMs ?? this.conn.now(),
      );
      // Outside a write of the store's own (a transaction it did not open), nobody would write them at the commit.
      if (!this.conn.inWrite || this.pending.length >= PENDING_MAX * COLUMNS) this.flush();
    });
    return id;
  }

  /** Writes the held rows (before a read of the log, a wipe, a savepoint or the commit). */
  flush(): void {
    const values = this.pending;
    if (values.length === 0) return;
    this.pending = [];
    this.conn.insertMany(
      'INSERT OR IGNORE INTO events (id, token_id, grant_id, type, detail_json, at_ms)',
      COLUMNS,
      values,
      ROWS_PER_INSERT,
    );
  }

  /** A savepoint starts: what was held before it is written, so a rollback to it drops exactly the rows held since. */
  mark(): number {
    this.flush();
    return 0;
  }

  rollbackTo(): void {
    // The rows written since the mark are rolled back by SQLite; those still held are dropped.
    this.pending = [];
  }

  beforeCommit(): void {
    this.flush();
  }

  afterWrite(): void {
    this.pending = [];
  }

  /** Events of a token or a grant (or the latest of all), newest first. */
  getEvents(query: EventsQuery = {}): TokenEvent[] {
    this.flush();
    const limit = query.limit ?? 200;
    let rows: EventRow[];
    if (query.tokenId !== undefined) {
      rows = this.conn
        .sql('SELECT * FROM events WHERE token_id = ? ORDER BY seq DESC LIMIT ?')
        .all(query.tokenId, limit) as EventRow[];
    } else if (query.grantId !== undefined) {
      rows = this.conn
        .sql('SELECT * FROM events WHERE grant_id = ? ORDER BY seq DESC LIMIT ?')
        .all(query.grantId, limit) as EventRow[];
    } else {
      rows = this.conn.sql('SELECT * FROM events ORDER BY seq DESC LIMIT ?').all(limit) as EventRow[];
    }
    return rows.map(toEvent);
  }

  hasEvent(id: string): boolean {
    this.flush();
    return this.conn.sql('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined;
  }

  /**
   * Walks event rows oldest first, in batches: every event, or those of the given tokens and then those of the
   * given grants that belong to no token.
   */
  *eachEventRow(
    selection: { readonly tokenIds: readonly string[]; readonly grantIds: Iterable<string> } | null,
  ): Generator<EventRow[]> {
    this.flush();
    if (selection !== null) {
      const byToken = this.conn.sql('SELECT * FROM events WHERE token_id = ? ORDER BY seq');
      const byGrant = this.conn.sql('SELECT * FROM events WHERE grant_id = ? AND token_id IS NULL ORDER BY seq');
      for (const id of selection.tokenIds) yield byToken.all(id) as EventRow[];
      for (const id of selection.grantIds) yield byGrant.all(id) as EventRow[];
      return;
    }
    let after = 0;
    for (;;) {
      const rows = this.conn
        .sql(`SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ${String(EVENT_BATCH)}`)
        .all(after) as EventRow[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]?.seq ?? after;
    }
  }
}

/** The `events` table: what happened to tokens and grants (non-secret facts only). */
import type { EventsQuery, TokenEvent } from '../../shared/model.ts';
import { checkEventType } from './arguments.ts';
import type { Connection } from './connection.ts';
import { uuidv7 } from './ids.ts';
import type { AddEventInput } from './inputs.ts';
import { toEvent, type EventRow } from './rows.ts';

/** Events read at a time when walking the whole log. */
const EVENT_BATCH = 1000;

export class EventLog {
  private readonly conn: Connection;

  constructor(conn: Connection) {
    this.conn = conn;
  }

  /** Records what happened to a token or grant. `detail` must hold no secrets. Returns the event id. */
  addEvent(input: AddEventInput): string {
    checkEventType(input.type);
    // Time-ordered: the UNIQUE index on events.id grows at its end.
    const id = input.id ?? uuidv7();
    this.conn.write(() => {
      this.conn
        .sql('INSERT INTO events (id, token_id, grant_id, type, detail_json, at_ms) VALUES (?, ?, ?, ?, ?, ?)')
        .run(
          id,
          input.tokenId ?? null,
          input.grantId ?? null,
          input.type,
          JSON.stringify(input.detail ?? {}),
          input.atMs ?? this.conn.now(),
        );
    });
    return id;
  }

  /** Events of a token or a grant (or the latest of all), newest first. */
  getEvents(query: EventsQuery = {}): TokenEvent[] {
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
    return this.conn.sql('SELECT 1 FROM events WHERE id = ?').get(id) !== undefined;
  }

  /**
   * Walks event rows oldest first, in batches: every event, or those of the given tokens and then those of the
   * given grants that belong to no token.
   */
  *eachEventRow(
    selection: { readonly tokenIds: readonly string[]; readonly grantIds: Iterable<string> } | null,
  ): Generator<EventRow[]> {
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

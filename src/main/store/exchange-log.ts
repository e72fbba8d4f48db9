/** The `exchanges` table: the HTTP requests and responses of flows, headers and bodies sealed at rest. */
import { randomUUID } from 'node:crypto';
import { TokenscopeError } from '../../shared/result.ts';
import { checkId } from './arguments.ts';
import type { Connection } from './connection.ts';
import type { Keyring } from './envelope.ts';
import type { ExchangeInput, ExchangeQuery, ExchangeRecord } from './inputs.ts';
import type { ExchangeRow } from './rows.ts';

/** The sealed part of an exchange. */
type Payload = Pick<ExchangeInput, 'requestHeaders' | 'requestBody' | 'responseHeaders' | 'responseBody' | 'step' | 'by'>;

const INSERT_EXCHANGE = `INSERT INTO exchanges (id, grant_id, flow_id, token_id, method, url, status, duration_ms, started_at_ms, payload_enc)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class ExchangeLog {
  private readonly conn: Connection;
  private readonly keyring: Keyring;

  constructor(conn: Connection, keyring: Keyring) {
    this.conn = conn;
    this.keyring = keyring;
  }

  /**
   * Logs one HTTP exchange of a flow. Headers and bodies are sealed at rest (callers still mask secrets). While an
   * import holds the history the row waits in memory (sealed) and is written when the import ends, committed or not.
   */
  addExchange(input: ExchangeInput): string {
    const id = randomUUID();
    const payload: Payload = {
      requestHeaders: input.requestHeaders,
      requestBody: input.requestBody,
      responseHeaders: input.responseHeaders,
      responseBody: input.responseBody,
      // Inside the sealed payload, so older databases need no migration; absent on older rows.
      ...(input.step ? { step: input.step } : {}),
      ...(input.by ? { by: input.by } : {}),
    };
    const row = [
      id,
      input.grantId ?? null,
      input.flowId ?? null,
      input.tokenId ?? null,
      input.method,
      input.url,
      input.status,
      input.durationMs,
      input.startedAtMs,
      this.keyring.seal(JSON.stringify(payload), `exchange:${id}`),
    ];
    this.conn.writeWhenFree(() => this.conn.sql(INSERT_EXCHANGE).run(...row));
    return id;
  }

  /** Exchanges of a grant, flow or token in the order they happened (by start time: a callback starts before the token request it makes). Unreadable payloads come back empty with status kept. */
  listExchanges(query: ExchangeQuery): ExchangeRecord[] {
    const limit = query.limit ?? 200;
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [key, col] of [
      ['grantId', 'grant_id'],
      ['flowId', 'flow_id'],
      ['tokenId', 'token_id'],
    ] as const) {
      const v = query[key];
      if (v === undefined) continue;
      where.push(`${col} = ?`);
      params.push(checkId(v, key));
    }
    if (where.length === 0) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give a grantId, flowId or tokenId');
    const rows = this.conn
      .sql(`SELECT * FROM exchanges WHERE ${where.join(' AND ')} ORDER BY started_at_ms, seq LIMIT ?`)
      .all(...params, limit) as ExchangeRow[];
    return rows.map((r) => this.toRecord(r));
  }

  private toRecord(r: ExchangeRow): ExchangeRecord {
    let payload: Partial<Payload> = {};
    try {
      payload = JSON.parse(this.keyring.openText(r.payload_enc, `exchange:${r.id}`)) as Partial<Payload>;
    } catch {
      // the key that sealed it is not available here: keep the metadata
    }
    return {
      id: r.id,
      grantId: r.grant_id,
      flowId: r.flow_id,
      tokenId: r.token_id,
      method: r.method,
      url: r.url,
      status: r.status,
      durationMs: r.duration_ms,
      startedAtMs: r.started_at_ms,
      requestHeaders: payload.requestHeaders ?? {},
      requestBody: payload.requestBody ?? null,
      responseHeaders: payload.responseHeaders ?? {},
      responseBody: payload.responseBody ?? null,
      ...(payload.step ? { step: payload.step } : {}),
      ...(payload.by === 'auto-refresh' ? { by: payload.by } : {}),
    };
  }
}

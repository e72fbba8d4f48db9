/** The `issuances` tables: each token response of the history, with the tokens that arrived in it (by token id). */
import { randomUUID } from 'node:crypto';
import {
  ISSUANCE_REQUESTS,
  issuanceLabel,
  tokenTypeText,
  type Issuance,
  type IssuanceRequest,
  type IssuanceToken,
} from '../../shared/issuance.ts';
import type { TokenKind } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Connection } from './connection.ts';
import { uuidv7 } from './ids.ts';
import { deriveIssuances } from './migrations/004-issuances.ts';

export interface RecordIssuanceInput {
  readonly grantId: string | null;
  readonly request: IssuanceRequest;
  /** Default: now (the history's clock). */
  readonly receivedAtMs?: number | undefined;
  readonly tokens: readonly IssuanceToken[];
  /** A token exchange: which history tokens were sent and what the server said it issued. */
  readonly exchange?: {
    readonly subjectTokenId: string;
    readonly actorTokenId?: string | undefined;
    readonly issuedTokenType?: string | undefined;
  };
  /** What the request asked for and what the server said it granted (migration 5). */
  readonly requested?: RequestFacts;
}

/** What a token request asked for (scopes, the authorization request's prompt), what was granted, and who asked. */
export interface RequestFacts {
  /** Space-separated scopes asked for; null: not known. */
  readonly scope: string | null;
  /** The token response's `scope`; null: the server did not say (RFC 6749 §5.1: then as requested). */
  readonly grantedScope: string | null;
  readonly prompt: string | null;
  /** An automatic refresh (the profile's auto-refresh), not one a person asked for. */
  readonly automatic: boolean;
}

interface IssuanceRow {
  seq: number;
  id: string;
  grant_id: string | null;
  request: string;
  refresh_number: number | null;
  received_at_ms: number;
  derived: number;
  subject_token_id?: string | null;
  actor_token_id?: string | null;
  issued_token_type?: string | null;
  automatic?: number;
}

const KINDS_ORDER: readonly TokenKind[] = ['access_token', 'refresh_token', 'id_token', 'unknown'];

/** Rows per INSERT statement when many issuances are written at once. */
const ROWS_PER_INSERT = 100;

export class IssuanceRepository {
  private readonly conn: Connection;

  constructor(conn: Connection) {
    this.conn = conn;
  }

  /** Records one token response; a refresh is numbered within its grant. Returns the issuance. */
  recordIssuance(input: RecordIssuanceInput): Issuance {
    if (!(ISSUANCE_REQUESTS as readonly string[]).includes(input.request))
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown issuance request');
    const { conn } = this;
    return conn.write(() => {
      const refreshNumber =
        input.request === 'refresh' && input.grantId !== null
          ? (
              conn.sql("SELECT count(*) AS n FROM issuances WHERE grant_id = ? AND request = 'refresh'").get(input.grantId) as {
                n: number;
              }
            ).n + 1
          : null;
      const id = randomUUID();
      const receivedAtMs = input.receivedAtMs ?? conn.now();
      const x = input.exchange;
      const exchangeColumns = {
        subject_token_id: x?.subjectTokenId ?? null,
        actor_token_id: x?.actorTokenId ?? null,
        issued_token_type: x?.issuedTokenType ?? null,
      };
      const asked = input.requested;
      const seq = conn
        .sql(
          `INSERT INTO issuances (id, grant_id, request, refresh_number, received_at_ms, derived, subject_token_id, actor_token_id,
             issued_token_type, requested_scope, granted_scope, prompt, automatic) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.grantId,
          input.request,
          refreshNumber,
          receivedAtMs,
          exchangeColumns.subject_token_id,
          exchangeColumns.actor_token_id,
          exchangeColumns.issued_token_type,
          asked?.scope ?? null,
          asked?.grantedScope ?? null,
          asked?.prompt ?? null,
          asked?.automatic === true ? 1 : 0,
        ).lastInsertRowid;
      const link = conn.sql('INSERT OR IGNORE INTO issuance_tokens (token_id, issuance_seq, kind) VALUES (?, ?, ?)');
      for (const t of input.tokens) link.run(t.id, seq, t.kind);
      return this.toIssuance({
        seq: Number(seq),
        id,
        grant_id: input.grantId,
        request: input.request,
        refresh_number: refreshNumber,
        received_at_ms: receivedAtMs,
        derived: 0,
        ...exchangeColumns,
        automatic: asked?.automatic === true ? 1 : 0,
      });
    });
  }

  /**
   * One issuance per token, each token a response of its own with no grant (a bundle's grantless tokens): written
   * with two prepared statements a token and nothing read back. Returns how many were recorded.
   */
  recordSingleIssuances(
    request: IssuanceRequest,
    tokens: readonly { readonly id: string; readonly kind: TokenKind; readonly receivedAtMs: number | null }[],
  ): number {
    if (!(ISSUANCE_REQUESTS as readonly string[]).includes(request))
      throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'unknown issuance request');
    const { conn } = this;
    return conn.write(() => {
      const now = conn.now();
      const issuances: unknown[] = [];
      for (const t of tokens) issuances.push(uuidv7(), request, t.receivedAtMs ?? now);
      // Many rows a statement; each issuance's seq read back by its id (RETURNING promises no order).
      const seqOf = new Map<unknown, unknown>();
      for (const [seq, id] of conn.insertMany(
        'INSERT INTO issuances (id, request, received_at_ms)',
        3,
        issuances,
        ROWS_PER_INSERT,
        ' RETURNING seq, id',
      ))
        seqOf.set(id, seq);
      const links: unknown[] = [];
      tokens.forEach((t, i) => links.push(t.id, seqOf.get(issuances[i * 3]), t.kind));
      conn.insertMany('INSERT OR IGNORE INTO issuance_tokens (token_id, issuance_seq, kind)', 3, links, ROWS_PER_INSERT);
      return tokens.length;
    });
  }

  /** The response a token arrived in first (its own issuance), or null ("issuance unknown"). */
  issuanceOfToken(tokenId: string): Issuance | null {
    const row = this.conn
      .sql(
        `SELECT i.* FROM issuance_tokens x JOIN issuances i ON i.seq = x.issuance_seq
         WHERE x.token_id = ? ORDER BY x.issuance_seq LIMIT 1`,
      )
      .get(tokenId) as IssuanceRow | undefined;
    return row ? this.toIssuance(row) : null;
  }

  getIssuance(id: string): Issuance | null {
    const row = this.conn.sql('SELECT * FROM issuances WHERE id = ?').get(id) as IssuanceRow | undefined;
    return row ? this.toIssuance(row) : null;
  }

  /** A grant's issuances in the order they arrived. */
  issuancesOfGrant(grantId: string): Issuance[] {
    const rows = this.conn.sql('SELECT * FROM issuances WHERE grant_id = ? ORDER BY seq').all(grantId) as IssuanceRow[];
    return rows.map((r) => this.toIssuance(r)).filter((i) => i.tokens.length > 0);
  }

  /** The grant's issuance just before this one (what a refresh replaced), or null. */
  previousIssuance(issuance: Issuance): Issuance | null {
    if (issuance.grantId === null) return null;
    const row = this.conn
      .sql(
        `SELECT i.* FROM issuances i WHERE i.grant_id = ? AND i.seq < (SELECT seq FROM issuances WHERE id = ?)
           AND EXISTS (SELECT 1 FROM issuance_tokens x JOIN tokens t ON t.id = x.token_id WHERE x.issuance_seq = i.seq)
         ORDER BY i.seq DESC LIMIT 1`,
      )
      .get(issuance.grantId, issuance.id) as IssuanceRow | undefined;
    return row ? this.toIssuance(row) : null;
  }

  /**
   * What the grant's requests asked for and got, oldest first (issuances recorded before migration 5 say null): the
   * first is the sign-in's, whose scopes and prompt explain what the grant holds.
   */
  requestFactsOfGrant(grantId: string): (RequestFacts & { readonly issuanceId: string })[] {
    const rows = this.conn
      .sql('SELECT id, requested_scope, granted_scope, prompt, automatic FROM issuances WHERE grant_id = ? ORDER BY seq')
      .all(grantId) as {
      id: string;
      requested_scope: string | null;
      granted_scope: string | null;
      prompt: string | null;
      automatic: number;
    }[];
    return rows.map((r) => ({
      issuanceId: r.id,
      scope: r.requested_scope,
      grantedScope: r.granted_scope,
      prompt: r.prompt,
      automatic: r.automatic === 1,
    }));
  }

  /** The grants with recorded issuances, the one with the latest response first. */
  recentGrantIds(limit: number): string[] {
    return (
      this.conn
        .sql(
          `SELECT grant_id FROM issuances WHERE grant_id IS NOT NULL
           GROUP BY grant_id ORDER BY max(seq) DESC LIMIT ?`,
        )
        .all(limit) as { grant_id: string }[]
    ).map((r) => r.grant_id);
  }

  /** Per token id: the seq of its own issuance (tokens of none are absent). One query for a batch. */
  ownIssuanceSeqs(tokenIds: readonly string[]): Map<string, number> {
    const rows = this.conn
      .sql(
        `SELECT token_id, min(issuance_seq) AS seq FROM issuance_tokens
         WHERE token_id IN (SELECT value FROM json_each(?)) GROUP BY token_id`,
      )
      .all(JSON.stringify(tokenIds)) as { token_id: string; seq: number }[];
    return new Map(rows.map((r) => [r.token_id, r.seq]));
  }

  /** The tokens of one issuance (by seq) still in the history. */
  issuanceMemberIds(seq: number): IssuanceToken[] {
    return this.conn
      .sql('SELECT x.token_id AS id, x.kind FROM issuance_tokens x JOIN tokens t ON t.id = x.token_id WHERE x.issuance_seq = ?')
      .all(seq) as IssuanceToken[];
  }

  /** Issuances for the tokens of some grants that have none yet (after a bundle import). */
  deriveFor(grantIds: readonly string[]): number {
    return this.conn.write(() => deriveIssuances(this.conn.db, grantIds));
  }

  private toIssuance(row: IssuanceRow): Issuance {
    const tokens = this.issuanceMemberIds(row.seq).sort((a, b) => KINDS_ORDER.indexOf(a.kind) - KINDS_ORDER.indexOf(b.kind));
    const request = row.request as IssuanceRequest;
    const fields = {
      request,
      refreshNumber: row.refresh_number,
      derived: row.derived === 1,
      ...(row.automatic === 1 ? { automatic: true as const } : {}),
    };
    return {
      id: row.id,
      grantId: row.grant_id,
      ...fields,
      receivedAtMs: row.received_at_ms,
      tokens,
      label: issuanceLabel(fields),
      ...(row.subject_token_id
        ? {
            exchange: {
              subjectTokenId: row.subject_token_id,
              actorTokenId: row.actor_token_id ?? null,
              issuedTokenType: row.issued_token_type ?? null,
              issuedTokenTypeText: row.issued_token_type ? tokenTypeText(row.issued_token_type) : 'not named by the server',
            },
          }
        : {}),
    };
  }
}

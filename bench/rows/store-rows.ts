/** store.insert, store.page, store.scale and store.search: the Store API against raw better-sqlite3 on the same data. */
import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCursor, openStore, DATABASE_FILE, type Store } from '../../src/main/store/index.ts';
import { openDatabase } from '../../src/main/store/database.ts';
import { TermEncoder, tokenWords } from '../../src/main/store/search-terms.ts';
import type { ListTokensQuery } from '../../src/shared/model.ts';
import { benchPlatform, generateToken, prng, saveGenerated, type GeneratedToken } from '../fixtures.ts';
import { interleaved, msPerCall, pacedSearchPairs } from '../measure.ts';
import { measuredResult, median, type BenchResult } from '../report.ts';

// ── store.insert ──

interface PlainRow {
  id: string;
  kind: string;
  value: string;
  issuer: string;
  subject: string;
  client_id: string;
  scopes: string;
  issued_at_ms: number;
  expires_at_ms: number;
  status: string;
  created_at_ms: number;
}

function plainRow(t: GeneratedToken, nowMs: number): PlainRow {
  return {
    id: randomUUID(),
    kind: t.kind,
    value: t.value,
    issuer: t.issuer,
    subject: t.subject,
    client_id: t.clientId,
    scopes: t.scopes.join(' '),
    issued_at_ms: t.issuedAtMs,
    expires_at_ms: t.expiresAtMs,
    status: t.revoked ? 'revoked' : t.expiresAtMs <= nowMs ? 'expired' : 'active',
    created_at_ms: nowMs,
  };
}

/** The baseline's table: the same rows in plaintext, a primary key and nothing else. */
const PLAIN_SCHEMA = `CREATE TABLE tokens (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, value TEXT NOT NULL, issuer TEXT, subject TEXT, client_id TEXT,
  scopes TEXT NOT NULL, issued_at_ms INTEGER, expires_at_ms INTEGER, status TEXT NOT NULL, created_at_ms INTEGER NOT NULL) STRICT`;

type Row = Record<string, unknown>;

/** What a save through the store wrote: the token rows (sealed), their event rows, and their search terms. */
interface StoredRows {
  readonly tokens: Row[];
  readonly events: Row[];
  /** [seq, terms] per token, as the index holds them (keyed terms; a fresh key, precomputed like the sealing). */
  readonly terms: [number, string][];
}

/** Saves `tokens` through the store once (untimed) and reads back every row it wrote. */
async function storedRows(tmp: string, tokens: readonly GeneratedToken[]): Promise<StoredRows> {
  const dir = join(tmp, 'insert-rows');
  const store = await openStore(benchPlatform(dir));
  try {
    store.write(() => {
      for (const t of tokens) saveGenerated(store, t);
    });
    const rows = store.db.prepare('SELECT * FROM tokens ORDER BY seq').all() as Row[];
    const encoder = new TermEncoder(randomBytes(32));
    const words = rows.map((r) => {
      let claims: Record<string, unknown> | null;
      try {
        claims = decodeJwt(store.getTokenValue(r['id'] as string));
      } catch {
        claims = null;
      }
      const columns = ['issuer', 'subject', 'client_id', 'scopes', 'preview'].map((c) => (r[c] as string | null) ?? null);
      return tokenWords(columns, claims, (r['profile_id'] as string | null) ?? null);
    });
    const terms = encoder.termsOf(words);
    return {
      tokens: rows.map(({ seq: _seq, ...rest }) => rest),
      events: (store.db.prepare('SELECT * FROM events ORDER BY seq').all() as Row[]).map(({ seq: _seq, ...rest }) => rest),
      terms: rows.map((r, i) => [r['seq'] as number, terms[i] ?? '']),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function insertRows(db: Database.Database, table: string, rows: readonly Row[]): void {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const stmt = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of rows) stmt.run(columns.map((c) => row[c]));
}

/**
 * The second baseline: the rows a save through the store wrote (sealed values, every column as stored, its events,
 * its search-term rows), inserted raw with one prepared INSERT each in one transaction into a fresh database of
 * the same schema (its indexes and triggers), opened by the store's own openDatabase (same pragmas). What the schema
 * costs, without any of the store's own work (hashing, decoding, sealing, deriving the terms).
 */
function sameSchemaInsert(dir: string, rows: StoredRows): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openDatabase(dir);
  try {
    const term = db.prepare('INSERT INTO token_terms (rowid, terms) VALUES (?, ?)');
    const t0 = performance.now();
    db.transaction(() => {
      insertRows(db, 'tokens', rows.tokens);
      insertRows(db, 'events', rows.events);
      for (const [seq, terms] of rows.terms) term.run(seq, terms);
    }).immediate();
    return rows.tokens.length / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchInsert(tmp: string, n: number, rounds: number): Promise<BenchResult> {
  const nowMs = Date.now();
  const tokens = Array.from({ length: n }, (_, i) => generateToken(7, i, nowMs));
  const rows = tokens.map((t) => plainRow(t, nowMs));
  const stored = await storedRows(tmp, tokens);
  const sameSchema: number[] = [];
  let round = 0;
  const ours = async (): Promise<number> => {
    const dir = join(tmp, `insert-ours-${String(round++)}`);
    const store = await openStore(benchPlatform(dir));
    try {
      const t0 = performance.now();
      store.write(() => {
        for (const t of tokens) saveGenerated(store, t);
      });
      return n / ((performance.now() - t0) / 1000);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const baseline = (): number => {
    const dir = join(tmp, `insert-raw-${String(round++)}`);
    mkdirSync(dir, { recursive: true });
    const db = new Database(join(dir, 'raw.db'));
    try {
      // The store's durability settings, so the difference is the store's own work.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(PLAIN_SCHEMA);
      const t0 = performance.now();
      const insert = db.prepare(
        `INSERT INTO tokens (id, kind, value, issuer, subject, client_id, scopes, issued_at_ms, expires_at_ms, status, created_at_ms)
         VALUES (@id, @kind, @value, @issuer, @subject, @client_id, @scopes, @issued_at_ms, @expires_at_ms, @status, @created_at_ms)`,
      );
      db.transaction(() => {
        for (const r of rows) insert.run(r);
      }).immediate();
      return n / ((performance.now() - t0) / 1000);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const r = await interleaved(rounds, ours, () => {
    // Both baselines each round, in turn: the plain table (the goal's baseline) and the same schema.
    const plain = baseline();
    sameSchema.push(sameSchemaInsert(join(tmp, `insert-same-${String(round++)}`), stored));
    return plain;
  });
  const same = median(sameSchema);
  return measuredResult(
    'store.insert',
    r.ours,
    r.baseline,
    `${String(n)} tokens per round, median of ${String(rounds)} interleaved rounds; second baseline, raw prepared INSERTs of the rows the store wrote (sealed values, events, search-term rows) into the same schema: ${String(Math.round(same))} tokens/s: the same schema, raw, runs at ${(same / r.baseline).toFixed(3)} of the plain table's speed, and ours at ${(r.ours / same).toFixed(3)} of the same schema's (the store's own work on top)`,
  );
}

// ── store.page / store.scale / store.search ──

const PAGE_FILTER = { status: 'active', kind: 'access_token', limit: 100 } as const satisfies ListTokensQuery;
const RAW_PAGE_SQL = `SELECT seq, id, kind, format, preview, issuer, subject, client_id, scopes, issued_at_ms, expires_at_ms, status, grant_id, profile_id, created_at_ms
  FROM tokens WHERE status = ? AND kind = ? AND seq < ? ORDER BY seq DESC LIMIT ?`;

export interface OpenHistory {
  readonly store: Store;
  /** A second, read-only connection to the same file for the hand-written SQL. */
  readonly raw: Database.Database;
  readonly maxSeq: number;
  close(): void;
}

export async function openHistory(dataDir: string): Promise<OpenHistory> {
  const store = await openStore(benchPlatform(dataDir));
  const raw = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  const maxSeq = (raw.prepare('SELECT max(seq) AS m FROM tokens').get() as { m: number | null }).m ?? 0;
  return {
    store,
    raw,
    maxSeq,
    close() {
      raw.close();
      store.close();
    },
  };
}

/** Keyset pages at `cursors` depths (fractions of the history), ours and raw SQL interleaved, 3 calls each; per-page ms medians. */
export function pageTimes(h: OpenHistory, fractions: readonly number[]): { ours: number; raw: number } {
  const stmt = h.raw.prepare(RAW_PAGE_SQL);
  const ours: number[] = [];
  const raw: number[] = [];
  fractions.forEach((f, i) => {
    const seq = Math.max(2, Math.round(h.maxSeq * f));
    const cursor = encodeCursor(seq);
    const o = (): void => {
      ours.push(msPerCall(() => h.store.listTokens({ ...PAGE_FILTER, cursor }), 1));
    };
    const b = (): void => {
      raw.push(msPerCall(() => stmt.all(PAGE_FILTER.status, PAGE_FILTER.kind, seq, PAGE_FILTER.limit + 1), 1));
    };
    for (let k = 0; k < 3; k++) {
      if ((i + k) % 2 === 0) {
        o();
        b();
      } else {
        b();
        o();
      }
    }
  });
  return { ours: median(ours), raw: median(raw) };
}

export function depthFractions(n: number, seed: number): number[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, () => 0.02 + rnd() * 0.98);
}

/** store.page at the big history, and store.scale: the same page at the big history against the small one. */
export function benchPageAndScale(
  big: OpenHistory,
  small: OpenHistory,
  pages: number,
  bigLabel: string,
  smallLabel: string,
): BenchResult[] {
  // Warm both files the same way (first page, counts), then measure in alternating blocks.
  big.store.listTokens(PAGE_FILTER);
  small.store.listTokens(PAGE_FILTER);
  const blocks = 5;
  const bigOurs: number[] = [];
  const bigRaw: number[] = [];
  const smallOurs: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const fr = depthFractions(Math.max(2, Math.round(pages / blocks)), 100 + b);
    const first = b % 2 === 0;
    if (first) {
      const x = pageTimes(big, fr);
      bigOurs.push(x.ours);
      bigRaw.push(x.raw);
    }
    smallOurs.push(pageTimes(small, fr).ours);
    if (!first) {
      const x = pageTimes(big, fr);
      bigOurs.push(x.ours);
      bigRaw.push(x.raw);
    }
  }
  return [
    measuredResult(
      'store.page',
      median(bigOurs),
      median(bigRaw),
      `${bigLabel}; filter status=active + kind=access_token, ${String(pages)} cursors at random depths, median ms per page`,
    ),
    measuredResult(
      'store.scale',
      median(bigOurs),
      median(smallOurs),
      `${bigLabel} vs ${smallLabel}; same filter and relative depths`,
    ),
  ];
}

/**
 * Free-text search for a subject, ours (first page with counts, as the list asks for it) against a LIKE scan.
 * `pauseMs` spaces our searches like a user typing one now and then (the store does periodic work on a first
 * page, e.g. marking expired tokens, that back-to-back calls would skip); --quick does not wait.
 */
export async function benchSearch(big: OpenHistory, searches: number, label: string, pauseMs: number): Promise<BenchResult> {
  const rnd = prng(42);
  const subjects: string[] = [];
  const bySeq = big.raw.prepare('SELECT subject FROM tokens WHERE seq = ?');
  while (subjects.length < searches) {
    const row = bySeq.get(1 + Math.floor(rnd() * big.maxSeq)) as { subject: string | null } | undefined;
    if (row?.subject) subjects.push(row.subject);
  }
  const like = big.raw
    .prepare(`SELECT seq, id, kind, format, preview, issuer, subject, client_id, scopes, issued_at_ms, expires_at_ms, status, grant_id, profile_id, created_at_ms
    FROM tokens WHERE subject LIKE ? ORDER BY seq DESC LIMIT ?`);
  const ours: number[] = [];
  const scan: number[] = [];
  let found = 0;
  const pair = pacedSearchPairs(pauseMs);
  for (const s of subjects) {
    const [o, b] = await pair(
      () => (found += big.store.listTokens({ text: s, limit: 100 }).items.length),
      () => like.all(`%${s}%`, 101),
    );
    ours.push(o);
    scan.push(b);
  }
  return measuredResult(
    'store.search',
    median(ours),
    median(scan),
    `${label}; ${String(searches)} subjects (UUIDs) taken from the history, ${String(found)} rows found in all, our searches at least ${String(pauseMs / 1000)} s apart; ours ${ours.map((x) => x.toFixed(1)).join(', ')} ms; ratio = scan / ours`,
  );
}

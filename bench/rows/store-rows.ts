/** store.insert, store.page, store.scale and store.search: the Store API against raw better-sqlite3 on the same data. */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeCursor, openStore, DATABASE_FILE, type Store } from '../../src/main/store/index.ts';
import type { ListTokensQuery } from '../../src/shared/model.ts';
import { benchPlatform, generateToken, prng, saveGenerated, type GeneratedToken } from '../fixtures.ts';
import { interleaved, msPerCall } from '../measure.ts';
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

export async function benchInsert(tmp: string, n: number, rounds: number): Promise<BenchResult> {
  const nowMs = Date.now();
  const tokens = Array.from({ length: n }, (_, i) => generateToken(7, i, nowMs));
  const rows = tokens.map((t) => plainRow(t, nowMs));
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
  const r = await interleaved(rounds, ours, baseline);
  return measuredResult(
    'store.insert',
    r.ours,
    r.baseline,
    `${String(n)} tokens per round, median of ${String(rounds)} interleaved rounds`,
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
  let lastOurs = 0;
  for (const [i, s] of subjects.entries()) {
    const o = async (): Promise<void> => {
      const wait = lastOurs + pauseMs - performance.now();
      if (wait > 0) await sleep(wait);
      lastOurs = performance.now();
      ours.push(
        msPerCall(() => {
          found += big.store.listTokens({ text: s, limit: 100 }).items.length;
        }, 1),
      );
    };
    const b = (): void => {
      scan.push(msPerCall(() => like.all(`%${s}%`, 101), 1));
    };
    if (i % 2 === 0) {
      await o();
      b();
    } else {
      b();
      await o();
    }
  }
  return measuredResult(
    'store.search',
    median(ours),
    median(scan),
    `${label}; ${String(searches)} subjects (UUIDs) taken from the history, ${String(found)} rows found in all, our searches at least ${String(pauseMs / 1000)} s apart; ours ${ours.map((x) => x.toFixed(1)).join(', ')} ms; ratio = scan / ours`,
  );
}

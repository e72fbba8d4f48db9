/**
 * import: a bundle of the history's tokens (exported through the contract, full values) imported through the contract
 * (`importTokens`) into a fresh history, with its import-progress events, against raw prepared INSERTs of the very
 * rows that import wrote (already sealed) into the same schema, opened with the store's own settings. Tokens/s.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { createServices } from '../../src/main/services.ts';
import { openDatabase } from '../../src/main/store/database.ts';
import { openStore } from '../../src/main/store/index.ts';
import { benchPlatform } from '../fixtures.ts';
import { interleaved } from '../measure.ts';
import { measuredResult, type BenchResult } from '../report.ts';

type Row = Record<string, unknown>;

interface ImportRun {
  readonly tokensPerS: number;
  readonly imported: number;
  readonly seconds: number;
  /** import-progress events heard before importTokens returned, and when the first and last came (ms from the call). */
  readonly progressEvents: number;
  readonly firstProgressMs: number | null;
  readonly lastProgressMs: number | null;
}

/** Exports the history's tokens to a full-value bundle through the contract; returns the file and its token count. */
async function exportBundle(sourceDir: string, tmp: string): Promise<{ file: string; tokens: number }> {
  const file = join(tmp, 'import-source.tokenscope.json');
  const services = await createServices(Object.assign(benchPlatform(sourceDir), { chooseSavePath: () => Promise.resolve(file) }));
  try {
    const r = await services.exportTokens({ format: 'bundle', redact: 'full' });
    if (!r.ok) throw new Error(`exportTokens: ${r.error.code} ${r.error.message}`);
    return { file, tokens: r.value.tokenCount };
  } finally {
    await services.close();
  }
}

/** Ours: a fresh history, then one importTokens call, timed, listening to its progress events. */
async function importOnce(content: string, dataDir: string): Promise<ImportRun> {
  rmSync(dataDir, { recursive: true, force: true });
  const services = await createServices(benchPlatform(dataDir));
  try {
    const progress: number[] = [];
    let t0 = 0;
    let returned = false;
    const off = services.onEvent((e) => {
      if (e.type === 'import-progress' && !returned) progress.push(performance.now() - t0);
    });
    t0 = performance.now();
    const r = await services.importTokens({ content });
    const seconds = (performance.now() - t0) / 1000;
    returned = true;
    off();
    if (!r.ok) throw new Error(`importTokens: ${r.error.code} ${r.error.message}`);
    if (!r.value.committed || r.value.rejected > 0)
      throw new Error(`importTokens: committed ${String(r.value.committed)}, ${String(r.value.rejected)} rejected`);
    return {
      tokensPerS: r.value.imported / seconds,
      imported: r.value.imported,
      seconds,
      progressEvents: progress.length,
      firstProgressMs: progress[0] ?? null,
      lastProgressMs: progress.at(-1) ?? null,
    };
  } finally {
    await services.close();
  }
}

function insertAll(db: Database.Database, table: string, rows: readonly Row[]): void {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const stmt = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of rows) stmt.run(columns.map((c) => row[c]));
}

/**
 * The baseline: the `tokens` rows an import wrote (sealed values, every column as stored), inserted with one
 * prepared INSERT each in one transaction into a fresh database of the same schema (its indexes and triggers),
 * opened by the store's own openDatabase (same pragmas). The profiles and grants they point at go in first, untimed.
 * (When the store row's raw same-schema insert lands in bench/rows/store-rows.ts, this is the one place to call it.)
 */
function rawSameSchemaInsert(dataDir: string, profiles: readonly Row[], grants: readonly Row[], tokens: readonly Row[]): number {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(dataDir);
  try {
    db.transaction(() => {
      insertAll(db, 'profiles', profiles);
      insertAll(db, 'grants', grants);
    })();
    const t0 = performance.now();
    db.transaction(() => insertAll(db, 'tokens', tokens))();
    return tokens.length / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
  }
}

/** The rows one import wrote, read back raw (what the baseline inserts). */
async function rowsOf(dataDir: string): Promise<{ profiles: Row[]; grants: Row[]; tokens: Row[] }> {
  const store = await openStore(benchPlatform(dataDir));
  try {
    return {
      profiles: store.db.prepare('SELECT * FROM profiles').all() as Row[],
      grants: store.db.prepare('SELECT * FROM grants').all() as Row[],
      tokens: store.db.prepare('SELECT * FROM tokens ORDER BY seq').all() as Row[],
    };
  } finally {
    store.close();
  }
}

export async function benchImport(sourceDir: string, tmp: string, rounds: number): Promise<BenchResult> {
  const bundle = await exportBundle(sourceDir, tmp);
  const content = readFileSync(bundle.file, 'utf8');
  rmSync(bundle.file, { force: true });
  const oursDir = join(tmp, 'import-ours');
  const rawDir = join(tmp, 'import-raw');
  // A warm-up import (JIT, the module graph) that also gives the baseline its rows.
  await importOnce(content, oursDir);
  const { profiles, grants, tokens } = await rowsOf(oursDir);
  const runs: ImportRun[] = [];
  const r = await interleaved(
    rounds,
    async () => {
      const run = await importOnce(content, oursDir);
      runs.push(run);
      return run.tokensPerS;
    },
    () => rawSameSchemaInsert(rawDir, profiles, grants, tokens),
  );
  rmSync(oursDir, { recursive: true, force: true });
  rmSync(rawDir, { recursive: true, force: true });
  const last = runs.at(-1);
  const progress = last
    ? `${String(last.progressEvents)} import-progress events heard while it ran (the first at ${(last.firstProgressMs ?? 0).toFixed(0)} ms, the last at ${(last.lastProgressMs ?? 0).toFixed(0)} ms of ${(last.seconds * 1000).toFixed(0)} ms)`
    : 'no run';
  return measuredResult(
    'import',
    r.ours,
    r.baseline,
    `${String(bundle.tokens)} tokens in a ${(Buffer.byteLength(content) / 2 ** 20).toFixed(0)} MB full-value bundle exported through the contract; ours importTokens into a fresh history (${last ? `${String(last.imported)} imported in ${last.seconds.toFixed(1)} s` : ''}), ${progress}; baseline ${String(tokens.length)} token rows as that import stored them, raw INSERTs into the same schema (openDatabase); median of ${String(rounds)} interleaved rounds after a warm-up import`,
  );
}

import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openStore } from '../../../src/main/store/index.ts';
import { createNodePlatform } from '../../../src/main/node-platform.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const WRITER = fileURLToPath(new URL('../../fixtures/store/crash-writer.ts', import.meta.url));
const KILLS = 25;
/** Independent histories killed side by side: 5 lanes × 5 kills keeps the test to seconds. */
const LANES = 5;

/** Starts the writer, kills it with SIGKILL a random moment after its first commit; returns the batches it reported. */
function runAndKill(dir: string, start: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buffered = '';
    let armed = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (m) committed.push(Number(m[1]));
        if (line === 'open' && !armed) {
          armed = true;
          // anywhere from before the first commit to a few dozen commits in
          setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 120));
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`writer exited on its own (code ${String(code)}): ${stderr.slice(0, 500)}`));
    });
  });
}

describe('crash safety', () => {
  it(`after ${String(KILLS)} SIGKILLs mid-write: integrity ok, every reported commit present, no partial batch`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, () => lane(KILLS / LANES)));
    expect(lanes.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 120_000);
});

/** Kills a writer on one history `kills` times, checking the database after each; returns how many commits were reported. */
async function lane(kills: number): Promise<number> {
  const dir = freshDir();
  const reported = new Set<number>();
  let next = 0;
  for (let kill = 0; kill < kills; kill++) {
    for (const b of await runAndKill(dir, next)) reported.add(b);
    const db = new Database(join(dir, DATABASE_FILE));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const batches = db
        .prepare("SELECT source, count(*) AS n, sum(status = 'superseded') AS sup FROM tokens GROUP BY source")
        .all() as {
        source: string;
        n: number;
        sup: number;
      }[];
      const present = new Map(batches.map((b) => [Number(b.source.slice('batch:'.length)), b]));
      // every batch is whole (5 tokens), never half
      for (const b of batches) expect(b.n, b.source).toBe(5);
      // every commit the writer reported survived the kill
      for (const b of reported) expect(present.has(b), `batch ${String(b)} was reported committed`).toBe(true);
      // the update in a batch's transaction landed with it: a batch followed by the next one (same run) is superseded
      const max = Math.max(-1, ...present.keys());
      next = max + 1;
      // status counts kept by triggers match the rows
      const counted = db.prepare('SELECT sum(n) AS n FROM token_status_counts').get() as { n: number | null };
      expect(counted.n ?? 0).toBe(batches.reduce((a, b) => a + b.n, 0));
      for (const [batch, row] of present) {
        if (present.has(batch + 1))
          expect(row.sup === 0 || row.sup === 5, `batch ${String(batch)} superseded as a whole`).toBe(true);
      }
    } finally {
      db.close();
    }
  }
  // and the store opens after the last kill (stale lock taken over) and decrypts what survived
  const store = await openStore(createNodePlatform({ mode: 'test', dataDir: dir, env: {} }));
  try {
    const page = store.listTokens({ limit: 5 });
    for (const t of page.items) expect(store.getTokenValue(t.id)).toMatch(/^crash_\d+_\d_[0-9a-f]{24}$/);
  } finally {
    store.close();
  }
  return reported.size;
}

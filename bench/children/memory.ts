/**
 * Child process of the `memory` row: starts the back end (createServices) on a data dir, lists and
 * searches the way the UI does, then reports its RSS after a GC. Prints one JSON line.
 * usage: node bench/children/memory.ts DATA_DIR SUBJECTS_JSON
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createServices } from '../../src/main/services.ts';
import { benchPlatform } from '../fixtures.ts';

const [dataDir, subjectsJson] = process.argv.slice(2);
if (!dataDir || !subjectsJson) throw new Error('usage: memory.ts DATA_DIR SUBJECTS_JSON');
const subjects = JSON.parse(subjectsJson) as string[];
const gc = (globalThis as { gc?: () => void }).gc;

const started = performance.now();
const services = await createServices(benchPlatform(dataDir));
const info = await services.appInfo();
let rows = 0;
let cursor: string | null = null;
for (let page = 0; page < 20; page++) {
  const r = await services.listTokens({ limit: 100, ...(cursor ? { cursor } : {}) });
  if (!r.ok) throw new Error(`listTokens: ${r.error.code} ${r.error.message}`);
  rows += r.value.items.length;
  cursor = r.value.nextCursor;
  if (!cursor) break;
}
for (const status of ['active', 'expired'] as const) {
  const r = await services.listTokens({ limit: 100, status, kind: 'access_token' });
  if (r.ok) rows += r.value.items.length;
}
let found = 0;
for (const text of subjects) {
  const r = await services.listTokens({ limit: 100, text });
  if (!r.ok) throw new Error(`listTokens(text): ${r.error.code} ${r.error.message}`);
  found += r.value.items.length;
}
for (let i = 0; i < 3; i++) {
  gc?.();
  await sleep(50);
}
const rss = process.memoryUsage().rss;
const heapUsed = process.memoryUsage().heapUsed;
await services.close();
console.log(
  JSON.stringify({
    rss,
    heapUsed,
    rows,
    found,
    tokenCount: info.ok ? info.value.tokenCount : null,
    seconds: (performance.now() - started) / 1000,
  }),
);

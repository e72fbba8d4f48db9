/**
 * Child process of the `export` row: opens the history, takes its RSS after a GC, exports every token to
 * a bundle while sampling RSS every 5 ms, and reports the peak. Prints one JSON line.
 * usage: node bench/children/export.ts DATA_DIR OUT_FILE
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/main/store/index.ts';
import { exportToFile } from '../../src/main/store/export.ts';
import { benchPlatform } from '../fixtures.ts';

const [dataDir, out] = process.argv.slice(2);
if (!dataDir || !out) throw new Error('usage: export.ts DATA_DIR OUT_FILE');
const gc = (globalThis as { gc?: () => void }).gc;

const store = await openStore(benchPlatform(dataDir));
const tokenCount = store.count();
for (let i = 0; i < 3; i++) {
  gc?.();
  await sleep(50);
}
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const t0 = performance.now();
const result = await exportToFile(store, { format: 'bundle', redact: 'full' }, out, Date.now());
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
// The kernel's high-water mark catches a spike between two samples (it also covers start-up, which only makes this stricter).
const maxRss = process.resourceUsage().maxRSS * 1024;
store.close();
console.log(JSON.stringify({ before, peak: Math.max(peak, maxRss), sampledPeak: peak, maxRss, tokenCount, exported: result.tokenCount, bytes: statSync(out).size, seconds }));

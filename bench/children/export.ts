/**
 * Child process of the `export` row: starts the back end (createServices) on the history, takes its RSS
 * after a GC, exports every token to a bundle through the contract (`exportTokens`, the save dialog
 * answering OUT_FILE) while sampling RSS every 5 ms, and reports the peak. Prints one JSON line.
 * usage: node bench/children/export.ts DATA_DIR OUT_FILE
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServices } from '../../src/main/services.ts';
import { benchPlatform } from '../fixtures.ts';

const [dataDir, out] = process.argv.slice(2);
if (!dataDir || !out) throw new Error('usage: export.ts DATA_DIR OUT_FILE');
const gc = (globalThis as { gc?: () => void }).gc;

const services = await createServices(Object.assign(benchPlatform(dataDir), { chooseSavePath: () => Promise.resolve(out) }));
const info = await services.appInfo();
const tokenCount = info.ok ? info.value.tokenCount : null;
for (let i = 0; i < 3; i++) {
  gc?.();
  await sleep(50);
}
const before = process.memoryUsage().rss;
// The kernel's high-water mark so far (start-up: module loading, opening the history): not the export's.
const maxRssBefore = process.resourceUsage().maxRSS * 1024;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const t0 = performance.now();
const result = await services.exportTokens({ format: 'bundle', redact: 'full' });
if (!result.ok) throw new Error(`exportTokens: ${result.error.code} ${result.error.message}`);
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
// The kernel's high-water mark catches a spike between two samples; it counts only when the export raised it.
const maxRss = process.resourceUsage().maxRSS * 1024;
const exportMaxRss = maxRss > maxRssBefore ? maxRss : 0;
await services.close();
console.log(
  JSON.stringify({
    before,
    peak: Math.max(peak, exportMaxRss),
    sampledPeak: peak,
    maxRss,
    maxRssBefore,
    tokenCount,
    exported: result.value.tokenCount,
    bytes: statSync(out).size,
    seconds,
  }),
);

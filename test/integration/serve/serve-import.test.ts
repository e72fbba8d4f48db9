/**
 * An import in `serve` never holds the event loop (issue 14, item 8): while a hostile upload of 1.3 million bad
 * records (3.9 MB) is being imported, `appInfo` keeps answering within 100 ms, measured as the slowest of the
 * calls made while the import runs (beyond what the machine's load adds to a call of the idle process, measured
 * first in the same run). The real `tokenscope serve` process, over loopback HTTP (the test's own
 * client runs in another process, so its event loop is not the one measured).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_HEADER } from '../../../src/shared/bridge.ts';
import { startServe, type ServedApp } from '../../helpers/serve-process.ts';

let app: ServedApp;
let secret: string;
beforeAll(async () => {
  app = await startServe();
  secret = new URL(app.launchUrl).searchParams.get('token') ?? '';
}, 60_000);
afterAll(async () => {
  await app.stop();
});

async function api(method: string, body: string): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const r = await fetch(`${app.url}api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [SECRET_HEADER]: secret },
    body,
  });
  return (await r.json()) as { ok: boolean; value?: unknown; error?: { code: string } };
}

/** Calls appInfo one after another while `running` holds (or `count` times); the latency of each call, ms. */
async function probe(running: () => boolean, count = Number.POSITIVE_INFINITY): Promise<number[]> {
  const times: number[] = [];
  while (running() && times.length < count) {
    const t0 = performance.now();
    const r = await api('appInfo', '{}');
    times.push(performance.now() - t0);
    expect(r.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return times;
}

const RECORDS = 1_300_000;

describe('serve: an import does not block other requests', () => {
  it.each([
    ['skipping bad records: every one of them read', true],
    ['all or nothing: stops after the first thousand bad ones', false],
  ])(
    'appInfo answers within 100 ms while 1.3 million bad records are imported (%s)',
    async (_name, skipBad) => {
      // The same process answering with nothing to do, in this run: what the machine's own load adds to a call.
      const idle = Math.max(...(await probe(() => true, 60)));
      const body = JSON.stringify({ arg: { content: `[${Array.from({ length: RECORDS }, () => '{}').join(',')}]`, skipBad } });
      expect(body.length).toBeGreaterThan(3_700_000);
      let running = true;
      const started = performance.now();
      const importing = api('importTokens', body).finally(() => (running = false));
      const times = await probe(() => running);
      const result = await importing;
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      const report = result.value as { committed: boolean; imported: number; rejected: number };
      const importMs = performance.now() - started;
      expect(report.imported).toBe(0);
      if (skipBad) expect(report).toMatchObject({ committed: true, rejected: RECORDS });
      else expect(report).toMatchObject({ committed: false, rejected: 1001 });
      const slowest = Math.max(...times);
      process.stdout.write(
        `serve import (skipBad ${String(skipBad)}): ${importMs.toFixed(0)} ms, ${String(times.length)} appInfo calls during it, slowest ${slowest.toFixed(1)} ms (idle: slowest of 60 ${idle.toFixed(1)} ms)\n`,
      );
      // A measurement that means something: several calls landed while the import ran.
      if (skipBad) expect(times.length).toBeGreaterThanOrEqual(5);
      // 100 ms is the goal; on a loaded machine the idle process's own slowest call is what the load adds to any call.
      expect(slowest).toBeLessThan(100 + idle);
    },
    120_000,
  );

  it('the history takes writes again once the import is over', async () => {
    const r = await api('saveToken', JSON.stringify({ arg: { text: 'opaque-token-value-0123456789' } }));
    expect(r.ok).toBe(true);
  });
});

/**
 * ui.firstRows and ui.scroll.*: `tokenscope serve` in Debian's Chromium (playwright-core), the way a user
 * opens it: navigation to the first list rows painted (big history against an empty one), and the
 * frame times while scrolling through the list against an empty page of the same height scrolled the same
 * way in the same run (bench/frames.ts turns them into the drops and p95 rows).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../test/helpers/chromium.ts';
import { startServe, type ServedApp } from '../../test/helpers/serve-process.ts';
import { describeFrames, scrollFigures } from '../frames.ts';
import { measuredResult, median, type BenchResult } from '../report.ts';

const RENDERER_INDEX = fileURLToPath(new URL('../../out/renderer/index.html', import.meta.url));
const ROW = '[data-testid="token-row"]';
const EMPTY = '[data-testid="empty-history"]';
/** 3 rows of 44 px a frame is about 8,000 px/s: a fast trackpad fling or a quickly spun wheel, kept up for the whole list. */
const ROWS_PER_FRAME = 3;

/**
 * Installed before the app's scripts (page-side JavaScript: this program has no DOM types): records when
 * `selector` first shows up, one frame later (painted), in `window.__painted` (ms from navigation start).
 */
function paintProbe(selector: string): string {
  return `(() => {
    const selector = ${JSON.stringify(selector)};
    const check = () => {
      if (window.__painted !== undefined || !document.querySelector(selector)) return false;
      requestAnimationFrame(() => setTimeout(() => { if (window.__painted === undefined) window.__painted = performance.now(); }, 0));
      return true;
    };
    new MutationObserver((_m, obs) => { if (check()) obs.disconnect(); }).observe(document, { childList: true, subtree: true });
  })();`;
}

/**
 * Page-side: scrolls the list (or the empty page's scroller of the same id) by `rowsPerFrame` rows each frame until
 * `rows` rows have gone by, recording frame durations. `rowHeight` null: read from the first token row.
 */
function scrollScript(rows: number, rowsPerFrame: number, rowHeight: number | null = null): string {
  return `(async () => {
    const rows = ${String(rows)}, rowsPerFrame = ${String(rowsPerFrame)};
    const list = document.querySelector('[data-testid="token-rows"]');
    if (!list) throw new Error('no token list');
    const rowHeight = ${rowHeight === null ? `document.querySelector('[data-testid="token-row"]')?.offsetHeight ?? 44` : String(rowHeight)};
    const target = rows * rowHeight;
    const frames = [];
    let last = performance.now();
    let stalledMs = 0;
    const started = last;
    let wanted = 0;
    await new Promise((resolve) => {
      const tick = (t) => {
        frames.push(t - last);
        last = t;
        // Read where the list is at the start of the frame (no layout forced after our own write).
        const at = list.scrollTop;
        // At the end of the loaded rows the list waits for the next page: that wait is part of what users feel.
        if (wanted > 0 && at < wanted - 1) stalledMs += frames[frames.length - 1];
        if (at >= target - list.clientHeight || t - started > 180000) { resolve(); return; }
        wanted = Math.min(target, at + rowsPerFrame * rowHeight);
        list.scrollTop = wanted;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
    });
    return { frames: frames.slice(1), rowsLoaded: Number(list.dataset.rowCount ?? 0), stalledMs, rowHeight, height: list.clientHeight, width: list.clientWidth };
  })()`;
}

async function timeToPaint(browser: Browser, app: ServedApp, selector: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await blockNonLoopback(context);
    await context.addInitScript({ content: paintProbe(selector) });
    const page = await context.newPage();
    await page.goto(app.launchUrl);
    // A function, not a string: the app's CSP forbids eval, and functions go through the DevTools protocol.
    await page.waitForFunction(() => (globalThis as { __painted?: number }).__painted !== undefined, undefined, {
      timeout: 120_000,
    });
    // performance.now() counts from the navigation's start.
    return await page.evaluate<number>('window.__painted');
  } finally {
    await context.close();
  }
}

interface ScrollPass {
  readonly frames: number[];
  readonly rowsLoaded: number;
  readonly stalledMs: number;
  readonly rowHeight: number;
  /** The scroller's size, so the empty page's is the same. */
  readonly height: number;
  readonly width: number;
}

/**
 * The baseline: an empty page whose only element is a scroller of the list's size holding `rows` rows' worth of empty
 * height, scrolled by the same script at the same pace: what this machine's headless Chromium does for the motion
 * alone, without the app.
 */
async function emptyScrollFrames(
  browser: Browser,
  rows: number,
  rowsPerFrame: number,
  like: Pick<ScrollPass, 'rowHeight' | 'height' | 'width'>,
): Promise<number[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const content = rows * like.rowHeight + like.height;
    await page.setContent(
      `<!DOCTYPE html><title>empty</title><body style="margin:0"><div data-testid="token-rows" style="overflow:auto;height:${String(like.height)}px;width:${String(like.width)}px"><div style="height:${String(content)}px"></div></div></body>`,
    );
    const out = await page.evaluate<ScrollPass>(scrollScript(rows, rowsPerFrame, like.rowHeight));
    return out.frames;
  } finally {
    await context.close();
  }
}

/** Scrolls the list by `rowsPerFrame` rows each frame until `rows` rows have gone by; frame durations in ms. */
async function scrollFrames(
  browser: Browser,
  app: ServedApp,
  rows: number,
  rowsPerFrame: number,
  profileTo?: string,
): Promise<ScrollPass> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await blockNonLoopback(context);
    const page = await context.newPage();
    await page.goto(app.launchUrl);
    await page.waitForSelector(ROW, { timeout: 120_000 });
    if (!profileTo) return await page.evaluate<ScrollPass>(scrollScript(rows, rowsPerFrame));
    // A separate, profiled pass (the profiler slows the page down): the renderer's JavaScript CPU profile.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    const out = await page.evaluate<ScrollPass>(scrollScript(rows, rowsPerFrame));
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
    return out;
  } finally {
    await context.close();
  }
}

export interface UiOptions {
  /** The history both rows read (ui.scroll scrolls through it too). */
  readonly bigDir: string;
  readonly emptyRoot: string;
  readonly loads: number;
  readonly scrollRows: number;
  readonly bigLabel: string;
  /** Told which Chromium ran the rows (for the report's machine line). */
  readonly onBrowser?: (version: string) => void;
  /** Where to write CPU profiles of separate, profiled passes (serve on the big history; the renderer while scrolling). */
  readonly cpuProfDir: string | null;
}

export async function benchUi(o: UiOptions): Promise<BenchResult[]> {
  if (!existsSync(RENDERER_INDEX))
    throw new Error('the renderer is not built (out/renderer/index.html): run `npm run build:web` first');
  const emptyDir = join(o.emptyRoot, 'ui-empty');
  mkdirSync(emptyDir, { recursive: true });
  const browser = await launchChromium();
  o.onBrowser?.(browser.version());
  const results: BenchResult[] = [];
  try {
    // ui.firstRows: both apps running, loads alternating, a warm-up each first (Chromium's caches, serve's JIT) unless --quick.
    const big = await startServe({ dataDir: o.bigDir });
    try {
      const empty = await startServe({ dataDir: emptyDir });
      try {
        if (o.loads > 1) {
          await timeToPaint(browser, big, ROW);
          await timeToPaint(browser, empty, EMPTY);
        }
        const ours: number[] = [];
        const base: number[] = [];
        for (let i = 0; i < o.loads; i++) {
          if (i % 2 === 0) {
            ours.push(await timeToPaint(browser, big, ROW));
            base.push(await timeToPaint(browser, empty, EMPTY));
          } else {
            base.push(await timeToPaint(browser, empty, EMPTY));
            ours.push(await timeToPaint(browser, big, ROW));
          }
        }
        results.push(
          measuredResult(
            'ui.firstRows',
            median(ours),
            median(base),
            `${o.bigLabel} vs an empty history; median of ${String(o.loads)} fresh-context loads each${o.loads > 1 ? ' after a warm-up' : ''}; navigation start to one frame after the first row (empty: the empty-history view) is in the DOM`,
          ),
        );
      } finally {
        await empty.stop();
      }
      // ui.scroll.*: ROWS_PER_FRAME rows per frame through the list (pages load as the end nears), between two
      // passes of the empty page scrolled the same way (a third of the rows each), so drift hits both sides.
      const sizeOf = (x: ScrollPass): string => `${String(x.width)}×${String(x.height)} px, rows ${String(x.rowHeight)} px`;
      const probe = await scrollFrames(browser, big, 10, ROWS_PER_FRAME);
      const emptyRows = Math.max(10, Math.round(o.scrollRows / 3));
      const emptyBefore = await emptyScrollFrames(browser, emptyRows, ROWS_PER_FRAME, probe);
      const s = await scrollFrames(browser, big, o.scrollRows, ROWS_PER_FRAME);
      const emptyAfter = await emptyScrollFrames(browser, emptyRows, ROWS_PER_FRAME, s);
      const f = scrollFigures(s.frames, [...emptyBefore, ...emptyAfter]);
      const common = `${o.bigLabel}; scrolled ${o.scrollRows.toLocaleString('en-US')} rows at ${String(ROWS_PER_FRAME)} rows a frame (${sizeOf(s)}), ${String(s.rowsLoaded)} rows loaded, ${(s.stalledMs / 1000).toFixed(1)} s waiting for pages: ${describeFrames(f.list, f.thresholdMs)}; the empty page (2 × ${String(emptyRows)} rows' height, before and after): ${describeFrames(f.empty, f.thresholdMs)}; headless Chromium without GPU`;
      results.push(
        measuredResult(
          'ui.scroll.drops',
          f.list.longPercent,
          f.empty.longPercent,
          `long = over 1.5 × the empty page's median frame (${f.thresholdMs.toFixed(1)} ms); ${common}`,
        ),
        measuredResult('ui.scroll.p95', f.list.p95Ms, f.empty.p95Ms, common),
      );
      if (o.cpuProfDir)
        await scrollFrames(
          browser,
          big,
          o.scrollRows,
          ROWS_PER_FRAME,
          join(o.cpuProfDir, `ui-scroll-renderer-${String(Date.now())}.cpuprofile`),
        );
    } finally {
      await big.stop();
    }
    if (o.cpuProfDir) {
      // serve's own CPU profile for one first load of the big history (written when serve exits).
      const profiled = await startServe({
        dataDir: o.bigDir,
        env: {
          NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${o.cpuProfDir} --cpu-prof-name=serve-firstrows-${String(Date.now())}.cpuprofile`,
        },
      });
      try {
        await timeToPaint(browser, profiled, ROW);
      } finally {
        await profiled.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

/**
 * Issue 17 item 3 in the served UI: the token list scrolls on the compositor. Chromium gives a scroller its own
 * composited layers only when its background is opaque; without them every scroll step repainted and re-rastered
 * the whole visible list together with the page around it (the ui.scroll bench rows, bench/README.md).
 */
import { expect, test, type Page } from '@playwright/test';
import { seedHistory } from '../../bench/fixtures.ts';
import { freshDir } from '../helpers/temp-dir.ts';
import type { ServedApp } from '../helpers/serve-process.ts';
import { go, openApp, startApp } from './support.ts';

const TOKENS = 400;
let app: ServedApp;
test.beforeAll(async () => {
  const dataDir = freshDir('tokenscope-e2e-scroll-');
  await seedHistory(dataDir, TOKENS, 3);
  app = await startApp({ dataDir });
});
test.afterAll(async () => {
  await app.stop();
});

/** Page-side JavaScript (this program has no DOM types): resolves two frames from now. */
const TWO_FRAMES = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';

/**
 * Page-side: scrolls the list by 3 rows of 44 px a frame, `steps` times, and after each frame reports the list
 * position (aria-posinset) of the first row inside the scroller's view.
 */
function scrollAndReadTops(steps: number): string {
  return `(async () => {
    const el = document.querySelector('[data-testid="token-rows"]');
    const seen = [];
    for (let step = 1; step <= ${String(steps)}; step++) {
      el.scrollTop = step * 3 * 44;
      await new Promise((r) => requestAnimationFrame(r));
      const view = el.getBoundingClientRect();
      const rows = [...el.querySelectorAll('[data-testid="token-row"]')];
      const top = rows.find((r) => r.getBoundingClientRect().bottom > view.top + 1);
      seen.push(Number(top?.getAttribute('aria-posinset') ?? 0));
    }
    return seen;
  })()`;
}

interface Layer {
  readonly backendNodeId: number | undefined;
  readonly drawsContent: boolean;
}

/** The page's composited layers now (the DevTools protocol's LayerTree), with the DOM node each one is for. */
async function layers(page: Page): Promise<{ all: Layer[]; listNode: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-testid="token-rows"]' });
    const { node } = await cdp.send('DOM.describeNode', { nodeId });
    let all: Layer[] = [];
    cdp.on('LayerTree.layerTreeDidChange', (e) => {
      if (e.layers) all = e.layers.map((l) => ({ backendNodeId: l.backendNodeId, drawsContent: l.drawsContent }));
    });
    await cdp.send('LayerTree.enable');
    // The tree is sent when the compositor next commits: give it frames to commit.
    await expect
      .poll(
        async () => {
          await page.evaluate(TWO_FRAMES);
          return all.length;
        },
        { message: 'the layer tree arrives' },
      )
      .toBeGreaterThan(0);
    await cdp.send('LayerTree.disable');
    return { all, listNode: node.backendNodeId };
  } finally {
    await cdp.detach();
  }
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the token list has its own composited scrolling layer (${scheme})`, async ({ page, context }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, context, app);
    await go(page, app, '#/tokens');
    await expect(page.getByTestId('token-row').first()).toBeVisible();
    const { all, listNode } = await layers(page);
    const forList = all.filter((l) => l.backendNodeId === listNode);
    expect(forList.length, 'layers of the token list scroller').toBeGreaterThan(0);
    expect(
      forList.some((l) => l.drawsContent),
      'a layer that holds the painted rows',
    ).toBe(true);
  });
}

test('scrolling the list at 3 rows a frame shows the rows at each position', async ({ page, context }) => {
  await openApp(page, context, app);
  await go(page, app, '#/tokens');
  await expect(page.getByTestId('token-row').first()).toBeVisible();
  const firstShown = await page.evaluate<number[]>(scrollAndReadTops(60));
  expect(firstShown).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 3 + 1));
});

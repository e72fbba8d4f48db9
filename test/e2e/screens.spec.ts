/** Every main screen at 900x700 and 1400x900, light and dark, for docs/screenshots (<screen>-<w>x<h>-<theme>.png). */
import { expect, test } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, loginWithDemo, openApp, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

const SIZES = [
  { width: 900, height: 700 },
  { width: 1400, height: 900 },
] as const;
const SCREENS = ['tokens', 'flows', 'log', 'settings', 'inspect'] as const;

test('every screen at 900x700 and 1400x900, light and dark: the navigation on one line, no serious axe finding', async ({
  page,
  context,
}) => {
  // Twenty axe runs on a shared machine: more than the default minute.
  test.setTimeout(300_000);
  await openApp(page, context, app);
  await loginWithDemo(page, context);
  await page.getByRole('button', { name: 'Dismiss Demo issuer login' }).click();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const screen of SCREENS) {
      await go(page, app, `#/${screen}`);
      await expect(page.locator('main h2').first()).toBeVisible();
      // "Exchange log" stays on one line: the navigation does not wrap.
      const nav = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
      expect(nav?.height ?? 0, `${screen} at ${String(size.width)}`).toBeLessThan(48);
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
        await expectAccessible(page, `${screen} ${String(size.width)} ${theme}`);
        await page.screenshot({ path: `docs/screenshots/${screen}-${String(size.width)}x${String(size.height)}-${theme}.png` });
      }
    }
    // The Expires column holds its text whole ("in 4 min 12 s", "expired 3 minutes ago").
    await go(page, app, '#/tokens');
    const cell = page.locator('[data-testid="token-row"] .cell.expires').first();
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }
});

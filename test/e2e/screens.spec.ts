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
/** Screens of one token (its address is known after the login): the detail and Compare. */
const TOKEN_SCREENS = [
  { name: 'token-detail', hash: (id: string) => `#/tokens/${encodeURIComponent(id)}` },
  { name: 'compare', hash: (id: string) => `#/compare/${encodeURIComponent(id)}` },
] as const;

test('every screen at 900x700 and 1400x900, light and dark: the navigation on one line, no serious axe finding', async ({
  page,
  context,
}) => {
  // Twenty axe runs on a shared machine: more than the default minute.
  test.setTimeout(300_000);
  await openApp(page, context, app);
  await loginWithDemo(page, context);
  await page.getByRole('button', { name: 'Dismiss Demo issuer login' }).click();
  await go(page, app, '#/tokens');
  await page.locator('[data-testid="token-row"][data-kind="access_token"]').first().click();
  const tokenId = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  expect(tokenId).not.toBe('');
  const screens = [
    ...SCREENS.map((screen) => ({ name: screen, hash: `#/${screen}` })),
    ...TOKEN_SCREENS.map((s) => ({ name: s.name, hash: s.hash(tokenId) })),
  ];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const { name: screen, hash } of screens) {
      await go(page, app, hash);
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
    // The detail's danger buttons stay together on one line (Delete… never wraps alone below Revoke…).
    await go(page, app, `#/tokens/${encodeURIComponent(tokenId)}`);
    const revoke = await page.getByTestId('action-revoke').boundingBox();
    const del = await page.getByTestId('action-delete').boundingBox();
    expect(Math.abs((revoke?.y ?? 0) - (del?.y ?? 100)), `Revoke and Delete at ${String(size.width)}`).toBeLessThan(4);
  }
});

test('at 800 px wide: no screen scrolls sideways and the navigation stays on one line', async ({ page, context }) => {
  await openApp(page, context, app);
  await page.setViewportSize({ width: 800, height: 700 });
  await go(page, app, '#/tokens');
  const row = page.locator('[data-testid="token-row"][data-kind="access_token"]').first();
  await row.click();
  const tokenId = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  const hashes = [
    ...SCREENS.map((screen) => `#/${screen}`),
    ...TOKEN_SCREENS.map((s) => s.hash(tokenId)),
    `#/timeline/token/${encodeURIComponent(tokenId)}`,
  ];
  for (const hash of hashes) {
    await go(page, app, hash);
    await expect(page.locator('main h2').first()).toBeVisible();
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
        .document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow, `sideways scroll on ${hash}`).toBeLessThanOrEqual(0);
    const nav = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
    expect(nav?.height ?? 0, `navigation on ${hash}`).toBeLessThan(48);
  }
});

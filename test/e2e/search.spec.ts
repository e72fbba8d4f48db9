/** Issue 16 item 7 in the served UI: the list's search finds tokens by their profile's name and by the preview the detail shows. */
import { expect, test } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { go, loginWithDemo, openApp, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

test("search finds tokens by profile name and by the token's visible preview; nonsense finds none", async ({ page, context }) => {
  await openApp(page, context, app);
  await loginWithDemo(page, context);
  await go(page, app, '#/tokens');
  const rows = page.getByTestId('token-row');
  await expect(rows).toHaveCount(3);
  const box = page.getByRole('searchbox', { name: 'Search tokens' });

  // The profile's name, as the Issuer / profile column shows it.
  await box.fill('Demo issuer');
  await expect(rows).toHaveCount(3);
  await box.fill('no-such-profile-name-xyz');
  await expect(rows).toHaveCount(0);
  await expect(page.getByText('No token matches this search or filter.')).toBeVisible();

  // The preview of one token (what its detail shows while the value is masked) finds that token.
  await box.fill('');
  await expect(rows).toHaveCount(3);
  const access = page.locator('[data-testid="token-row"][data-kind="access_token"]').first();
  const accessId = (await access.getAttribute('data-token-id')) ?? '';
  await access.click();
  const preview = ((await page.getByTestId('secret-value').first().textContent()) ?? '').trim();
  const prefix = preview.split('…')[0] ?? '';
  expect(prefix.length, `preview ${preview}`).toBeGreaterThanOrEqual(6);
  await go(page, app, '#/tokens');
  await box.fill(prefix);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-token-id', accessId);
});

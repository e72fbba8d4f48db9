import { expect, test } from '@playwright/test';
import { blockNonLoopback } from '../helpers/chromium.ts';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, shoot, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

test('the served shell shows data that came from the back end through the bridge', async ({ page, context }) => {
  await blockNonLoopback(context);
  await page.goto(app.launchUrl);
  // The secret moves from the address bar (query, then fragment) into this tab's sessionStorage.
  const info = page.getByTestId('app-info');
  await expect(info).toContainText(app.dataDir);
  await expect(page).not.toHaveURL(/token=|tokenscope-secret/);
  const secret = new URL(app.launchUrl).searchParams.get('token');
  expect(await page.evaluate(() => sessionStorage.getItem('tokenscope.launchSecret'))).toBe(secret);
  // The page's cookie alone does not open the API (another local port receiving it could not use it either).
  const cookieOnly = await page.evaluate(async () => {
    const r = await fetch('/api/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return { status: r.status, body: await r.text() };
  });
  expect(cookieOnly.status).toBe(401);
  expect(cookieOnly.body).toContain('ERR_UNAUTHORIZED');
  // A reload keeps working: the secret is read back from sessionStorage.
  await page.reload();
  await expect(info).toContainText(app.dataDir);
  await expect(info).toContainText(/SQLite 3\.\d+/);
  const empty = page.getByTestId('empty-history');
  await expect(empty).toBeVisible();
  // The empty state leads a new user to both ways in.
  await expect(empty.getByRole('button', { name: 'Get a token from the demo issuer' })).toBeVisible();
  await expect(empty.getByRole('button', { name: 'Paste a token to inspect' })).toBeVisible();
  await expectAccessible(page, 'empty history');
  await shoot(page, 'shell-empty-history');
});

test('a page opened without the launch secret gets no data', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(app.url);
  expect(response?.status()).toBe(401);
  // The bare address is a static page that says what to do, and shows no data.
  await expect(page.locator('h1')).toContainText('Open the link that tokenscope serve printed');
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await context.close();
});

test('pasting a JWT shows its decoded payload; garbage gets a stable error code', async ({ page, context }) => {
  await blockNonLoopback(context);
  await page.goto(app.launchUrl);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inspect' }).click();
  const jwt = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"e2e-user","iss":"https://issuer.test"}').toString('base64url')}.`;
  await page.getByLabel(/JWT, opaque token/).fill(jwt);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await expect(page.getByTestId('input-kind')).toHaveText('jwt');
  await expect(page.getByTestId('jwt-payload')).toContainText('e2e-user');
  await page.getByLabel(/JWT, opaque token/).fill('   ');
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('ERR_EMPTY_INPUT');
});

test('every screen is keyboard reachable from the main navigation', async ({ page, context }) => {
  await blockNonLoopback(context);
  await page.goto(app.launchUrl);
  const names = ['Tokens', 'Inspect', 'Compare', 'Flows', 'Exchange log', 'Settings'];
  for (const name of names) {
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(link).toHaveAttribute('aria-current', 'page');
  }
});

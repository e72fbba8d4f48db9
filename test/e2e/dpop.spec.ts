/**
 * DPoP from the profile form (served UI): a copy of the demo profile with "DPoP" ticked gets its own key pair (its
 * thumbprint shown in the form), signs in against the demo issuer (which requires DPoP nonces), and the token's
 * detail says the access token is bound to that key.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { blockNonLoopback } from '../helpers/chromium.ts';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, loginWithDemo, servedPage, signInAtDemoIssuer } from './support.ts';

let app: ServedApp;
let context: BrowserContext;
let page: Page;

servedPage({ viewport: { width: 1400, height: 900 } }, (served) => {
  ({ app, context, page } = served);
});

test('a profile with DPoP ticked signs in and its access token is bound to the profile key', async ({ browser }) => {
  // The demo issuer starts with its first sign-in; its profiles then carry its address.
  await loginWithDemo(page, context);

  await go(page, app, '#/flows');
  await page.getByTestId('edit-profile').click();
  const dialog = page.getByTestId('profile-dialog');
  const form = dialog.getByRole('form', { name: 'Profile' });
  await expect(form.getByTestId('demo-copy-note')).toBeVisible();
  await form.getByLabel('Name').fill('Demo with DPoP');
  const dpop = form.getByRole('checkbox', { name: /DPoP: bind the tokens/ });
  await expect(dpop).not.toBeChecked();
  await dpop.check();
  await form.getByRole('button', { name: 'Save as a new profile' }).click();
  // Saved: the form now edits the new profile, and shows the thumbprint of the key pair made for it.
  const jkt = form.getByTestId('dpop-jkt');
  await expect(jkt).toContainText(/DPoP key thumbprint \(jkt\): [A-Za-z0-9_-]{43}/);
  const thumbprint = /[A-Za-z0-9_-]{43}/.exec((await jkt.textContent()) ?? '')?.[0] ?? '';
  await expectAccessible(page, 'the profile form with DPoP on');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button', { name: /Demo with DPoP/ })
    .click();
  await page.getByTestId('start-login').click();
  const screen = page.getByRole('region', { name: 'Get tokens' });
  const url = await screen.getByTestId('authorization-url').getAttribute('href');
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  // A browser of its own: the first sign-in's session at the demo issuer would skip its login page.
  const systemBrowser = await browser.newContext();
  await blockNonLoopback(systemBrowser);
  await signInAtDemoIssuer(await systemBrowser.newPage(), url ?? '', 'dpop-user');
  await systemBrowser.close();
  const done = screen.locator('[data-testid="flow-progress"][data-state="done"]');
  await expect(done).toBeVisible({ timeout: 20_000 });

  await done.locator('[data-testid="flow-token"][data-kind="access_token"]').click();
  const binding = page.getByTestId('token-binding');
  await expect(binding).toHaveAttribute('data-binding', 'dpop');
  // The demo profile's access token is opaque: the binding is read from the token response (token_type DPoP).
  await expect(binding).toContainText(`bound to this profile's DPoP key ✓ (token_type DPoP, proved with key ${thumbprint})`);
});

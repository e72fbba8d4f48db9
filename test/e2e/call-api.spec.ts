/**
 * Issue 15 items 1–2 in the served UI, with the demo issuer and a small resource server started here (it checks the
 * token with jose and answers RFC 6750 errors): Call API from a token's detail (a call that succeeds, one refused for
 * audience and explained in words, "Copy as curl" masked), Copy as curl in the Exchange log, and the grant's Timeline
 * whose first step is the authorization request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { blockNonLoopback } from '../helpers/chromium.ts';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, loginWithDemo, openApp, startApp } from './support.ts';

test.describe.configure({ mode: 'serial' });

const DEMO_API = 'urn:tokenscope:demo-api';
let app: ServedApp;
let context: BrowserContext;
let page: Page;
let resource: Server;
let apiBase = '';
/** The demo issuer's URL, known once it runs (the resource server trusts only its keys). */
let issuer = '';
let accessUrl = '';

/** Checks the token against the demo issuer's JWKS; /api/read wants the demo API audience, /other/read another one. */
function startResourceServer(): Promise<Server> {
  const audiences: Record<string, string> = { '/api/read': DEMO_API, '/other/read': 'urn:example:other-api' };
  const server = createServer((req, res) => {
    const audience = audiences[new URL(req.url ?? '/', 'http://x').pathname];
    const auth = req.headers.authorization ?? '';
    if (!audience || !issuer) {
      res.writeHead(404).end();
      return;
    }
    if (!auth.startsWith('Bearer ')) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="demo-api"' }).end();
      return;
    }
    jwtVerify(auth.slice(7), createRemoteJWKSet(new URL(`${issuer}/jwks`)), { issuer, audience }).then(
      ({ payload }) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ hello: payload.sub, scope: payload['scope'] }));
      },
      (error: unknown) => {
        const claim = (error as { code?: string }).code === 'ERR_JWT_CLAIM_VALIDATION_FAILED';
        const description = claim ? 'unexpected aud claim value' : 'the token is not valid';
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="demo-api", error="invalid_token", error_description="${description}"`,
        });
        res.end();
      },
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Logs in with the demo's JWT-access-token profile from Flows, completing the demo issuer's page in a second tab. */
async function loginWithJwtProfile(browser: Browser): Promise<void> {
  await go(page, app, '#/flows');
  const item = page.locator('.profile-item', { hasText: 'JWT access token' });
  await item.click();
  issuer = ((await item.locator('.break').textContent()) ?? '').trim().replace(/\/$/, '');
  expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  await page.getByTestId('start-login').click();
  const link = page.getByTestId('authorization-url').first();
  await expect(link).toBeVisible({ timeout: 20_000 });
  // A browser of its own (no session from the first login): the demo issuer asks for the username again.
  const leg = await browser.newContext();
  await blockNonLoopback(leg);
  const tab = await leg.newPage();
  await tab.goto((await link.getAttribute('href')) ?? '');
  await tab.getByLabel('Username').fill('e2e-user');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await expect(tab.locator('body')).toContainText(/close this (tab|window)|You can close|signed in|done/i, { timeout: 20_000 });
  await leg.close();
  await expect(page.locator('[data-testid="flow-progress"][data-state="done"]').last()).toBeVisible({ timeout: 20_000 });
}

test.beforeAll(async ({ browser }) => {
  resource = await startResourceServer();
  apiBase = `http://127.0.0.1:${String((resource.address() as AddressInfo).port)}`;
  app = await startApp();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  page = await context.newPage();
  await openApp(page, context, app);
  await loginWithDemo(page, context);
  await loginWithJwtProfile(browser);
});
test.afterAll(async () => {
  await context.close();
  await app.stop();
  resource.closeAllConnections();
  resource.close();
});

/** What the page put in the clipboard (the context was granted clipboard access). */
function readClipboard(): Promise<string> {
  return page.evaluate(async (): Promise<string> => {
    const nav = (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<unknown> } } }).navigator;
    const text = await nav.clipboard.readText();
    return typeof text === 'string' ? text : '';
  });
}

async function shootBoth(name: string): Promise<void> {
  for (const size of [
    { width: 900, height: 700 },
    { width: 1400, height: 900 },
  ]) {
    await page.setViewportSize(size);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await expectAccessible(page, `${name} ${String(size.width)} ${theme}`);
      await page.screenshot({ path: `docs/screenshots/${name}-${String(size.width)}x${String(size.height)}-${theme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

test("Call API from the token's detail: a call that succeeds, status, timing and the JSON body pretty-printed", async () => {
  await go(page, app, '#/tokens');
  // The newest access token: the JWT one from the demo API profile.
  await page.locator('[data-testid="token-row"][data-kind="access_token"]').first().click();
  await expect(page.getByTestId('payload-claims')).toContainText(DEMO_API);
  accessUrl = page.url();
  await page.getByTestId('action-call').click();
  const dialog = page.getByTestId('call-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'URL', exact: true }).fill(`${apiBase}/api/read`);
  await dialog.getByTestId('call-send').click();
  const outcome = dialog.getByTestId('call-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'ok');
  await expect(outcome.getByTestId('call-status')).toHaveText('HTTP 200');
  await expect(outcome.getByTestId('call-body')).toContainText('"hello": "e2e-user"');
  await expect(outcome).toContainText(/\d+ ms/);
});

test('a call refused for audience is explained in words; Copy as curl gives the request with the token masked', async () => {
  const dialog = page.getByTestId('call-dialog');
  await dialog.getByRole('textbox', { name: 'URL', exact: true }).fill(`${apiBase}/other/read`);
  await dialog.getByTestId('call-send').click();
  const outcome = dialog.getByTestId('call-outcome');
  await expect(outcome).toHaveAttribute('data-outcome', 'refused');
  await expect(outcome.getByTestId('call-status')).toHaveText('HTTP 401');
  const why = outcome.getByTestId('call-explanation');
  await expect(why).toContainText('unexpected aud claim value');
  await expect(why).toContainText(`the token is for the audience ${DEMO_API}`);
  await expect(outcome.getByTestId('call-challenges')).toContainText('error="invalid_token"');
  // invalid_token on a grant with a refresh token: the back end offers one refresh and retry.
  await expect(outcome.getByTestId('call-retry')).toBeVisible();
  await shootBoth('call-api');

  await dialog.getByTestId('call-copy-curl').click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const curl = await readClipboard();
  expect(curl).toContain('curl -sS -i');
  expect(curl).toContain(`'${apiBase}/other/read'`);
  expect(curl).toMatch(/'authorization: Bearer «[^']*»'/i);
  expect(curl).not.toMatch(/Bearer eyJ/);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the Exchange log offers Copy as curl for every exchange, masked as logged', async () => {
  await page.goto(accessUrl);
  await page.getByTestId('grant-timeline-link').waitFor();
  const grantId = new URL(
    (await page.getByTestId('grant-timeline-link').getAttribute('href'))?.replace('#/timeline/grant/', 'http://x/') ?? '',
  ).pathname.slice(1);
  await go(page, app, `#/log/${grantId}`);
  const items = page.getByTestId('exchanges').locator('.exchange');
  await expect(items.first()).toBeVisible();
  const count = await items.count();
  expect(count).toBeGreaterThan(3);
  const apiCall = items.filter({ hasText: '/other/read' }).first();
  await apiCall.locator('.exchange-head').click();
  await expect(apiCall.getByTestId('exchange-curl')).toContainText(`curl -sS -i -H 'authorization: Bearer «`);
  await apiCall.getByTestId('copy-curl').click();
  expect(await readClipboard()).toContain(`${apiBase}/other/read`);
  // Every exchange has its curl, not only API calls.
  await items.first().locator('.exchange-head').click();
  await expect(items.first().getByTestId('exchange-curl')).toContainText('curl ');
});

test("the grant's Timeline starts with the (pushed) authorization request, then callback and code exchange, each step opening", async () => {
  await page.goto(accessUrl);
  await page.getByTestId('action-timeline').click();
  await expect(page.locator('#timeline-title')).toHaveText('Grant timeline');
  const steps = page.getByTestId('timeline-steps').getByTestId('timeline-step');
  // The demo issuer advertises PAR and profiles push in `auto`: the authorization request starts as the push.
  await expect(steps.first()).toHaveAttribute('data-step', 'par');
  await expect(steps.first()).toContainText('Pushed authorization request (PAR)');
  await expect(steps.first()).toContainText('+0 ms');
  const labels = await steps.locator('.step-label').allTextContents();
  expect(labels.indexOf('Authorization request (pushed)')).toBe(1);
  expect(labels.indexOf('Callback')).toBeGreaterThan(1);
  expect(labels.indexOf('Token request (code exchange)')).toBeGreaterThan(labels.indexOf('Callback'));
  expect(labels.lastIndexOf('API call')).toBeGreaterThan(labels.indexOf('Token request (code exchange)'));
  await steps.first().locator('.exchange-head').click();
  const params = steps.first().getByTestId('step-parameters');
  await expect(params).toContainText('code_challenge');
  await expect(params).toContainText('S256');
  await expect(params).toContainText('state');
  await shootBoth('timeline');
});

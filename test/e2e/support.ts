/** Shared steps of the end-to-end tests: open the served app, accessibility checks, screenshots, the demo login. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { blockNonLoopback } from '../helpers/chromium.ts';
import { startServe, type ServedApp } from '../helpers/serve-process.ts';

/** `serve` as a user starts it, except that "open the system browser" does nothing (the test is the browser). */
export function startApp(options: { dataDir?: string } = {}): Promise<ServedApp> {
  return startServe({ ...options, env: { BROWSER: '/bin/true', DISPLAY: '' } });
}

/** What servedPage gives a spec: its served app, and one browser context and page on it. */
export interface ServedPage {
  readonly app: ServedApp;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly browser: Browser;
}

/**
 * A spec's one served app and one page, for all its tests (its beforeAll and afterAll): started, opened at the
 * viewport, signed in at the demo issuer when `demoLogin`, then `ready` is called with them; closed after the last test.
 */
export function servedPage(
  options: { readonly viewport: { width: number; height: number }; readonly demoLogin?: boolean },
  ready: (served: ServedPage) => void | Promise<void>,
): void {
  let app: ServedApp | undefined;
  let context: BrowserContext | undefined;
  test.beforeAll(async ({ browser }) => {
    app = await startApp();
    context = await browser.newContext({ viewport: options.viewport });
    const page = await context.newPage();
    await openApp(page, context, app);
    if (options.demoLogin === true) await loginWithDemo(page, context);
    await ready({ app, context, page, browser });
  });
  test.afterAll(async () => {
    await context?.close();
    await app?.stop();
  });
}

export async function openApp(page: Page, context: BrowserContext, app: ServedApp, hash = ''): Promise<void> {
  await blockNonLoopback(context);
  await page.goto(app.launchUrl);
  await expect(page.getByTestId('app-info')).toBeVisible();
  if (hash) await go(page, app, hash);
}

/** Moves to a screen by its address (#/tokens, #/compare/ID, …) without reloading the app. */
export async function go(page: Page, app: ServedApp, hash: string): Promise<void> {
  await page.goto(`${app.url}${hash}`);
}

/** Zero serious or critical axe violations on what is on screen now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
    `accessibility of ${what}`,
  ).toEqual([]);
}

/** expectAccessible in the light and the dark theme (the page is left light). */
export async function expectAccessibleInBothThemes(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await expectAccessible(page, `${what} (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
}

/** Light and dark screenshots of the page as it is, for docs/screenshots. */
export async function shoot(page: Page, name: string, options: { dark?: boolean; fullPage?: boolean } = {}): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: options.fullPage ?? false });
  if (options.dark ?? true) {
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await expectAccessible(page, `${name} (dark)`);
    await page.screenshot({ path: `docs/screenshots/${name}-dark.png`, fullPage: options.fullPage ?? false });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  }
}

/** Signs in as `username` on the demo issuer's login page at `url`, up to Tokenscope's loopback result page. */
export async function signInAtDemoIssuer(tab: Page, url: string, username: string): Promise<void> {
  await tab.goto(url);
  await tab.getByLabel('Username').fill(username);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  // The loopback redirect lands on Tokenscope's own result page.
  await expect(tab.locator('body')).toContainText(/close this (tab|window)|You can close|signed in|done/i, {
    timeout: 20_000,
  });
}

/**
 * Clicks "Get a token from the demo issuer", completes the login on the demo issuer's page in a second tab
 * of the same browser (the system browser's role), and waits for the flow to finish.
 */
export async function loginWithDemo(page: Page, context: BrowserContext): Promise<void> {
  await page.getByTestId('demo-login').first().click();
  const progress = page.locator('[data-testid="flow-progress"][data-flow="demo"]').first();
  const link = progress.getByTestId('authorization-url');
  await expect(link).toBeVisible({ timeout: 20_000 });
  const url = await link.getAttribute('href');
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const browserTab = await context.newPage();
  await signInAtDemoIssuer(browserTab, url ?? '', 'e2e-user');
  await browserTab.close();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
}

/** Calls a contract method as the page does (serve's HTTP bridge with this tab's launch secret): seeding through the contract. */
export async function callContract<T>(page: Page, method: string, arg?: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, arg }) => {
      const secret = sessionStorage.getItem('tokenscope.launchSecret') ?? '';
      const response = await fetch(`./api/${method}`, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json', 'x-tokenscope-secret': secret },
        body: JSON.stringify(arg === undefined ? {} : { arg }),
      });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    },
    { method, arg },
  );
  if (!result.ok) throw new Error(`${method}: ${result.error?.code ?? '?'} ${result.error?.message ?? ''}`);
  return result.value as T;
}

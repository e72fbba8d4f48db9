/**
 * Grant lineage in the served UI with the demo issuer: a refresh told as it happened (the before/after diff in words),
 * the grant panel updating live, "replaced by →", Compare opened from the detail with the token's own issuance, the
 * legend and the per-format summary, the diff of refresh 1 → 2, and "Sign in again" on a dead grant.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, servedPage } from './support.ts';

test.describe.configure({ mode: 'serial' });

let app: ServedApp;
let page: Page;
let browserOf: Browser;
/** The login's access token: the one whose lineage the tests follow. */
let firstAccess = '';

servedPage({ viewport: { width: 1400, height: 900 }, demoLogin: true }, (served) => {
  browserOf = served.browser;
  ({ app, page } = served);
});

const lineage = () => page.getByTestId('related-tokens');

/** An ID token's times are whole seconds: a refresh in the same second as the last gets the same ID token back. */
const nextSecond = () => page.waitForTimeout(1100);

test('Refresh tells what changed in words, and the grant panel updates without a reload', async () => {
  await go(page, app, '#/tokens');
  await page.locator('[data-testid="token-row"][data-kind="access_token"]').first().click();
  firstAccess = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  await expect(lineage().getByTestId('lineage-issuance')).toHaveCount(1);
  await expect(lineage().getByTestId('lineage-issuance').first()).toHaveAttribute('data-issuance', 'login');
  await nextSecond();
  await page.getByTestId('action-refresh').click();
  const outcome = page.getByTestId('refresh-outcome');
  await expect(outcome).toContainText('refresh 1 replaced login');
  const diff = outcome.getByTestId('refresh-diff');
  await expect(diff).toContainText('The refresh token was rotated');
  await expect(diff).toContainText('A new ID token arrived.');
  await expect(diff).toContainText(/Scopes unchanged: .*openid/);
  await expect(diff).toContainText(/Lifetime unchanged|Lifetime (extended|shortened)/);
  // Live: the panel has the new issuance, and this token says what replaced it.
  await expect(lineage().getByTestId('lineage-issuance')).toHaveCount(2);
  await expect(lineage().getByTestId('replaced-by')).toBeVisible();
  await expectAccessible(page, 'token detail after a refresh');

  // A second refresh (from the same screen): refresh 2, and the panel marks the grant's current tokens.
  await nextSecond();
  await page.getByTestId('action-refresh').click();
  await expect(outcome).toContainText('refresh 2 replaced refresh 1');
  await expect(outcome.getByTestId('refresh-diff')).toContainText('A new ID token arrived.');
  await expect(lineage().getByTestId('lineage-issuance')).toHaveCount(3);
  const current = lineage().locator('[data-testid="lineage-token"][data-current="yes"]');
  await expect(current).toHaveCount(3);
  await expect(lineage().locator('[data-issuance="refresh 2"] [data-current="yes"]')).toHaveCount(3);
  await shootSizes('token-detail-refresh-diff');
  // "replaced by →" leads to the token that replaced this one.
  await lineage().getByTestId('replaced-by').getByRole('link').click();
  await expect(page.locator('#detail-title')).toContainText('Access token');
  expect(decodeURIComponent(page.url().split('#/tokens/')[1] ?? '')).not.toBe(firstAccess);
});

test("Compare from the detail: the token's own issuance, the legend and what each format cannot hold", async () => {
  await go(page, app, `#/tokens/${encodeURIComponent(firstAccess)}`);
  await page.getByTestId('action-compare').click();
  await expect(page).toHaveURL(new RegExp(`#/compare/${encodeURIComponent(firstAccess)}$`));
  const paired = page.getByTestId('compare-paired');
  await expect(paired).toHaveAttribute('data-issuance', 'login');
  const kinds = (await paired.getAttribute('data-token-kinds'))?.split(' ') ?? [];
  expect([...kinds].sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
  // Lineage after two refreshes: the login's refresh token is the superseded one, not the grant's newest.
  const refreshId = (await paired.getAttribute('data-token-ids'))?.split(' ')[kinds.indexOf('refresh_token')] ?? '';
  const summaries = page.getByTestId('format-summaries');
  await expect(summaries.locator('[data-format="authlete.AccessToken"]')).toContainText(/cannot hold: .*the ID token/);
  const legend = page.getByTestId('compare-legend');
  for (const badge of ['value lost here', 'DOC_TYPE_MISMATCH', 'NOT_REPRESENTABLE', 'DERIVED_VALUE', 'UNIT_SUSPECT'])
    await expect(legend).toContainText(badge);
  // The header stays in view while the table scrolls.
  const region = page.getByRole('region', { name: 'Comparison table' });
  await region.evaluate('(el) => { el.scrollTop = 400; }');
  const header = page.locator('[data-testid="compare-table"] thead th').first();
  const [regionBox, headerBox] = [await region.boundingBox(), await header.boundingBox()];
  expect(Math.abs((headerBox?.y ?? 0) - (regionBox?.y ?? -100))).toBeLessThan(4);
  await region.evaluate('(el) => { el.scrollTop = 0; }');
  await expectAccessible(page, 'compare with legend');

  // The diff of refresh 1 → 2 is the back end's: it lists the rotated refresh token and the new ID token.
  const select = page.getByLabel(/Another token of the same grant/);
  const labels = await select.locator('option').allTextContents();
  expect(labels.some((l) => l.startsWith('refresh 1 · '))).toBe(true);
  expect(labels.some((l) => l.startsWith('refresh 2 · '))).toBe(true);
  await go(page, app, '#/tokens');
  const firstRefresh = await refreshOf('refresh 1');
  const secondRefresh = await refreshOf('refresh 2');
  await go(page, app, `#/compare/${encodeURIComponent(secondRefresh)}/${encodeURIComponent(firstRefresh)}`);
  await expect(page.getByTestId('diff-sides')).toContainText('Before: refresh 1 · after: refresh 2');
  const diffTable = page.getByTestId('diff-table');
  await expect(diffTable.locator('tr[data-concept="refreshToken"]')).toHaveAttribute('data-change', 'rotated');
  await expect(diffTable.locator('tr[data-concept="idToken"]')).toHaveAttribute('data-change', 'rotated');
  await go(page, app, `#/compare/${encodeURIComponent(firstAccess)}`);
  await expect(page.getByTestId('compare-paired')).toBeVisible();
  await shootSizes('compare-lineage');
  // That refresh token is the superseded one.
  await go(page, app, `#/tokens/${encodeURIComponent(refreshId)}`);
  await expect(page.locator('#detail-title [data-testid="status-chip"]')).toHaveAttribute('data-status', 'superseded');
});

test("Compare's picker tells tokens apart: kind, grant, issue time, preview", async () => {
  await go(page, app, '#/compare');
  const picks = page.getByTestId('compare-picker').locator('li');
  await expect(picks.first()).toBeVisible();
  const lines = await picks.allTextContents();
  expect(new Set(lines).size).toBe(lines.length);
  expect(lines.every((l) => /grant [0-9a-f]{8}|no grant/.test(l) && /issued /.test(l))).toBe(true);
});

test('the list grouped by grant marks the current token of each grant', async () => {
  await go(page, app, '#/tokens');
  await page.getByTestId('group-by-grant').click();
  const group = page.getByTestId('grant-group').filter({ hasText: '3 responses' });
  await expect(group).toHaveCount(1);
  await expect(group.locator('[data-issuance="refresh 2"] [data-current="yes"]')).toHaveCount(3);
  await expect(group.locator('[data-issuance="login"] [data-current="yes"]')).toHaveCount(0);
  await expectAccessible(page, 'tokens grouped by grant');
  await shootSizes('token-list-by-grant');
  await page.getByTestId('group-by-grant').click();
  await expect(page.getByTestId('token-rows')).toBeVisible();
});

test('a dead grant says so and offers "Sign in again", which starts the profile\'s login', async () => {
  await go(page, app, `#/tokens/${encodeURIComponent(firstAccess)}`);
  const currentRefresh = lineage().locator('[data-testid="lineage-token"][data-kind="refresh_token"][data-current="yes"] a');
  await currentRefresh.click();
  await page.getByTestId('action-revoke').click();
  await page
    .getByRole('button', { name: /^Revoke/ })
    .last()
    .click();
  await expect(page.getByTestId('result-revoke')).toContainText('Revoked');
  await go(page, app, `#/tokens/${encodeURIComponent(firstAccess)}`);
  await expect(lineage()).toHaveAttribute('data-grant-state', 'dead');
  const again = page.getByTestId('sign-in-again');
  await expect(again).toBeVisible();
  await expectAccessible(page, 'dead grant');
  await again.click();
  await expect(page.locator('[data-testid="flow-progress"]').getByTestId('authorization-url').first()).toBeVisible({
    timeout: 20_000,
  });
});

test('offline_access asked for without prompt=consent: no refresh token, and the token detail says why', async () => {
  await go(page, app, '#/flows');
  // A copy of the demo profile without its prompt=consent (the demo issuer drops offline_access then, as OIDC allows).
  await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button', { name: /^Demo issuer \(local\) http/ })
    .click();
  await page.getByTestId('edit-profile').click();
  const editor = page.getByTestId('profile-dialog');
  await editor.getByLabel('Name').fill('Demo without consent');
  await editor.getByLabel('Extra authorization parameters (key=value per line)').fill('');
  await editor.getByRole('button', { name: 'Save as a new profile' }).click();
  await expect(editor.getByText('Saved.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(
    page.getByRole('navigation', { name: 'Profiles' }).getByRole('button', { name: /^Demo without consent/ }),
  ).toHaveAttribute('aria-current', 'true');
  await page.getByTestId('start-login').click();
  const url = await page.locator('[data-testid="flow-progress"]').getByTestId('authorization-url').last().getAttribute('href');
  expect(url).not.toContain('prompt=consent');
  // The system browser's role, with no session of the earlier sign-in.
  const fresh = await browserOf.newContext();
  const tab = await fresh.newPage();
  await tab.goto(url ?? '');
  await tab.getByLabel('Username').fill('e2e-no-consent');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await expect(tab.locator('body')).toContainText(/signed in|close this/i, { timeout: 20_000 });
  await fresh.close();
  const result = page.getByTestId('flow-result').last();
  await expect(result.getByTestId('flow-token').first()).toBeVisible({ timeout: 20_000 });
  await expect(result.locator('[data-testid="flow-token"][data-kind="refresh_token"]')).toHaveCount(0);
  await result.locator('[data-testid="flow-token"][data-kind="access_token"]').click();
  await expect(page.getByTestId('grant-scopes')).toContainText('Not granted: offline_access.');
  const why = page.getByTestId('missing-refresh');
  await expect(why).toContainText('offline_access was requested but not granted');
  await expect(why).toContainText('prompt=consent');
  await expectAccessible(page, 'token detail: no refresh token, explained');
  await shootSizes('token-detail-missing-refresh', why);
});

/** The id of the refresh token a given issuance brought, read from the grant panel of the first access token. */
async function refreshOf(issuance: string): Promise<string> {
  await go(page, app, `#/tokens/${encodeURIComponent(firstAccess)}`);
  const link = lineage().locator(`[data-issuance="${issuance}"] [data-kind="refresh_token"] a[data-testid="related-token"]`);
  const href = (await link.getAttribute('href')) ?? '';
  return decodeURIComponent(href.split('#/tokens/')[1] ?? '');
}

/** Screenshots at 900×700 and 1400×900, light and dark. */
async function shootSizes(name: string, focus?: Locator): Promise<void> {
  for (const [w, h] of [
    [900, 700],
    [1400, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await focus?.scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.screenshot({
        path: `docs/screenshots/${name}-${String(w)}x${String(h)}${scheme === 'dark' ? '-dark' : ''}.png`,
      });
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

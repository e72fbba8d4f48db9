/**
 * A new user's whole path, against the real back end and the demo issuer: get a token through the loopback
 * flow, find it, read it, watch it count down, refresh, revoke and introspect it, compare it, export and
 * import it. The steps share one served app and run in order.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, loginWithDemo, openApp, servedPage, shoot, startApp } from './support.ts';

test.describe.configure({ mode: 'serial' });

let app: ServedApp;
let context: BrowserContext;
let page: Page;

servedPage({ viewport: { width: 1280, height: 800 } }, (served) => {
  ({ app, context, page } = served);
});

const rows = () => page.getByTestId('token-row');

async function openFirst(kind: string): Promise<void> {
  await go(page, app, '#/tokens');
  const row = page.locator(`[data-testid="token-row"][data-kind="${kind}"]`).first();
  await expect(row).toBeVisible();
  await row.click();
  await expect(page.locator('#detail-title')).toBeVisible();
}

test('a new user gets a token from the demo issuer through the loopback flow', async () => {
  await loginWithDemo(page, context);
  await expect(page.getByTestId('flow-token').first()).toBeVisible();
  await shoot(page, 'flow-demo-login-done', { dark: false });
  await expectAccessible(page, 'finished demo login');
  await page.getByRole('button', { name: 'Dismiss Demo issuer login' }).click();
  await expect(page.getByTestId('flow-progress')).toHaveCount(0);
});

test('the tokens appear in the virtualized list with live countdowns and status chips', async () => {
  await go(page, app, '#/tokens');
  await expect(rows().first()).toBeVisible();
  const kinds = await Promise.all((await rows().all()).map((r) => r.getAttribute('data-kind')));
  expect(kinds).toContain('access_token');
  await expect(
    page.locator('[data-testid="token-row"][data-kind="access_token"] [data-testid="status-chip"]').first(),
  ).toHaveAttribute('data-status', 'active');
  // The "All" chip counts what is listed.
  await expect(page.getByTestId('filter-all')).toContainText(String(kinds.length));
  // Keyboard: focus the list, arrow down, Enter opens the detail.
  await page.getByTestId('token-rows').focus();
  await page.keyboard.press('Home');
  await expect(rows().first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search tokens' })).toBeFocused();
  await expectAccessible(page, 'token list');
  await shoot(page, 'token-list');
});

test('the detail counts down live and keeps the raw token masked until revealed', async () => {
  await openFirst('access_token');
  const countdown = page.getByTestId('detail-expiry').getByTestId('countdown');
  await expect(countdown).toHaveAttribute('data-state', /active|expiring|critical/);
  const before = await countdown.textContent();
  await expect.poll(async () => countdown.textContent(), { timeout: 5000 }).not.toBe(before);
  await expect(page.getByTestId('lifetime-bar')).toBeVisible();
  const secret = page.getByTestId('secret-value');
  const masked = await secret.textContent();
  expect(masked).toMatch(/^«secret \d+ chars sha256:[0-9a-f]{6}»$/);
  await expect(page.getByTestId('related-tokens')).toBeVisible();
  await expect(page.getByTestId('events').locator('li').first()).toBeVisible();
  await expectAccessible(page, 'access token detail');
  await shoot(page, 'token-detail-access', { fullPage: true });
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(secret).not.toContainText('«secret');
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(secret).toHaveText(masked ?? '');
});

test('the ID token detail explains every claim, with times local and relative', async () => {
  await openFirst('id_token');
  const claims = page.getByTestId('payload-claims');
  await expect(claims.locator('tr[data-claim="exp"]')).toContainText(/in \d+/);
  await expect(claims.locator('tr[data-claim="iat"]')).toContainText(/ago|now/);
  await expect(claims.locator('tr[data-claim="iss"] .claim-meaning')).not.toHaveText('not a registered claim');
  await expect(page.getByTestId('header-claims').locator('tr[data-claim="alg"] .claim-meaning')).not.toHaveText(
    'not a registered claim',
  );
  // The ID token was checked against the issuer's keys when it arrived (issue 13: checked on receipt).
  await expect(page.getByTestId('signature-badge')).toHaveAttribute('data-state', 'verified');
  await expectAccessible(page, 'ID token detail');
  await shoot(page, 'token-detail', { fullPage: true });
});

test("Verify signature checks the ID token against the issuer's published keys", async () => {
  await openFirst('id_token');
  await page.getByTestId('action-verify').click();
  const dialog = page.getByTestId('verify-dialog');
  await expect(dialog.getByRole('radio', { name: /Issuer/ })).toBeChecked();
  await expectAccessible(page, 'verify dialog');
  await dialog.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(dialog.getByTestId('signature-badge')).toHaveAttribute('data-state', 'verified', { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('signature-badge')).toHaveAttribute('data-state', 'verified');
  // The check is recorded: after a reload the detail still says so, and the timeline has the event.
  await page.reload();
  await expect(page.getByTestId('signature-badge')).toHaveAttribute('data-state', 'verified');
  await expect(page.getByTestId('signature-badge')).toContainText('issuer JWKS, checked');
  await expect(page.getByTestId('events').locator('li[data-event="verified"]')).toContainText('verified against issuer JWKS');
});

test('Refresh gets a new access token and the rotated refresh token becomes superseded', async () => {
  await openFirst('access_token');
  const detailUrl = page.url();
  await page.getByTestId('action-refresh').click();
  const result = page.getByTestId('result-refresh');
  await expect(result).toContainText('refresh 1 replaced login', { timeout: 20_000 });
  await expect(result.getByTestId('refreshed-token').first()).toBeVisible();
  await shoot(page, 'token-detail-refreshed', { dark: false });
  // The old refresh token is superseded in the list.
  await go(page, app, '#/tokens');
  await page.getByTestId('filter-superseded').click();
  await expect(
    page.locator('[data-testid="token-row"][data-kind="refresh_token"] [data-testid="status-chip"]').first(),
  ).toHaveAttribute('data-status', 'superseded');
  await page.getByTestId('filter-all').click();
  expect(detailUrl).toContain('#/tokens/');
});

test('Revoke (after confirming) then Introspect shows the token inactive', async () => {
  await openFirst('access_token');
  await page.getByTestId('action-revoke').click();
  const dialog = page.getByRole('dialog', { name: 'Revoke this token?' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'revoke confirmation');
  await shoot(page, 'revoke-confirm', { dark: false });
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('result-revoke')).toContainText('Revoked', { timeout: 20_000 });
  await expect(page.getByTestId('result-revoke').getByRole('link', { name: 'request/response →' })).toBeVisible();
  // A second revoke is not offered: the back end says why.
  await expect(page.getByTestId('action-revoke')).toBeDisabled();
  await expect(page.locator('[data-testid="action-reasons"] li[data-actions~="revoke"]')).toHaveText('Revoke: already revoked');
  await page.getByTestId('action-introspect').click();
  await expect(page.getByTestId('introspect-active')).toHaveText('inactive', { timeout: 20_000 });
  // active:false in words, and the answer as a claims table with the registry's explanations (not raw JSON).
  await expect(page.getByTestId('introspect-verdict')).toContainText('not active (active: false)');
  await expect(page.locator('[data-testid="introspect-claims"] tr[data-claim="active"] .claim-meaning')).toContainText(
    'Whether the server holds the token valid',
  );
  // The opaque-token note tells what the server said, no longer "introspect it".
  await expect(page.getByTestId('opaque-note')).toContainText('the server said it was inactive');
  await expect(page.locator('#detail-title [data-testid="status-chip"]')).toHaveAttribute('data-status', /revoked|inactive/);
  await shoot(page, 'token-detail-revoked', { dark: false });
});

test('Compare shows six format columns with the lifetime in each unit', async () => {
  await go(page, app, '#/tokens');
  await page.locator('[data-testid="token-row"][data-kind="access_token"]').first().click();
  const id = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  await go(page, app, `#/compare/${encodeURIComponent(id)}`);
  const table = page.getByTestId('compare-table');
  await expect(table).toBeVisible();
  await expect(table.locator('thead th[data-format]')).toHaveCount(6);
  const lifetimeRow = table.locator('tr[data-concept="expiresInS"]');
  const seconds = Number(
    await lifetimeRow.locator('td[data-format="rfc6749.TokenResponse"] [data-testid="cell-value"]').textContent(),
  );
  const serendip = Number(
    await lifetimeRow.locator('td[data-format="serendip.TokenModel"] [data-testid="cell-value"]').textContent(),
  );
  expect(seconds).toBeGreaterThan(0);
  expect(serendip).toBe(seconds * 1000);
  // Authlete holds hashes, not values, and a numeric client id: the cells say so.
  await expect(table.locator('tr[data-concept="clientId"] td[data-format="authlete.AccessToken"]')).toContainText(
    /number|numeric/i,
  );
  await expectAccessible(page, 'compare');
  await shoot(page, 'compare', { fullPage: true });
  // Hiding a column removes it.
  await page.getByRole('checkbox', { name: 'Gusto' }).uncheck();
  await expect(table.locator('thead th[data-format]')).toHaveCount(5);
  await page.getByRole('checkbox', { name: 'Gusto' }).check();
  // Side by side with the access token from before the refresh: what changed.
  const before = page.getByLabel(/Another token of the same grant/);
  const options = await before.locator('option').count();
  expect(options).toBeGreaterThan(1);
  await before.selectOption({ index: 1 });
  const diffTable = page.getByTestId('diff-table');
  await expect(diffTable).toBeVisible();
  await expect(diffTable.locator('tr[data-concept="accessToken"]')).toHaveAttribute('data-change', /changed|rotated/);
  await shoot(page, 'compare-diff', { dark: false, fullPage: true });
});

test("Compare pairs the login's access token with its own response's refresh token, not the newest", async () => {
  await go(page, app, '#/tokens');
  // Newest first: the last access token is the one the login got, before the refresh.
  await page.locator('[data-testid="token-row"][data-kind="access_token"]').last().click();
  const id = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  await go(page, app, `#/compare/${encodeURIComponent(id)}`);
  const paired = page.getByTestId('compare-paired');
  await expect(paired).toContainText('refresh token');
  const ids = (await paired.getAttribute('data-token-ids'))?.split(' ') ?? [];
  const kinds = (await paired.getAttribute('data-token-kinds'))?.split(' ') ?? [];
  expect(ids[0]).toBe(id);
  const refreshId = ids[kinds.indexOf('refresh_token')] ?? '';
  expect(refreshId).not.toBe('');
  // That refresh token is the one the refresh rotated away, not the grant's live one.
  await go(page, app, `#/tokens/${encodeURIComponent(refreshId)}`);
  await expect(page.locator('#detail-title [data-testid="status-chip"]')).toHaveAttribute('data-status', 'superseded');
});

test('the exchange log shows the requests with secrets masked', async () => {
  await go(page, app, '#/log');
  const list = page.getByTestId('exchanges');
  await expect(list).toBeVisible();
  const tokenRequest = list
    .locator('.exchange')
    .filter({ has: page.locator('.method', { hasText: 'POST' }) })
    .filter({ hasText: '/token' })
    .first();
  await tokenRequest.locator('.exchange-head').click();
  // The token endpoint's request (code, verifier) and response (tokens) are stored masked.
  await expect(tokenRequest.locator('.exchange-body')).toContainText('access_token');
  await expect(tokenRequest.locator('.exchange-body')).toContainText('«secret');
  await expectAccessible(page, 'exchange log');
  await shoot(page, 'exchange-log');
});

test('flows: profiles, discovery, a device flow that can be cancelled, and client credentials', async () => {
  await go(page, app, '#/flows');
  const profiles = page.getByRole('navigation', { name: 'Profiles' });
  await expect(profiles.getByRole('button').first()).toBeVisible();
  await expectAccessible(page, 'flows');
  await shoot(page, 'flows');
  // The demo profile is preselected: its editor (a copy: the demo's own profiles are managed) can discover the issuer.
  await page.getByTestId('edit-profile').click();
  const editor = page.getByTestId('profile-dialog');
  await expect(editor.getByTestId('demo-copy-note')).toBeVisible();
  await editor.getByRole('button', { name: 'Discover' }).click();
  await expect(editor.getByTestId('discovery-result')).toContainText('device flow', { timeout: 20_000 });
  await expectAccessible(page, 'profile editor with discovery');
  await shoot(page, 'profile-editor-discovery');
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);

  await page.getByTestId('start-device').click();
  await expect(page.getByTestId('user-code').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('device-qr').first()).toHaveAttribute('src', /^data:image\/svg\+xml/);
  await expectAccessible(page, 'device flow');
  await shoot(page, 'flows-device-code', { dark: false });
  await page.locator('[data-flow^="device:"]').first().getByTestId('flow-cancel').click();
  await expect(page.locator('[data-flow^="device:"]').first()).toHaveAttribute('data-state', 'cancelled');

  // The demo's confidential client gets a token of its own.
  const service = profiles.getByRole('button', { name: /client credentials/ });
  await service.click();
  await page.getByTestId('start-client-credentials').click();
  await expect(page.getByTestId('flow-result').first()).toContainText('access token', { timeout: 20_000 });
  // Its detail offers "Get a new token" (client credentials have no refresh token), and it works.
  await page.getByTestId('flow-result').first().getByTestId('flow-token').first().click();
  await expect(page.getByTestId('action-refresh')).toHaveCount(0);
  await page.getByTestId('action-getNewToken').click();
  await expect(page.getByTestId('result-getNewToken')).toContainText('New tokens', { timeout: 20_000 });
  await expect(page.locator('[data-testid="action-reasons"] li[data-actions~="introspect"]')).toHaveCount(0);
});

test('a login can be cancelled while it waits for the browser', async () => {
  await go(page, app, '#/flows');
  await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button', { name: /^Demo issuer \(local\) http/ })
    .click();
  await page.getByTestId('start-login').click();
  const progress = page.locator('.flows-main [data-testid="flow-progress"][data-flow^="login:"]');
  await expect(progress).toHaveAttribute('data-state', 'waiting-for-browser', { timeout: 20_000 });
  await expectAccessible(page, 'login in progress');
  await shoot(page, 'flows-login-progress', { dark: false });
  await progress.getByTestId('flow-cancel').click();
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
});

test('a JWT access token from the demo issuer shows the signature check made when it was obtained', async () => {
  await go(page, app, '#/flows');
  await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button', { name: /^Demo issuer \(local\): JWT access token/ })
    .click();
  await page.getByTestId('start-login').click();
  const progress = page.locator('.flows-main [data-testid="flow-progress"][data-flow^="login:"]:not([data-state="cancelled"])');
  const link = progress.getByTestId('authorization-url');
  await expect(link).toBeVisible({ timeout: 20_000 });
  const browserTab = await context.newPage();
  await browserTab.goto((await link.getAttribute('href')) ?? '');
  // The demo issuer may remember the earlier login (its session cookie is in this browser): then there is no form.
  const signIn = async (): Promise<void> => {
    await browserTab.getByLabel('Username').fill('e2e-user', { timeout: 20_000 });
    await browserTab.getByRole('button', { name: 'Sign in' }).click();
  };
  await Promise.race([
    expect(progress).toHaveAttribute('data-state', 'done', { timeout: 20_000 }),
    signIn().catch(() => undefined),
  ]);
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  if (!browserTab.isClosed()) await browserTab.close();
  await progress.locator('[data-testid="flow-token"][data-kind="access_token"]').click();
  const badge = page.getByTestId('signature-badge');
  await expect(badge).toHaveAttribute('data-state', 'verified');
  await expect(badge).toContainText('issuer JWKS, checked when obtained');
  await expect(page.getByTestId('events')).toContainText('signature RS256: verified against issuer JWKS');
  await expectAccessible(page, 'JWT access token detail');
  await shoot(page, 'token-detail-jwt-access', { dark: false, fullPage: true });
});

test('a new private_key_jwt profile gets a generated key pair and shows the public JWK to register', async () => {
  await go(page, app, '#/flows');
  const issuer = await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button')
    .first()
    .locator('.muted')
    .textContent();
  await page.getByRole('button', { name: '+ New profile' }).click();
  const form = page.getByTestId('profile-dialog').getByRole('form', { name: 'Profile' });
  await form.getByLabel('Name').fill('e2e private key client');
  await form.getByLabel('Issuer URL').fill(issuer ?? '');
  await form.getByLabel('Client ID').fill('e2e-pkjwt');
  await form.getByLabel('Client authentication').selectOption('private_key_jwt');
  await form.getByRole('radio', { name: /Generate a new key pair/ }).check();
  const authParams = form.getByLabel(/Extra authorization parameters/);
  await authParams.fill('audience https://api.example.com');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(form.getByRole('alert')).toContainText('line 1: write key=value');
  await authParams.fill('audience=https://api.example.com\nprompt=consent');
  await form.getByLabel(/Extra token-request parameters/).fill('resource=https://api.example.com/v2');
  await form.getByRole('button', { name: 'Save profile' }).scrollIntoViewIfNeeded();
  await shoot(page, 'profile-editor');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('public-jwk')).toContainText('"kty"', { timeout: 20_000 });
  await expect(page.getByTestId('public-jwk')).not.toContainText('"d"');
  await expectAccessible(page, 'private key profile');

  // The extra parameters are kept: the profile reopened after a reload shows them.
  await page.reload();
  await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button', { name: /^e2e private key client/ })
    .click();
  await page.getByTestId('edit-profile').click();
  const reopened = page.getByTestId('profile-dialog').getByRole('form', { name: 'Profile' });
  await expect(reopened.getByLabel(/Extra authorization parameters/)).toHaveValue(
    'audience=https://api.example.com\nprompt=consent',
  );
  await expect(reopened.getByLabel(/Extra token-request parameters/)).toHaveValue('resource=https://api.example.com/v2');
  await page.keyboard.press('Escape');

  // Deleting it (after a confirmation) removes it from the list; its tokens would stay.
  await page.getByTestId('delete-profile').click();
  await page
    .getByRole('dialog', { name: /Delete the profile/ })
    .getByRole('button', { name: 'Delete profile' })
    .click();
  await expect(
    page.getByRole('navigation', { name: 'Profiles' }).getByRole('button', { name: /^e2e private key client/ }),
  ).toHaveCount(0);
});

test('settings: encryption status, data location, theme', async () => {
  await go(page, app, '#/settings');
  await expect(page.getByTestId('storage-status')).toContainText(/encrypted/);
  await expect(page.getByTestId('data-dir')).toHaveText(app.dataDir);
  await expectAccessible(page, 'settings');
  await shoot(page, 'settings');
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
});

test('an encrypted export needs its passphrase to come back', async ({ browser }) => {
  await go(page, app, '#/tokens');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByLabel('Format').selectOption('bundle');
  await dialog.getByLabel(/Full values/).check();
  await dialog.getByRole('checkbox', { name: /Encrypt with a passphrase/ }).check();
  await dialog.getByLabel('Passphrase (8 characters or more)').fill('correct horse battery');
  // The passphrase is typed twice: until both agree there is nothing to export.
  await dialog.getByLabel('Passphrase again').fill('correct horse batterY');
  await expect(dialog.getByRole('alert')).toContainText('the two passphrases differ');
  await expect(dialog.getByRole('button', { name: 'Export', exact: true })).toBeDisabled();
  await dialog.getByLabel('Passphrase again').fill('correct horse battery');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-result')).toContainText('encrypted');
  const file = readFileSync((await (await downloading).path()) ?? '', 'utf8');
  // The result belongs to the options it was made with.
  await dialog.getByLabel(/Masked/).check();
  await expect(dialog.getByTestId('export-result')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  const fresh = await startApp();
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  try {
    await openApp(other, ctx, fresh);
    await other.getByRole('button', { name: 'Import…' }).click();
    const imp = other.getByTestId('import-dialog');
    await imp
      .getByTestId('import-file')
      .setInputFiles({ name: 'tokens.jwe', mimeType: 'application/json', buffer: Buffer.from(file) });
    await imp.getByLabel(/Passphrase/).fill('wrong passphrase');
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(imp.getByRole('alert')).toContainText('ERR_WRONG_PASSPHRASE');
    await imp.getByLabel(/Passphrase/).fill('correct horse battery');
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(imp.getByTestId('import-rejected')).toHaveText('0', { timeout: 20_000 });
    expect(Number(await imp.getByTestId('import-imported').textContent())).toBeGreaterThan(0);
  } finally {
    await ctx.close();
    await fresh.stop();
  }
});

test('export to a file, then import it into a fresh data dir: the same tokens', async ({ browser }) => {
  await go(page, app, '#/tokens');
  const count = await page.getByTestId('filter-all').locator('.count').textContent();
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByLabel('Format').selectOption('bundle');
  await dialog.getByLabel(/Full values/).check();
  await expectAccessible(page, 'export dialog');
  await shoot(page, 'export-dialog', { dark: false });
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  // Browser mode: the browser downloads the file (named as the back end suggests); the server keeps no copy.
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^tokenscope-history-.*\.tokenscope\.json$/);
  await expect(dialog.getByTestId('export-summary')).toHaveText(`${count ?? ''} tokens`);
  const bundle = readFileSync((await download.path()) ?? '', 'utf8');
  expect(existsSync(join(app.dataDir, 'exports')) ? readdirSync(join(app.dataDir, 'exports')) : []).toEqual([]);
  await shoot(page, 'export-dialog-done', { dark: false });
  await dialog.getByRole('button', { name: 'Done' }).click();

  const fresh = await startApp();
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  try {
    await openApp(other, ctx, fresh);
    await expect(other.getByTestId('empty-history')).toBeVisible();
    await other.getByRole('button', { name: 'Import…' }).click();
    const imp = other.getByTestId('import-dialog');
    await imp
      .getByTestId('import-file')
      .setInputFiles({ name: 'tokens.json', mimeType: 'application/json', buffer: Buffer.from(bundle) });
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(imp.getByTestId('import-imported')).toHaveText(count ?? '', { timeout: 20_000 });
    await expect(imp.getByTestId('import-rejected')).toHaveText('0');
    await expectAccessible(other, 'import report');
    await other.screenshot({ path: 'docs/screenshots/import-report.png' });
    await imp.getByRole('button', { name: 'Done' }).click();
    await expect(other.getByTestId('filter-all').locator('.count')).toHaveText(count ?? '');
    // Wiping (after a confirmation) leaves an empty history.
    await go(other, fresh, '#/settings');
    await other.getByTestId('wipe').click();
    await other.getByRole('dialog').getByRole('button', { name: 'Wipe everything' }).click();
    await expect(other.getByText(/Deleted \d+ tokens/)).toBeVisible();
    await go(other, fresh, '#/tokens');
    await expect(other.getByTestId('empty-history')).toBeVisible();
  } finally {
    await ctx.close();
    await fresh.stop();
  }
});

/** Pasting tokens: bad input gets a stable code and saves nothing; hostile claim values stay inert text. */
import { expect, test } from '@playwright/test';
import { SignJWT } from 'jose';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, openApp, shoot, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const nowS = Math.floor(Date.now() / 1000);
/** An unsigned demo JWT made up by the test: nothing secret in it, safe in a screenshot. */
const hostileJwt = [
  b64({ alg: 'none', typ: 'JWT' }),
  b64({
    iss: 'https://issuer.example',
    sub: 'user-42',
    name: '<img src=x onerror="window.__pwned=1">',
    nickname: '<script>window.__pwned=2</script>',
    picture: 'javascript:window.__pwned=3',
    website: 'https://example.com/profile',
    locale: 'en\u202Efr',
    iat: nowS - 60,
    exp: nowS + 3600,
  }),
  '',
].join('.');

test('a malformed token gets a clear error code and nothing is saved', async ({ page, context }) => {
  await openApp(page, context, app, '#/inspect');
  const input = page.getByLabel(/JWT, opaque token/);
  await input.fill(`${b64({ alg: 'HS256' })}.${b64('this is not json')}.c2ln`);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/ERR_[A-Z_]+/);
  await expect(page.getByTestId('save-to-history')).toHaveCount(0);
  await expectAccessible(page, 'inspect error');
  await shoot(page, 'inspect-error', { dark: false });
  await go(page, app, '#/tokens');
  await expect(page.getByTestId('empty-history')).toBeVisible();
  await expect(page.getByTestId('filter-all')).toContainText('0');
});

test('HTML, script and javascript: links in claims render as inert text; bidi controls are made visible', async ({
  page,
  context,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openApp(page, context, app, '#/inspect');
  await page.getByLabel(/JWT, opaque token/).fill(hostileJwt);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const payload = page.getByTestId('jwt-payload');
  await expect(payload.locator('tr[data-claim="name"] .claim-value')).toHaveText('<img src=x onerror="window.__pwned=1">');
  await expect(payload.locator('tr[data-claim="nickname"] .claim-value')).toHaveText('<script>window.__pwned=2</script>');
  await expect(payload.locator('img')).toHaveCount(0);
  await expect(payload.locator('script')).toHaveCount(0);
  // javascript: is shown as text, with no link and no button to open it.
  const picture = payload.locator('tr[data-claim="picture"] .claim-value');
  await expect(picture.locator('a, button')).toHaveCount(0);
  // The bidi override is visible as a marker, not applied.
  await expect(payload.locator('tr[data-claim="locale"] [data-testid="hidden-char"]')).toHaveText('⟦U+202E⟧');
  // An https link opens only after a confirmation; cancelling opens nothing.
  await payload.locator('tr[data-claim="website"]').getByRole('button', { name: 'Open…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Open a link from a token?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  expect(dialogs).toEqual([]);
  await expectAccessible(page, 'inspect result');
  await shoot(page, 'inspect', { fullPage: true });

  // Saved to the history, the detail screen renders the same claims as text too.
  await page.getByTestId('save-to-history').click();
  await expect(page.getByTestId('save-result')).toContainText('Saved');
  await page.getByTestId('save-result').getByRole('link', { name: 'open' }).click();
  const stored = page.getByTestId('payload-claims');
  await expect(stored.locator('tr[data-claim="name"] .claim-value')).toHaveText('<img src=x onerror="window.__pwned=1">');
  await expect(stored.locator('img')).toHaveCount(0);
  await expect(page.getByTestId('signature-badge')).toHaveAttribute('data-state', 'unsigned');
  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
});

test('pasting anywhere outside a text field inspects what was pasted', async ({ page, context }) => {
  await openApp(page, context, app, '#/settings');
  // A real paste event, as Ctrl+V on the page body fires it.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(hostileJwt)});
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
  await expect(page).toHaveURL(/#\/inspect$/);
  await expect(page.getByTestId('input-kind')).toHaveText('jwt');
  await expect(page.getByTestId('jwt-payload')).toContainText('user-42');
});

test('a pasted Serendip token record is detected and compared: its lifetime in ms, seconds everywhere else', async ({
  page,
  context,
}) => {
  const issued = Date.now() - 60_000;
  const record = {
    _id: '65f0c0ffee',
    userId: 'u-1',
    username: 'ana',
    access_token: 'demo-access-value-not-secret',
    refresh_token: 'demo-refresh-value-not-secret',
    token_type: 'bearer',
    grant_type: 'password',
    issue_at: issued,
    expires_at: issued + 7_200_000,
    expires_in: 7_200_000,
    groups: ['admins'],
    useragent: 'e2e',
  };
  await openApp(page, context, app, '#/inspect');
  await page.getByLabel(/JWT, opaque token/).fill(JSON.stringify(record, null, 2));
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await expect(page.getByTestId('input-kind')).toHaveText('token-object');
  await expect(page.getByTestId('detected-format')).toContainText('serendip.TokenModel');
  const table = page.getByTestId('compare-table');
  await expect(table.locator('thead th[data-format]')).toHaveCount(6);
  const lifetime = table.locator('tr[data-concept="expiresInS"]');
  await expect(lifetime.locator('td[data-format="serendip.TokenModel"] [data-testid="cell-value"]')).toHaveText('7200000');
  await expect(lifetime.locator('td[data-format="rfc6749.TokenResponse"] [data-testid="cell-value"]')).toHaveText('7200');
  await expectAccessible(page, 'inspect a token object');
  await shoot(page, 'inspect-token-object', { dark: false, fullPage: true });
});

test('a verdict belongs to the text in the box: verify token A, type token B without pressing anything, no "signature verified" of A', async ({
  page,
  context,
}) => {
  const secret = new TextEncoder().encode('e2e-shared-secret-not-a-real-one-32b');
  const sign = (sub: string) =>
    new SignJWT({ sub, iss: 'https://issuer.example' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 3600)
      .sign(secret);
  const [tokenA, tokenB] = [await sign('user-a'), await sign('user-b')];
  await openApp(page, context, app, '#/inspect');
  const input = page.getByLabel(/JWT, opaque token/);
  await input.fill(tokenA);
  // Decoded as typed: no button pressed.
  await expect(page.getByTestId('jwt-payload').locator('tr[data-claim="sub"] .claim-value')).toHaveText('user-a');
  await page.getByTestId('inspect-verify').click();
  const dialog = page.getByTestId('verify-dialog');
  await dialog.getByLabel('HMAC shared secret').check();
  await dialog.locator('input.input').fill('e2e-shared-secret-not-a-real-one-32b');
  await dialog.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(dialog.getByTestId('verify-result').getByTestId('signature-badge')).toHaveAttribute('data-state', 'verified');
  await dialog.getByRole('button', { name: 'Done', exact: true }).click();
  const badge = page.getByTestId('inspect-result').getByTestId('signature-badge');
  await expect(badge).toHaveAttribute('data-state', 'verified');
  await expect(badge).toHaveText('signature verified');

  // Token B replaces A: the verdict shown is B's own (not verified yet), never A's.
  await input.fill(tokenB);
  await expect(page.getByTestId('jwt-payload').locator('tr[data-claim="sub"] .claim-value')).toHaveText('user-b');
  await expect(badge).toHaveAttribute('data-state', 'unverified');
  await expect(page.getByText('signature verified', { exact: true })).toHaveCount(0);
  // Back to A's text: A's own verdict may come back, it belongs to that text.
  await input.fill(tokenA);
  await expect(page.getByTestId('jwt-payload').locator('tr[data-claim="sub"] .claim-value')).toHaveText('user-a');
  await expect(badge).toHaveAttribute('data-state', 'verified');
});

test('a pasted {access_token, token_type, expires_in} response is taken as received now, editable, and saved with an expiry', async ({
  page,
  context,
}) => {
  await openApp(page, context, app, '#/inspect');
  const response = { access_token: 'demo-pasted-access-not-secret-1', token_type: 'Bearer', expires_in: 3600 };
  await page.getByLabel(/JWT, opaque token/).fill(JSON.stringify(response));
  const received = page.getByTestId('received-at');
  await expect(received).toContainText('lifetime of 1 hour');
  await expect(page.getByTestId('received-at-text')).toHaveText(/^received now, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await expectAccessible(page, 'inspect: a response received now');
  // Changed before saving: received half an hour ago, so half an hour is left.
  await page.getByTestId('received-at-change').click();
  const d = new Date(Date.now() - 30 * 60_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const local = `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  await page.getByLabel('Received at (local time)').fill(local);
  await expect(page.getByTestId('received-at-text')).toHaveText(/^received \d{4}-/);
  await page.getByTestId('save-to-history').click();
  await expect(page.getByTestId('save-result')).toContainText('Saved 1 new token');
  await page.getByTestId('save-result').getByRole('link', { name: 'open' }).click();
  await expect(page.locator('#detail-title [data-testid="status-chip"]')).toHaveAttribute('data-status', /active|expiring soon/);
  await expect(page.getByTestId('detail-expiry').getByTestId('countdown')).toHaveText(/^expires in (2\d|30) min/);
  await expect(page.getByTestId('fact-expires')).not.toContainText('no expiry');

  // Saved as it is: received now, one hour left.
  await go(page, app, '#/inspect');
  await page
    .getByLabel(/JWT, opaque token/)
    .fill(JSON.stringify({ ...response, access_token: 'demo-pasted-access-not-secret-2' }));
  await expect(page.getByTestId('received-at-text')).toHaveText(/^received now, /);
  await page.getByTestId('save-to-history').click();
  await page.getByTestId('save-result').getByRole('link', { name: 'open' }).click();
  await expect(page.getByTestId('detail-expiry').getByTestId('countdown')).toHaveText(/^expires in (59 min|1 h)/);
});

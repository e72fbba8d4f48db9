/**
 * Keyboard only: every dialog (Verify signature…, Export…, Import…, the profile editor, Attach to a profile…, the
 * confirmations) is a native modal <dialog>: Tab and Shift+Tab never leave it, the page behind is inert, Escape
 * closes it and focus returns to the button that opened it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, expectAccessibleInBothThemes, go, servedPage, shoot } from './support.ts';

test.describe.configure({ mode: 'serial' });

let app: ServedApp;
let page: Page;

servedPage({ viewport: { width: 1400, height: 900 }, demoLogin: true }, async (served) => {
  ({ app, page } = served);
  await page.getByRole('button', { name: 'Dismiss Demo issuer login' }).click();
});

/** Runs `body` in the page with `d` bound to the dialog (the e2e's TypeScript has no DOM types: the code is text). */
async function inDialog<T>(testId: string, body: string): Promise<T> {
  return await page.evaluate(`(() => { const d = document.querySelector('[data-testid="${testId}"]'); ${body} })()`);
}

/** Where the keyboard focus is: inside the dialog (not <body>, not the page behind). */
function focusInside(testId: string): Promise<boolean> {
  return inDialog(testId, 'return !!d && d.contains(document.activeElement) && document.activeElement !== document.body;');
}

/**
 * Opens a dialog from `opener` with Enter, walks Tab forward and Shift+Tab back past its ends (focus stays in it,
 * the dialog is modal), closes it with Escape and checks that focus is back on the opener.
 */
async function walkDialog(opener: Locator, testId: string, what: string): Promise<void> {
  const dialog = page.getByTestId(testId);
  await opener.focus();
  await page.keyboard.press('Enter');
  await expect(dialog, what).toBeVisible();
  expect(await inDialog(testId, "return d.matches(':modal');"), `${what} is a modal dialog`).toBe(true);
  expect(await focusInside(testId), `${what}: focus moved in`).toBe(true);
  // Done-when of issue 16: axe finds no serious or critical violation on the open dialog, light or dark.
  await expectAccessibleInBothThemes(page, `${what}, open`);
  const count = await inDialog<number>(
    testId,
    "return [...d.querySelectorAll('button, input, select, textarea, a[href], summary')].filter((el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0).length;",
  );
  for (let i = 0; i < count + 3; i++) {
    await page.keyboard.press('Tab');
    expect(await focusInside(testId), `${what}: Tab ${String(i + 1)} stays inside`).toBe(true);
  }
  for (let i = 0; i < count + 3; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await focusInside(testId), `${what}: Shift+Tab ${String(i + 1)} stays inside`).toBe(true);
  }
  // The page behind is covered: what is under the pointer at the navigation is the dialog (its backdrop), not the link.
  const box = await page.locator('nav[aria-label="Main"] a').first().boundingBox();
  const [x, y] = [(box?.x ?? 0) + 5, (box?.y ?? 0) + 5];
  const hit = await inDialog(testId, `return d.contains(document.elementFromPoint(${String(x)}, ${String(y)}));`);
  expect(hit, `${what}: the page behind cannot be clicked`).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog, `${what}: Escape closes it`).toHaveCount(0);
  await expect(opener, `${what}: focus returns to the opener`).toBeFocused();
}

async function openFirst(kind: string): Promise<void> {
  await go(page, app, '#/tokens');
  await page.locator(`[data-testid="token-row"][data-kind="${kind}"]`).first().click();
  await expect(page.locator('#detail-title')).toBeVisible();
}

test('Verify signature…: Enter on Verify, then Escape: focus is back on the opener, not on <body>', async () => {
  await openFirst('id_token');
  const opener = page.getByTestId('action-verify');
  const dialog = page.getByTestId('verify-dialog');
  await walkDialog(opener, 'verify-dialog', 'Verify signature');
  // The sequence of the bug report: open, Enter on Verify, wait for the verdict, Escape.
  await opener.focus();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: 'Verify', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('signature-badge')).toHaveAttribute('data-state', 'verified', { timeout: 20_000 });
  expect(await focusInside('verify-dialog'), 'focus stays in the dialog while and after it verifies').toBe(true);
  await expectAccessible(page, 'verify dialog with its verdict');
  await shoot(page, 'verify-dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('Export… (one token and the whole history) and Import… keep the focus inside and give it back', async () => {
  await openFirst('access_token');
  await walkDialog(page.getByTestId('action-export'), 'export-dialog', 'Export one token');
  await go(page, app, '#/tokens');
  await walkDialog(page.getByRole('button', { name: 'Export…' }), 'export-dialog', 'Export the history');
  await walkDialog(page.getByRole('button', { name: 'Import…' }), 'import-dialog', 'Import');
  await page.getByRole('button', { name: 'Import…' }).click();
  await expectAccessible(page, 'import dialog');
  await shoot(page, 'import-dialog');
  await page.keyboard.press('Escape');
});

test('the profile editor, and the confirmations of Revoke… and Delete…', async () => {
  await go(page, app, '#/flows');
  await walkDialog(page.getByTestId('edit-profile'), 'profile-dialog', 'profile editor (demo copy)');
  await walkDialog(page.getByRole('button', { name: '+ New profile' }), 'profile-dialog', 'new profile');
  await openFirst('access_token');
  await walkDialog(page.getByTestId('action-revoke'), 'confirm-dialog', 'Revoke confirmation');
  await walkDialog(page.getByTestId('action-delete'), 'confirm-dialog', 'Delete confirmation');
  await go(page, app, '#/settings');
  await walkDialog(page.getByTestId('wipe'), 'confirm-dialog', 'Wipe history confirmation');
});

test('a pasted token: its actions say why they cannot work, Attach to a profile… makes them work', async () => {
  // A JWT from elsewhere, pasted into Inspect and saved: Tokenscope does not know its server.
  const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
  const payload = Buffer.from(JSON.stringify({ iss: 'https://pasted.example', sub: 'kb-user', scope: 'api' })).toString(
    'base64url',
  );
  await go(page, app, '#/inspect');
  await page.getByLabel(/JWT, opaque token/).fill(`${header}.${payload}.`);
  const inspect = page.getByRole('button', { name: 'Inspect', exact: true });
  if (await inspect.isVisible()) await inspect.click();
  await page.getByTestId('save-to-history').click();
  await page.getByTestId('save-result').getByRole('link', { name: 'open' }).click();
  await expect(page.locator('#detail-title')).toBeVisible();
  await expect(page.getByTestId('action-introspect')).toBeDisabled();
  const reason = page.locator('[data-testid="action-reasons"] li[data-actions~="introspect"]');
  await expect(reason).toContainText('Refresh, Revoke, Introspect, Userinfo, Exchange: Tokenscope does not know its server');
  await expect(reason).toContainText('attach it to a profile first');
  // The disabled button is described by that line (what a screen reader reads with it).
  const describedBy = (await page.getByTestId('action-introspect').getAttribute('aria-describedby')) ?? '';
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText((await reason.textContent()) ?? '');
  await expectAccessible(page, 'pasted token with reasons');
  await shoot(page, 'token-detail-pasted');
  const opener = page.getByTestId('action-attach');
  await walkDialog(opener, 'attach-dialog', 'Attach to a profile');
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('attach-dialog');
  const demo = await dialog
    .getByTestId('attach-profile')
    .locator('option', { hasText: /^Demo issuer \(local\) ·/ })
    .first()
    .getAttribute('value');
  await dialog.getByTestId('attach-profile').selectOption(demo ?? '');
  await dialog.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(dialog.getByTestId('attach-result')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('action-introspect')).toBeEnabled();
  await expect(reason).toHaveCount(0);
  await expect(page.getByTestId('action-attach')).toHaveCount(0);
  await expect(page.getByTestId('events').locator('li[data-event="attached"]')).toBeVisible();
});

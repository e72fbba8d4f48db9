/** Issue 16 item 3 in the served UI: the token list sorts by Expires (and back by Issued) in the back end, told by aria-sort. */
import { expect, test, type Page } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { callContract, expectAccessible, openApp, shoot, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

/** Saves token responses received now that expire in `minutes` (null: a bare opaque token, no expiry known); returns ids. */
async function seed(page: Page, minutes: readonly (number | null)[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, m] of minutes.entries()) {
    const value = `e2e_sort_${String(i)}_${'x'.repeat(24)}`;
    const text = m === null ? value : JSON.stringify({ access_token: value, token_type: 'Bearer', expires_in: m * 60 });
    const saved = await callContract<{ ids: string[] }>(page, 'saveToken', { text, receivedAtMs: Date.now() });
    ids.push(...saved.ids);
  }
  return ids;
}

async function rowIds(page: Page): Promise<string[]> {
  const rows = await page.getByTestId('token-row').all();
  return Promise.all(rows.map(async (row) => (await row.getAttribute('data-token-id')) ?? ''));
}

test('Expires sorts the list soonest first, then latest first, no expiry last; Issued brings newest first back', async ({
  page,
  context,
}) => {
  await openApp(page, context, app);
  // Saved in this order: expiring in 30 min, none, 5 min, 90 min, 60 min.
  const [in30, none, in5, in90, in60] = await seed(page, [30, null, 5, 90, 60]);
  await page.reload();
  await expect(page.getByTestId('token-row')).toHaveCount(5);
  expect(await rowIds(page)).toEqual([in60, in90, in5, none, in30]);

  const issued = page.getByRole('columnheader', { name: 'Issued' });
  const expires = page.getByRole('columnheader', { name: 'Expires' });
  await expect(issued).toHaveAttribute('aria-sort', 'descending');
  await expect(expires).toHaveAttribute('aria-sort', 'none');

  // Keyboard: Tab reaches the Expires head's button, Enter sorts.
  const expiresButton = page.getByRole('button', { name: /^Expires/ });
  await expiresButton.focus();
  await expect(expiresButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(expires).toHaveAttribute('aria-sort', 'ascending');
  await expect(issued).toHaveAttribute('aria-sort', 'none');
  await expect.poll(() => rowIds(page)).toEqual([in5, in30, in60, in90, none]);
  await expect(page.getByRole('listbox', { name: /by expiry, soonest first, no expiry last/ })).toBeVisible();
  await expectAccessible(page, 'the list sorted by Expires');
  for (const size of [
    { width: 1400, height: 900 },
    { width: 900, height: 700 },
  ]) {
    await page.setViewportSize(size);
    await shoot(page, `tokens-sorted-by-expiry-${String(size.width)}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await expiresButton.click();
  await expect(expires).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => rowIds(page)).toEqual([in90, in60, in30, in5, none]);

  await page.getByRole('button', { name: /^Issued/ }).click();
  await expect(issued).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => rowIds(page)).toEqual([in60, in90, in5, none, in30]);
});

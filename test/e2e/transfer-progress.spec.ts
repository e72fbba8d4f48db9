/** Issue 16 items 6/8 in the served UI: a long import and a long export show the back end's progress while they run. */
import { expect, test, type Page } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, openApp, shoot, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

const RECORDS = 6000;

/** Watches the page for a progress element of `testId`: whether one appeared, and the counts it showed. */
async function watchProgress(page: Page, testId: string): Promise<void> {
  await page.evaluate(`(() => {
    window.__seen = { appeared: false, counts: [] };
    const look = () => {
      const el = document.querySelector('[data-testid="${testId}"]');
      if (!el) return;
      const bar = el.querySelector('progress');
      window.__seen.appeared = window.__seen.appeared || bar !== null;
      window.__seen.counts.push([Number(el.getAttribute('data-done')), el.getAttribute('data-total')]);
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
}

async function seen(page: Page): Promise<{ appeared: boolean; counts: [number, string][] }> {
  return page.evaluate<{ appeared: boolean; counts: [number, string][] }>('window.__seen');
}

test('importing and exporting 6,000 tokens shows a progress bar with "n of N" from the back end, then the counts', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await openApp(page, context, app);
  await go(page, app, '#/tokens');
  const file = JSON.stringify(
    Array.from({ length: RECORDS }, (_, i) => ({
      access_token: `e2e_progress_${String(i).padStart(5, '0')}_${'y'.repeat(20)}`,
      token_type: 'Bearer',
      expires_in: 3600,
    })),
  );

  await page.getByRole('button', { name: 'Import…' }).click();
  const importDialog = page.getByTestId('import-dialog');
  await importDialog
    .getByTestId('import-file')
    .setInputFiles({ name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await watchProgress(page, 'import-progress');
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(importDialog.getByTestId('import-imported')).toHaveText(String(RECORDS), { timeout: 90_000 });
  const imported = await seen(page);
  expect(imported.appeared, 'an import progress bar appeared').toBe(true);
  expect(imported.counts.some(([done, total]) => total === String(RECORDS) && done > 0)).toBe(true);
  await importDialog.getByRole('button', { name: 'Close' }).first().click();

  await page.getByRole('button', { name: 'Export…' }).click();
  const exportDialog = page.getByTestId('export-dialog');
  await watchProgress(page, 'export-progress');
  await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
  const bar = exportDialog.getByTestId('export-progress');
  await expect(bar).toBeVisible();
  await expect(bar).toContainText(`of ${RECORDS.toLocaleString('en-US')} tokens written`);
  await expectAccessible(page, 'the export dialog while it writes');
  await expect(exportDialog.getByTestId('export-summary')).toHaveText(`${String(RECORDS)} tokens`, { timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  const exported = await seen(page);
  expect(exported.appeared, 'an export progress bar appeared').toBe(true);
  const done = exported.counts.map(([d]) => d);
  expect(Math.max(...done)).toBeGreaterThan(0);
  expect([...done].sort((a, b) => a - b)).toEqual(done);

  // For the screenshots: the same export with its answer held back, so the bar stays at what the back end last said.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/exportTokens', async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(bar).toContainText(`${RECORDS.toLocaleString('en-US')} of ${RECORDS.toLocaleString('en-US')} tokens written`, {
    timeout: 60_000,
  });
  for (const size of [
    { width: 1400, height: 900 },
    { width: 900, height: 700 },
  ]) {
    await page.setViewportSize(size);
    await shoot(page, `export-progress-${String(size.width)}`);
  }
  release();
  await expect(bar).toHaveCount(0);
  await page.unroute('**/api/exportTokens');
  await exportDialog.getByRole('button', { name: 'Close' }).first().click();

  // A search that matches more tokens than the back end counts (5,000): the chips say their numbers are lower bounds.
  await expect(page.getByTestId('filter-all')).toHaveText(`All${String(RECORDS)}`);
  await page.getByRole('searchbox').fill('secret');
  await expect(page.getByTestId('filter-all')).toHaveText('All5001+');
  await expect(page.getByTestId('filter-active')).toHaveText(/^Active\d+\+$/);
  for (const size of [
    { width: 1400, height: 900 },
    { width: 900, height: 700 },
  ]) {
    await page.setViewportSize(size);
    await shoot(page, `search-capped-counts-${String(size.width)}`);
  }
});

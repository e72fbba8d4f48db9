/** Settings → Secrets at rest: protect a key-file history with a passphrase; afterwards only that passphrase opens it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe } from '../helpers/serve-process.ts';
import { expectAccessible, openApp, startApp } from './support.ts';

test('a key-file history gets a passphrase from Settings; the key file goes and the next start needs the passphrase', async ({
  page,
  context,
}) => {
  const app = await startApp();
  try {
    await openApp(page, context, app, '#/settings');
    const settings = page.getByTestId('protection-settings');
    await expect(settings).toHaveAttribute('data-protection', 'key-file');
    const form = page.getByTestId('passphrase-change');
    await expect(form).toContainText('Protect with a passphrase');
    await expect(form).toContainText('the key file, which is deleted');
    await form.getByLabel('New passphrase (8 characters or more)').fill('a long e2e passphrase');
    await form.getByLabel('New passphrase again').fill('a long e2e typo');
    await expect(form.getByRole('alert')).toHaveText('the two passphrases differ');
    await expect(page.getByTestId('passphrase-change-submit')).toBeDisabled();
    await form.getByLabel('New passphrase again').fill('a long e2e passphrase');
    await expectAccessible(page, 'settings with the passphrase form');
    await page.getByTestId('passphrase-change-submit').click();
    await expect(form.getByRole('status')).toContainText('the history now opens only with the new passphrase');
    await expect(settings).toHaveAttribute('data-protection', 'passphrase');
    await expect(form).toContainText('Change the passphrase');
    expect(existsSync(join(app.dataDir, 'tokenscope.key'))).toBe(false);
  } finally {
    await app.stop();
  }
  // Without the passphrase serve refuses to open the history (and says why); with it, it opens.
  await expect(startServe({ dataDir: app.dataDir, env: { BROWSER: '/bin/true', DISPLAY: '' } })).rejects.toThrow(
    /ERR_KEY_UNAVAILABLE/,
  );
  const again = await startServe({
    dataDir: app.dataDir,
    env: { BROWSER: '/bin/true', DISPLAY: '', TOKENSCOPE_PASSPHRASE: 'a long e2e passphrase' },
  });
  try {
    await openApp(page, context, again, '#/settings');
    await expect(page.getByTestId('protection-settings')).toHaveAttribute('data-protection', 'passphrase');
  } finally {
    await again.stop();
  }
});

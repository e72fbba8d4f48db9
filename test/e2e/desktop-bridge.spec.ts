// The renderer as the desktop app runs it on Linux without a keyring: `window.tokenscope` is a bridge
// (what the preload exposes) whose calls reach a real back end — createServices over the Electron
// Platform with a safeStorage whose backend is `basic_text` (the one stand-in: Electron itself cannot
// run here). The user is asked before anything is stored, and their choice takes effect.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createServices } from '../../src/main/services.ts';
import { DATABASE_FILE } from '../../src/main/store/index.ts';
import { API_METHODS, type TokenscopeBackend } from '../../src/shared/api.ts';
import { fakeElectronPlatform } from '../unit/electron/fake-electron.ts';
import { freshDir } from '../helpers/temp-dir.ts';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, shoot, startApp } from './support.ts';

let app: ServedApp;
let backend: TokenscopeBackend;
const userData = freshDir('tokenscope-desktop-');

test.beforeAll(async () => {
  // `serve` only hands out the built renderer's files here; every call goes through the bridge below.
  app = await startApp();
  backend = await createServices(fakeElectronPlatform(userData, 'basic_text'));
});
test.afterAll(async () => {
  await backend.close();
  await app.stop();
});

test('no keyring: the user chooses between session-only and weak storage before anything is stored', async ({
  page,
  context,
}) => {
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  await page.exposeFunction('__tokenscopeCall', async (method: string, arg: unknown) => {
    if (!(API_METHODS as readonly string[]).includes(method))
      return { ok: false, error: { code: 'ERR_UNKNOWN_METHOD', message: method } };
    const calls = backend as unknown as Record<string, (a: unknown) => Promise<unknown>>;
    return calls[method]?.(arg);
  });
  await page.addInitScript((methods: readonly string[]) => {
    const call = (globalThis as unknown as { __tokenscopeCall: (m: string, a: unknown) => Promise<unknown> }).__tokenscopeCall;
    const bridge: Record<string, unknown> = { onEvent: () => () => undefined, onCommand: () => () => undefined };
    for (const m of methods) bridge[m] = (arg: unknown) => call(m, arg);
    (globalThis as unknown as { tokenscope: unknown }).tokenscope = Object.freeze(bridge);
  }, API_METHODS);
  await page.goto(app.launchUrl);

  const prompt = page.getByTestId('protection-prompt');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText('No secure keychain on this system');
  await expect(prompt).toContainText('basic_text');
  await expect(page.getByTestId('app-info')).toContainText(userData);
  await expectAccessible(page, 'weak-protection prompt');
  await shoot(page, 'protection-prompt');

  // Until the user chooses, nothing reaches the disk.
  expect(existsSync(join(userData, DATABASE_FILE))).toBe(false);
  await prompt.getByRole('button', { name: 'Store them with weak protection' }).click();
  await expect(prompt).toBeHidden();
  expect(existsSync(join(userData, DATABASE_FILE))).toBe(true);

  await page.goto(`${app.url}#/settings`);
  const settings = page.getByTestId('protection-settings');
  await expect(settings).toContainText('Protection: key file on the same disk (weak).');
  await expect(settings).toContainText('anyone who can read your files can read your tokens');
  await expect(page.getByTestId('storage-status')).toContainText('key-file (safeStorage: basic_text)');
  await expectAccessible(page, 'settings with weak protection');
  await shoot(page, 'settings-weak-protection');

  await settings.getByRole('button', { name: 'Keep tokens for this session only' }).click();
  await expect(settings).toContainText('Protection: memory only.');
  await expect(page.getByTestId('storage-status')).toContainText('in memory (this session only)');
});

/**
 * Playwright `_electron` smoke test of the packaged-to-be app: launch with a fresh user-data dir, the token
 * list shows, paste and inspect a token, the renderer has the bridge and no Node, the window closes cleanly.
 * Runs whenever the Electron binary is installed; otherwise prints one line saying why and asserts nothing.
 * Registered by test/unit/electron/electron-smoke.test.ts (so `npm test` runs it); `npm run test:electron` alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../src/shared/api.ts';
import { freshDir } from '../helpers/temp-dir.ts';
import { ROOT } from '../security/scan-gate.ts';
import { electronBinaryPath } from './electron-binary.ts';

const binary = electronBinaryPath(ROOT);
if (!binary) {
  console.log(
    'electron smoke test skipped: no Electron binary in node_modules/electron (its download is blocked here); the same UI is tested in Chromium through serve',
  );
}

function ensureBuilt(): void {
  const out = join(ROOT, 'out', 'main', 'index.js');
  const srcAt = statSync(join(ROOT, 'src', 'main', 'electron', 'app.ts')).mtimeMs;
  if (existsSync(out) && existsSync(join(ROOT, 'out', 'preload', 'index.cjs')) && statSync(out).mtimeMs >= srcAt) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 300_000,
  });
}

describe.skipIf(!binary)('desktop app (Playwright _electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  const dataDir = freshDir('tokenscope-electron-e2e-');

  beforeAll(async () => {
    ensureBuilt();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'ELECTRON_RENDERER_URL' && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    env['TOKENSCOPE_DATA_DIR'] = dataDir;
    // Chromium refuses to start as root without this; the window's own sandbox option stays on.
    const args = [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    app = await _electron.launch({ executablePath: binary ?? '', args, env, timeout: 60_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 360_000);

  afterAll(async () => {
    await app.close().catch(() => undefined);
  });

  it('shows the token list from the back end in the app:// window', async () => {
    expect(page.url()).toMatch(/^app:\/\/tokenscope\//);
    await page.getByTestId('app-info').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('app-info').textContent()).toContain(dataDir);
    await page.getByTestId('empty-history').waitFor();
  }, 60_000);

  it('the renderer has exactly the contract as window.tokenscope and no Node', async () => {
    // Runs in the page: globalThis is the renderer's window.
    const shape = await page.evaluate(() => {
      const w = globalThis as unknown as { tokenscope?: object; require?: unknown; process?: unknown };
      return { keys: Object.keys(w.tokenscope ?? {}).sort(), require: typeof w.require, process: typeof w.process };
    });
    expect(shape).toEqual({ keys: [...API_METHODS, 'onCommand', 'onEvent'].sort(), require: 'undefined', process: 'undefined' });
  });

  it('a pasted JWT is inspected through the IPC bridge', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inspect' }).click();
    const jwt = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"electron-user","iss":"https://issuer.test"}').toString('base64url')}.`;
    await page.getByLabel(/JWT, opaque token/).fill(jwt);
    await page.getByRole('button', { name: 'Inspect', exact: true }).click();
    await page.getByTestId('jwt-payload').waitFor();
    expect(await page.getByTestId('input-kind').textContent()).toBe('jwt');
    expect(await page.getByTestId('jwt-payload').textContent()).toContain('electron-user');
  }, 60_000);

  it('navigation away from the app and window.open are refused', async () => {
    await page.evaluate(() => {
      const w = globalThis as unknown as { open(url: string, target: string): unknown; location: { href: string } };
      w.open('https://example.com/', '_blank');
      w.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^app:\/\/tokenscope\//);
  });

  it('the window closes cleanly and the app exits', async () => {
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    await page.close();
    expect(await exited).toBe(0);
  }, 60_000);
});

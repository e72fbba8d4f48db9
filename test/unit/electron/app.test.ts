// The composed desktop app against a fake `electron` module: lock, scheme, hardened session and windows,
// every contract method on IPC, the menu, single-instance focus and a clean quit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../src/shared/api.ts';
import { COMMAND_CHANNEL, ipcChannel } from '../../../src/shared/bridge.ts';
import { devServerUrl, startDesktopApp, type DesktopApp } from '../../../src/main/electron/app.ts';
import { APP_ENTRY_URL } from '../../../src/main/electron/window-security.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { FakeBrowserWindow, fakeElectron, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fakeElectron));

let running: DesktopApp | null = null;
beforeEach(() => resetFakeElectron());
afterEach(async () => {
  await running?.backend.close();
  running = null;
});

async function start(env: NodeJS.ProcessEnv = {}): Promise<DesktopApp> {
  const app = await startDesktopApp({
    rendererDir: freshDir(),
    preloadPath: '/out/preload/index.cjs',
    env: { TOKENSCOPE_DATA_DIR: freshDir(), ...env },
  });
  if (!app) throw new Error('expected the app to start');
  running = app;
  return app;
}

describe('desktop app composition', () => {
  it('a second instance quits at once and starts nothing', async () => {
    fakeElectron.app.lockAvailable = false;
    expect(
      await startDesktopApp({ rendererDir: freshDir(), preloadPath: '/p.cjs', env: { TOKENSCOPE_DATA_DIR: freshDir() } }),
    ).toBeNull();
    expect(fakeElectron.app.quitCalls).toBe(1);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(fakeElectron.ipcMain.handlers.size).toBe(0);
  });

  it('opens one hardened window on the app:// entry with every flag set', async () => {
    await start();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options['webPreferences']).toMatchObject({
      preload: '/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.webContents.getURL()).toBe(APP_ENTRY_URL);
    // web-contents-created hardened it: navigation prevented, window.open denied.
    expect(win.webContents.navigate('will-navigate', 'https://evil.test/')).toBe(true);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.test/' })).toEqual({ action: 'deny' });
  });

  it('sandboxes every renderer, registers the privileged app:// scheme, its handler and the session policy', async () => {
    await start();
    expect(fakeElectron.app.sandboxEnabled).toBe(true);
    expect(fakeElectron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
    expect([...fakeElectron.protocol.handlers.keys()]).toEqual(['app']);
    const session = fakeElectron.session.defaultSession;
    let granted: boolean | undefined;
    session.permissionRequestHandler?.({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
    expect(session.permissionCheckHandler?.({}, 'media', 'app://tokenscope')).toBe(false);
    expect(session.headersReceived).not.toBeNull();
  });

  it('every contract method answers the window and refuses a null frame', async () => {
    await start();
    const win = FakeBrowserWindow.instances[0]!;
    expect([...fakeElectron.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => ipcChannel(m)).sort());
    const appInfo = fakeElectron.ipcMain.handlers.get(ipcChannel('appInfo'))!;
    const ok = (await appInfo({ senderFrame: { url: APP_ENTRY_URL, parent: null }, sender: { id: win.webContents.id } })) as {
      ok: boolean;
      value: { mode: string };
    };
    expect(ok.ok).toBe(true);
    expect(ok.value.mode).toBe('electron');
    const refused = (await appInfo({ senderFrame: null, sender: { id: win.webContents.id } })) as { error: { code: string } };
    expect(refused.error.code).toBe('ERR_SENDER_REFUSED');
  });

  it('the data dir override also moves Chromium userData', async () => {
    const dir = freshDir();
    await start({ TOKENSCOPE_DATA_DIR: dir });
    expect(fakeElectron.app.getPath('userData')).toBe(dir);
  });

  it('the menu sends commands to the app window', async () => {
    await start();
    const menu = fakeElectron.Menu.applicationMenu as { template: { submenu?: { id?: string; click?: () => void }[] }[] };
    const exportItem = menu.template.flatMap((m) => m.submenu ?? []).find((i) => i.id === 'export');
    exportItem?.click?.();
    expect(FakeBrowserWindow.instances[0]!.webContents.sent).toEqual([{ channel: COMMAND_CHANNEL, args: [{ type: 'export' }] }]);
  });

  it('a second launch focuses (and restores) the existing window', async () => {
    await start();
    const win = FakeBrowserWindow.instances[0]!;
    win.minimized = true;
    fakeElectron.app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(win.focusedCount).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('quitting removes the IPC handlers and closes the back end', async () => {
    const app = await start();
    const close = vi.spyOn(app.backend, 'close');
    let prevented = false;
    fakeElectron.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(fakeElectron.ipcMain.handlers.size).toBe(0);
    await vi.waitFor(() => expect(fakeElectron.app.quitCalls).toBe(1));
    expect(close).toHaveBeenCalledTimes(1);
    running = null;
  });
});

describe('dev server URL', () => {
  it('is honoured only unpackaged and only on loopback http', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.test/' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://evil.test/' }, false)).toBeUndefined();
    expect(devServerUrl({}, false)).toBeUndefined();
  });
});

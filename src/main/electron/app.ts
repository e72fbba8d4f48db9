/**
 * Composes the desktop app from the policy modules: single-instance lock, the app:// scheme, the hardened
 * session and window, the contract over IPC, the menu, remembered bounds, and a clean shutdown.
 */
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import type { TokenscopeBackend } from '../../shared/api.ts';
import type { ShellCommand } from '../../shared/bridge.ts';
import { isLoopbackHttpUrl } from '../../shared/net/loopback.ts';
import { toAppError } from '../errors.ts';
import { createServices } from '../services.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.ts';
import { forwardEvents, registerIpc, sendCommand } from './ipc.ts';
import { buildMenuTemplate } from './menu.ts';
import { moveRoamingHistory } from '../node-platform.ts';
import { createElectronPlatform, localUserDataDir } from './platform.ts';
import { createMainWindow } from './main-window.ts';
import { APP_SCHEME, appOrigins, hardenSession, hardenWebContents, type AppOrigins } from './window-security.ts';

export interface DesktopOptions {
  /** Built renderer (out/renderer). */
  readonly rendererDir: string;
  /** Built preload (out/preload/index.cjs). */
  readonly preloadPath: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface DesktopApp {
  readonly backend: TokenscopeBackend;
  readonly origins: AppOrigins;
  readonly windows: ReadonlySet<BrowserWindow>;
  createWindow(): Promise<BrowserWindow>;
}

/** The electron-vite dev server URL, honoured only in unpackaged builds and only on loopback. */
export function devServerUrl(env: NodeJS.ProcessEnv, packaged: boolean): string | undefined {
  const raw = env['ELECTRON_RENDERER_URL'];
  if (packaged || !raw) return undefined;
  try {
    const url = new URL(raw);
    return isLoopbackHttpUrl(url) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Returns null when another instance holds the lock (that instance is focused instead). */
export async function startDesktopApp(options: DesktopOptions): Promise<DesktopApp | null> {
  const env = options.env ?? process.env;
  const dataOverride = env['TOKENSCOPE_DATA_DIR'];
  // Chromium's own profile goes with our data, so a test's fresh data dir is a fresh profile too.
  if (dataOverride) app.setPath('userData', dataOverride);
  else {
    // Windows: the history (and Chromium's profile) under Local, not Roaming; an older Roaming one moves there once.
    const roaming = app.getPath('userData');
    const local = localUserDataDir(roaming, env, process.platform);
    if (local !== null) {
      moveRoamingHistory(roaming, local);
      app.setPath('userData', local);
    }
  }

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Every renderer sandboxed, whatever a window's options say (checklist: process sandboxing).
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  const origins = appOrigins(devServerUrl(env, app.isPackaged));
  const windows = new Set<BrowserWindow>();

  // Every webContents the app ever creates (windows, devtools, anything) gets the navigation policy.
  app.on('web-contents-created', (_event, contents) => {
    // electronegativity-ignore OPEN_EXTERNAL_JS_CHECK: hardenWebContents calls this only with a URL that passed checkExternalUrl
    hardenWebContents(contents, { origins, openExternal: (url) => void shell.openExternal(url) });
  });

  await app.whenReady();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(options.rendererDir));
  hardenSession(session.defaultSession, origins);

  const platform = createElectronPlatform({
    app,
    safeStorage,
    shell,
    dialog,
    window: () => BrowserWindow.getFocusedWindow() ?? [...windows][0] ?? null,
    env,
  });
  let backend: TokenscopeBackend;
  try {
    backend = await createServices(platform);
  } catch (error) {
    const e = toAppError(error);
    dialog.showErrorBox('Tokenscope cannot start', `${e.code}: ${e.message}`);
    app.exit(1);
    throw error;
  }

  const isOwnContents = (id: number): boolean => [...windows].some((w) => !w.isDestroyed() && w.webContents.id === id);
  const unregister = registerIpc(backend, {
    origins,
    isOwnContents,
    onRefused: (method, reason) => process.stderr.write(`ERR_SENDER_REFUSED ${method} (${reason})\n`),
  });
  const unforward = forwardEvents(backend, () => [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents), origins);

  const send = (command: ShellCommand): void => {
    // Only our own windows get commands: the focused one, else the first.
    const focusedId = BrowserWindow.getFocusedWindow()?.id;
    const open = [...windows].filter((w) => !w.isDestroyed());
    const target = open.find((w) => w.id === focusedId) ?? open[0];
    if (target) sendCommand(target.webContents, command, origins);
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate({ platform: process.platform, devTools: !app.isPackaged, send })),
  );

  const createWindow = async (): Promise<BrowserWindow> => {
    return createMainWindow({
      BrowserWindow,
      onCreated: (win) => {
        windows.add(win);
        win.on('closed', () => windows.delete(win));
      },
      preloadPath: options.preloadPath,
      entryUrl: origins.entryUrl,
      dataDir: platform.dataDir,
      screen,
    });
  };

  app.on('second-instance', () => {
    const win = [...windows][0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  app.on('activate', () => {
    if (windows.size === 0) void createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    unforward();
    unregister();
    void backend.close().finally(() => app.quit());
  });

  await createWindow();
  return { backend, origins, windows, createWindow };
}

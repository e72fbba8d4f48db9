/** Creates the main window through a factory: secure options, remembered bounds, shown when ready. */
import type { BrowserWindowLike, ScreenLike, SecureWindowOptions } from './electron-like.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';
import { newSecureWindow } from './window-security.ts';

export interface MainWindowOptions<W extends BrowserWindowLike> {
  /** Electron's BrowserWindow, or a fake in tests. */
  readonly BrowserWindow: new (options: SecureWindowOptions) => W;
  /** Called with each window right after construction (before it loads anything). */
  readonly onCreated?: (win: W) => void;
  readonly preloadPath: string;
  readonly entryUrl: string;
  readonly dataDir: string;
  readonly screen: ScreenLike | null;
}

export async function createMainWindow<W extends BrowserWindowLike>(options: MainWindowOptions<W>): Promise<W> {
  const state = loadWindowState(options.dataDir, options.screen);
  const win = newSecureWindow(options.BrowserWindow, options.preloadPath, state.bounds);
  options.onCreated?.(win);
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveWindowState(options.dataDir, win.getNormalBounds(), win.isMaximized()));
  await win.loadURL(options.entryUrl);
  return win;
}

// The main window remembers its bounds and maximized state; a position off every display is dropped.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMainWindow } from '../../../src/main/electron/main-window.ts';
import { DEFAULT_SIZE, loadWindowState, saveWindowState, WINDOW_STATE_FILE } from '../../../src/main/electron/window-state.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { FakeBrowserWindow } from './fake-electron.ts';

const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

describe('window state', () => {
  it('round-trips bounds and the maximized flag', () => {
    const dir = freshDir();
    saveWindowState(dir, { x: 100, y: 50, width: 1000, height: 700 }, true);
    expect(loadWindowState(dir, screen)).toEqual({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
  });

  it('drops a position that lies on no display but keeps the size', () => {
    const dir = freshDir();
    saveWindowState(dir, { x: 5000, y: 5000, width: 1000, height: 700 }, false);
    expect(loadWindowState(dir, screen)).toEqual({ bounds: { width: 1000, height: 700 }, maximized: false });
  });

  it('a missing, damaged or absurd file gives the default size', () => {
    const dir = freshDir();
    expect(loadWindowState(dir, screen)).toEqual({ bounds: { ...DEFAULT_SIZE }, maximized: false });
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{not json');
    expect(loadWindowState(dir, screen).bounds).toEqual(DEFAULT_SIZE);
    writeFileSync(join(dir, WINDOW_STATE_FILE), JSON.stringify({ width: 10, height: 1e9 }));
    expect(loadWindowState(dir, screen).bounds).toEqual(DEFAULT_SIZE);
  });
});

describe('createMainWindow', () => {
  it('creates a hardened, hidden window with the remembered bounds, shows it when ready and saves bounds on close', async () => {
    const dir = freshDir();
    saveWindowState(dir, { x: 10, y: 20, width: 900, height: 650 }, true);
    const created: FakeBrowserWindow[] = [];
    const win = await createMainWindow({
      BrowserWindow: FakeBrowserWindow,
      onCreated: (w) => created.push(w),
      preloadPath: '/p.cjs',
      entryUrl: 'app://tokenscope/index.html',
      dataDir: dir,
      screen,
    });
    expect(created).toEqual([win]);
    expect(win.options).toMatchObject({ x: 10, y: 20, width: 900, height: 650, show: false });
    expect(win.options['webPreferences']).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(win.maximized).toBe(true);
    expect(win.webContents.getURL()).toBe('app://tokenscope/index.html');
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
    win.bounds = { x: 30, y: 40, width: 1100, height: 750 };
    win.maximized = false;
    win.close();
    expect(JSON.parse(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8'))).toEqual({
      x: 30,
      y: 40,
      width: 1100,
      height: 750,
      maximized: false,
    });
  });
});

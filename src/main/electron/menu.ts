/**
 * The application menu: the platform's standard roles plus File → Import / Export and View → Theme.
 * Our own items only send a ShellCommand to the renderer; they never act on their own.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ShellCommand } from '../../shared/bridge.ts';

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  /** Developer tools only in unpackaged builds. */
  readonly devTools: boolean;
  readonly send: (command: ShellCommand) => void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const command = (c: ShellCommand) => () => options.send(c);
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { id: 'import', label: 'Import…', accelerator: 'CmdOrCtrl+O', click: command({ type: 'import' }) },
      { id: 'export', label: 'Export…', accelerator: 'CmdOrCtrl+E', click: command({ type: 'export' }) },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      {
        id: 'theme',
        label: 'Theme',
        submenu: [
          {
            id: 'theme-system',
            label: 'System',
            type: 'radio',
            checked: true,
            click: command({ type: 'theme', theme: 'system' }),
          },
          { id: 'theme-light', label: 'Light', type: 'radio', click: command({ type: 'theme', theme: 'light' }) },
          { id: 'theme-dark', label: 'Dark', type: 'radio', click: command({ type: 'theme', theme: 'dark' }) },
        ],
      },
      { type: 'separator' },
      { role: 'reload' },
      ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
}

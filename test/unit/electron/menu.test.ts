// The application menu: standard roles, File → Import / Export and View → Theme, which only send commands.
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../../src/main/electron/menu.ts';
import type { ShellCommand } from '../../../src/shared/bridge.ts';

type MenuItemConstructorOptions = ReturnType<typeof buildMenuTemplate>[number];

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function menu(platform: NodeJS.Platform, devTools = false) {
  const sent: ShellCommand[] = [];
  const items = flatten(buildMenuTemplate({ platform, devTools, send: (c) => sent.push(c) }));
  const click = (id: string) => {
    const item = items.find((i) => i.id === id);
    if (!item?.click) throw new Error(`no item ${id}`);
    (item.click as () => void)();
  };
  return { items, sent, click, roles: items.flatMap((i) => (i.role ? [i.role] : [])) };
}

describe('application menu', () => {
  it('has the standard roles', () => {
    const { roles } = menu('linux');
    expect(roles).toEqual(
      expect.arrayContaining([
        'quit',
        'editMenu',
        'windowMenu',
        'reload',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
        'help',
        'about',
      ]),
    );
    expect(menu('darwin').roles).toEqual(expect.arrayContaining(['appMenu', 'close']));
  });

  it('File → Import / Export and View → Theme send commands to the renderer', () => {
    const { click, sent } = menu('linux');
    click('import');
    click('export');
    click('theme-dark');
    click('theme-light');
    click('theme-system');
    expect(sent).toEqual([
      { type: 'import' },
      { type: 'export' },
      { type: 'theme', theme: 'dark' },
      { type: 'theme', theme: 'light' },
      { type: 'theme', theme: 'system' },
    ]);
  });

  it('developer tools only in unpackaged builds', () => {
    expect(menu('linux', false).roles).not.toContain('toggleDevTools');
    expect(menu('linux', true).roles).toContain('toggleDevTools');
  });
});

/** serve/CLI platform edges: the browser opener runs no shell on any OS, and Windows keeps the history in Local. */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  browserOpenerCommand,
  defaultDataDir,
  moveRoamingHistory,
  openInSystemBrowser,
  roamingDataDir,
} from '../../src/main/node-platform.ts';
import { freshDir } from '../helpers/temp-dir.ts';

/** Every character cmd.exe or a POSIX shell treats as syntax, in the path, the query and the fragment. */
const HOSTILE = 'https://login.example.com/a&b|c^d/authorize?x=1&y=a|b^c<d>e%25f"g&calc.exe&h=%ZZ#frag"<>&|^';

describe('browserOpenerCommand', () => {
  it('passes the URL as one argument, never through a shell, on every platform', () => {
    const href = new URL(HOSTILE).href;
    // The WHATWG serialization encodes the quote and angle brackets; & | ^ % stay, harmless without a shell.
    expect(href).not.toMatch(/["<> ]/);
    expect(href).toContain('&calc.exe');
    expect(href).toContain('|');
    expect(href).toContain('^');
    for (const platform of ['linux', 'darwin', 'win32', 'freebsd'] as const) {
      const { command, args, options } = browserOpenerCommand(HOSTILE, platform, { SystemRoot: 'C:\\Windows' });
      expect(options.shell, platform).toBe(false);
      expect(args.at(-1), platform).toBe(href);
      expect(command, platform).not.toMatch(/(^|[\\/])(cmd|cmd\.exe|sh|bash|powershell(\.exe)?)$/i);
      expect(args.join(' '), platform).not.toMatch(/\/c|start/);
    }
  });

  it('uses the system URL handler by its full path on Windows, verbatim', () => {
    const win = browserOpenerCommand(HOSTILE, 'win32', { SystemRoot: 'D:\\Win' });
    expect(win.command).toBe('D:\\Win\\System32\\rundll32.exe');
    expect(win.args).toEqual(['url.dll,FileProtocolHandler', new URL(HOSTILE).href]);
    expect(win.options.windowsVerbatimArguments).toBe(true);
    expect(browserOpenerCommand(HOSTILE, 'darwin').command).toBe('/usr/bin/open');
    expect(browserOpenerCommand(HOSTILE, 'linux').command).toBe('xdg-open');
  });

  it.runIf(process.platform === 'linux')('hands a real xdg-open the URL byte for byte', async () => {
    const dir = freshDir('tokenscope-opener-');
    const seen = join(dir, 'argv.json');
    const opener = join(dir, 'xdg-open');
    writeFileSync(
      opener,
      `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(2)));\n`,
    );
    chmodSync(opener, 0o755);
    const path = process.env['PATH'];
    process.env['PATH'] = `${dir}:${path ?? ''}`;
    try {
      await openInSystemBrowser(HOSTILE);
      for (let i = 0; i < 100 && !existsSync(seen); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.env['PATH'] = path;
    }
    expect(JSON.parse(readFileSync(seen, 'utf8'))).toEqual([new URL(HOSTILE).href]);
    // The fake opener ran no shell: a `&calc.exe` would have been a second command; there is no file of that name.
    expect(spawnSync('ls', [dir]).stdout.toString().trim().split('\n').sort()).toEqual(['argv.json', 'xdg-open']);
  });

  it('refuses what is not a web URL before anything runs', async () => {
    await expect(openInSystemBrowser('file:///etc/passwd')).rejects.toMatchObject({ code: 'ERR_EXTERNAL_URL_REFUSED' });
    await expect(openInSystemBrowser('http://evil.example/')).rejects.toMatchObject({ code: 'ERR_EXTERNAL_URL_REFUSED' });
  });
});

describe('the default data dir', () => {
  it('is under %LOCALAPPDATA% on Windows, not the roaming %APPDATA%', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local', APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    expect(defaultDataDir(env, 'win32')).toBe('C:\\Users\\ada\\AppData\\Local\\tokenscope');
    expect(defaultDataDir({ ...env, TOKENSCOPE_DATA_DIR: 'E:\\t' }, 'win32')).toBe('E:\\t');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/tokenscope');
  });

  it('moves an older roaming history to Local once, keeping its files, and never over an existing one', () => {
    expect(roamingDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\tokenscope');
    expect(roamingDataDir({ APPDATA: 'C:\\R', TOKENSCOPE_DATA_DIR: 'E:\\t' })).toBeNull();
    const root = freshDir('tokenscope-roaming-');
    const old = join(root, 'Roaming', 'tokenscope');
    const local = join(root, 'Local', 'tokenscope');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'tokenscope.db'), 'old history');
    expect(moveRoamingHistory(old, local)).toBe(true);
    expect(readFileSync(join(local, 'tokenscope.db'), 'utf8')).toBe('old history');
    expect(existsSync(old)).toBe(false);
    // Again, with both present: the Local one is kept, the roaming one left alone.
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'tokenscope.db'), 'second');
    expect(moveRoamingHistory(old, local)).toBe(false);
    expect(readFileSync(join(local, 'tokenscope.db'), 'utf8')).toBe('old history');
    expect(moveRoamingHistory(null, local)).toBe(false);
  });
});

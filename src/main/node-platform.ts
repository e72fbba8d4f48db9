/** The Platform for serve and the CLI: plain Node, the OS browser opener, a key file or passphrase. */
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, win32 } from 'node:path';
import type { KeyProvider, Platform } from './platform.ts';
import { keyFileProvider, memoryKeyProvider, passphraseProvider } from './store/key-file-provider.ts';
import { isLoopbackHttpUrl } from '../shared/net/loopback.ts';
import { TokenscopeError } from '../shared/result.ts';

/**
 * Where the history lives. On Windows under %LOCALAPPDATA% (Local: never synced with a roaming profile), not
 * %APPDATA% (Roaming: copied to every machine the user signs in to).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['TOKENSCOPE_DATA_DIR'];
  if (override) return override;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'tokenscope');
  if (platform === 'win32') return win32.join(env['LOCALAPPDATA'] ?? win32.join(homedir(), 'AppData', 'Local'), 'tokenscope');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'tokenscope');
}

/** Where earlier versions kept the history on Windows (Roaming), or null without %APPDATA% or with an override. */
export function roamingDataDir(env: NodeJS.ProcessEnv): string | null {
  const roaming = env['APPDATA'];
  return roaming && !env['TOKENSCOPE_DATA_DIR'] ? win32.join(roaming, 'tokenscope') : null;
}

/**
 * A history kept by an older version under %APPDATA% (Roaming) moves to the Local data dir, once, when no Local one
 * exists yet: the user keeps their tokens and they stop roaming. Returns true when it moved. A rename that fails (the
 * two on different volumes, a file in use) leaves the old one where it is: nothing is lost, nothing is half-copied.
 */
export function moveRoamingHistory(oldDir: string | null, dataDir: string): boolean {
  if (oldDir === null || oldDir === dataDir || !existsSync(oldDir) || existsSync(dataDir)) return false;
  try {
    mkdirSync(dirname(dataDir), { recursive: true });
    renameSync(oldDir, dataDir);
    return true;
  } catch {
    return false;
  }
}

/** Only web URLs go to the browser: https anywhere, http only to a loopback host. */
export function isSafeExternalUrl(raw: string): boolean {
  const url = URL.parse(raw);
  if (url === null) return false;
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return isLoopbackHttpUrl(url);
}

export interface OpenerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: SpawnOptions;
}

/**
 * The program that opens `url` in the system browser, as an argument array run without a shell: no character of the
 * URL can reach one. The URL is passed as the WHATWG serialization (`"`, `<`, `>`, space percent-encoded), one
 * argument. On Windows `rundll32 url.dll,FileProtocolHandler URL` (the system's own URL handler; never `cmd /c
 * start`, whose parser treats `& | ^ < > %` as syntax), by its full path so no rundll32.exe on PATH is picked up.
 */
export function browserOpenerCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): OpenerCommand {
  const href = new URL(url).href;
  const options: SpawnOptions = { stdio: 'ignore', detached: true, shell: false };
  if (platform === 'darwin') return { command: '/usr/bin/open', args: [href], options };
  if (platform === 'win32') {
    const systemRoot = env['SystemRoot'] ?? env['SYSTEMROOT'] ?? 'C:\\Windows';
    return {
      command: win32.join(systemRoot, 'System32', 'rundll32.exe'),
      args: ['url.dll,FileProtocolHandler', href],
      // rundll32 reads its command line raw (not by the C runtime's rules): hand it the URL without added quotes.
      options: { ...options, windowsVerbatimArguments: true },
    };
  }
  return { command: 'xdg-open', args: [href], options };
}

export function openInSystemBrowser(url: string): Promise<void> {
  if (!isSafeExternalUrl(url)) {
    return Promise.reject(
      new TokenscopeError('ERR_EXTERNAL_URL_REFUSED', 'only https: URLs (or http: to this machine) are opened'),
    );
  }
  const { command, args, options } = browserOpenerCommand(url);
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    // A machine without a desktop opener is not an error: the URL is printed for the user as well.
    child.on('error', () => resolve());
    child.unref();
    resolve();
  });
}

export interface NodePlatformOptions {
  readonly mode: Platform['mode'];
  readonly dataDir?: string;
  readonly openExternal?: (url: string) => Promise<void>;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

export function createNodePlatform(options: NodePlatformOptions): Platform {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? defaultDataDir(env);
  if (options.dataDir === undefined && process.platform === 'win32') moveRoamingHistory(roamingDataDir(env), dataDir);
  let provider: KeyProvider | undefined;
  return {
    mode: options.mode,
    dataDir,
    // The browser saves the file where its user says; the serving machine keeps no copy.
    ...(options.mode === 'serve' ? { exportsAsDownload: true } : {}),
    openExternal: options.openExternal ?? openInSystemBrowser,
    keyProvider: () => {
      const passphrase = env['TOKENSCOPE_PASSPHRASE'];
      // ':memory:' (the CLI's commands that read no history): nothing on disk, not even a key file.
      provider ??=
        dataDir === ':memory:'
          ? memoryKeyProvider()
          : passphrase
            ? passphraseProvider(passphrase, dataDir)
            : keyFileProvider(dataDir);
      return Promise.resolve(provider);
    },
    now: options.now ?? Date.now,
  };
}

/** The Platform for serve and the CLI: plain Node, the OS browser opener, a key file or passphrase. */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KeyProvider, Platform } from './platform.ts';
import { keyFileProvider, memoryKeyProvider, passphraseProvider } from './store/key-file-provider.ts';
import { isLoopbackHttpUrl } from '../shared/net/loopback.ts';
import { TokenscopeError } from '../shared/result.ts';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['TOKENSCOPE_DATA_DIR'];
  if (override) return override;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'tokenscope');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'tokenscope');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'tokenscope');
}

/** Only web URLs go to the browser: https anywhere, http only to a loopback host. */
export function isSafeExternalUrl(raw: string): boolean {
  const url = URL.parse(raw);
  if (url === null) return false;
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return isLoopbackHttpUrl(url);
}

export function openInSystemBrowser(url: string): Promise<void> {
  if (!isSafeExternalUrl(url)) {
    return Promise.reject(
      new TokenscopeError('ERR_EXTERNAL_URL_REFUSED', 'only https: URLs (or http: to this machine) are opened'),
    );
  }
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
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

/** Everything platform-specific the back end needs, provided by Electron, serve/CLI, or a test. */
import type { KeyProtection } from '../shared/model.ts';

export interface KeyProviderInfo {
  /** e.g. 'safeStorage:gnome_libsecret', 'key-file', 'passphrase', 'memory'. */
  readonly backend: string;
  readonly keyProtection: KeyProtection;
  /**
   * True when the front door protects keys with the OS keychain but this machine has none (Electron's safeStorage
   * with the basic_text or unknown backend, or none at all): the key file stands in for it, and the user chooses
   * between a session-only history and this weak protection (src/main/history/protection.ts).
   */
  readonly keychainMissing?: boolean;
}

export interface KeyProvider {
  readonly info: KeyProviderInfo;
  /** Wraps the data key for storage in the database. */
  wrap(dataKey: Uint8Array): Promise<Uint8Array>;
  /** Unwraps a stored data key; throws TokenscopeError('ERR_DECRYPT_FAILED') on a wrong key. */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}

export interface Platform {
  readonly mode: 'electron' | 'serve' | 'cli' | 'test';
  /** Directory that holds the database and key file; created if missing. */
  readonly dataDir: string;
  /** Opens a URL in the user's system browser (never an embedded window). */
  openExternal(url: string): Promise<void>;
  /** Key provider that protects the data key at rest. */
  keyProvider(): Promise<KeyProvider>;
  /** Asks the user where to save a file; null when cancelled. Front doors without dialogs take a path from their caller. */
  chooseSavePath?(suggestedName: string): Promise<string | null>;
  /** Asks the user which file to import; null when cancelled. `-` names `stdin` (the CLI's `import -`). */
  chooseOpenPath?(): Promise<string | null>;
  /** The process's standard input, when a front door reads an import from it (`chooseOpenPath` answering `-`). */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /** Browser mode (serve): an export is handed back to the browser to download instead of kept on the server's disk. */
  readonly exportsAsDownload?: boolean;
  /** Epoch milliseconds (tests inject a fake clock). */
  now(): number;
}

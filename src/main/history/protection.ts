/**
 * Where the history lives when the machine has no strong key protection (Electron's safeStorage on
 * Linux with the `basic_text` or `unknown` backend, or no encryption at all).
 *
 * The user chooses, and we never pretend:
 *   - `session`: the history is an in-memory database sealed with a key that lives only in this
 *     process; nothing is written to disk and everything is gone when the app quits. This is also
 *     what runs until the user has chosen.
 *   - `weak`: the history is on disk as usual, its data key in a 0600 key file (anyone who can read
 *     the user's files can read the tokens), and every screen that shows the protection says "weak".
 * With the key protection a front door gives (an OS keychain, the key file of serve/CLI, a passphrase) there is no
 * choice to make and the history is on disk (mode `disk`); `nameProtection` says how strong that is, in words.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryStatus, ProtectionChoice, ProtectionMode, ProtectionName } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { findDemoProfiles } from '../oauth/demo-profiles.ts';
import type { KeyProvider, KeyProviderInfo, Platform } from '../platform.ts';
import type { BlobSealer } from '../store/blob-sealer.ts';
import { memoryKeyProvider } from '../store/key-file-provider.ts';
import { openStoreWith, type Store } from '../store/store.ts';
import { exportToFile } from './export.ts';
import { importContent } from './import.ts';

export const PROTECTION_FILE = 'protection.json';

export interface OpenedHistory {
  readonly store: Store;
  readonly mode: ProtectionMode;
  /** True while the key is weak and the user has not chosen yet (the history is session-only meanwhile). */
  readonly choiceNeeded: boolean;
  /** What protects the key on this machine, whatever the mode (e.g. 'key-file (safeStorage: basic_text)'). */
  readonly providerBackend: string;
  /** Seals the demo issuer's state files with this history's data key (hand it to the demo issuer, not the store). */
  readonly demoSealer: BlobSealer;
  /** What protects the data key of the history opened (memory for a session-only one). */
  readonly keyInfo: KeyProviderInfo;
}

/** The one naming of key protection, for every front door: what a person is told protects their tokens. */
export function nameProtection(info: KeyProviderInfo): ProtectionName {
  switch (info.keyProtection) {
    case 'os-keychain':
      return {
        kind: 'os-keychain',
        label: 'OS keychain (strong)',
        summary: `Stored on disk; the data key is protected by the OS keychain (${info.backend}).`,
        weak: false,
      };
    case 'passphrase':
      return {
        kind: 'passphrase',
        label: 'passphrase',
        summary:
          'Stored on disk; the data key is wrapped with a key derived from your passphrase (scrypt): as strong as the passphrase, which every start needs.',
        weak: false,
      };
    case 'key-file':
      return {
        kind: 'key-file',
        label: 'key file on the same disk (weak)',
        summary: `Stored on disk; the data key is in a 0600 file next to the database: anyone who can read your files can read your tokens, and so can anyone with a backup of them.${info.keychainMissing === true ? ' This system has no secure keychain.' : ''}`,
        weak: true,
      };
    case 'memory':
      return {
        kind: 'memory',
        label: 'memory only',
        summary:
          'Kept in memory for this session only: nothing is written to disk, and the tokens are gone when Tokenscope quits.',
        weak: false,
      };
  }
}

/**
 * Whether the history's data keys can be re-wrapped with a (new) passphrase: from a passphrase or the key file of a
 * history on disk; an OS keychain or a session-only history has no passphrase to change. What it does, or why not.
 */
export function passphraseChange(history: OpenedHistory): HistoryStatus['passphraseChange'] {
  const from = history.keyInfo.keyProtection;
  if (history.mode === 'session' || history.store.inMemory)
    return { available: false, says: 'This history is kept in memory only: there is no passphrase to change.' };
  if (from === 'passphrase')
    return {
      available: true,
      says: 'Re-wraps the data key with a new passphrase; from then on only the new one opens the history (TOKENSCOPE_PASSPHRASE).',
    };
  if (from === 'key-file')
    return {
      available: true,
      says: 'Protects the data key with a passphrase instead of the key file, which is deleted; from then on every start needs TOKENSCOPE_PASSPHRASE.',
    };
  return {
    available: false,
    says: `The data key is protected by the ${nameProtection(history.keyInfo).label}: there is no passphrase to change.`,
  };
}

/** The protection half of `storageStatus`: where the history is, whether a choice is pending, and its name. */
export function protectionStatus(
  history: OpenedHistory,
): Pick<HistoryStatus, 'protection' | 'choiceNeeded' | 'diskKeyBackend' | 'protectionName' | 'passphraseChange'> {
  return {
    protection: history.mode,
    choiceNeeded: history.choiceNeeded,
    diskKeyBackend: history.providerBackend,
    protectionName: nameProtection(history.keyInfo),
    passphraseChange: passphraseChange(history),
  };
}

/**
 * The key is protected as well as this front door can (OS keychain, serve's key file, a passphrase, or a key kept in
 * memory): there is no choice to make. Not so for Electron's key file standing in for a missing keychain.
 */
function isStrongProtection(info: KeyProviderInfo): boolean {
  return !(info.keyProtection === 'key-file' && info.keychainMissing === true);
}

function opened(
  store: Store,
  mode: ProtectionMode,
  choiceNeeded: boolean,
  keyInfo: KeyProviderInfo,
  providerBackend: string,
): OpenedHistory {
  return { store, mode, choiceNeeded, providerBackend, demoSealer: store.sealer, keyInfo };
}

function isChoice(v: unknown): v is ProtectionChoice {
  return v === 'session' || v === 'weak';
}

/** The saved choice, or null when none was made (or the file is unreadable: then the safe default applies). */
export function readProtectionChoice(dataDir: string): ProtectionChoice | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, PROTECTION_FILE), 'utf8')) as unknown;
    const choice = typeof parsed === 'object' && parsed !== null ? (parsed as { choice?: unknown }).choice : undefined;
    return isChoice(choice) ? choice : null;
  } catch {
    return null;
  }
}

export function writeProtectionChoice(dataDir: string, choice: ProtectionChoice, nowMs: number): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, PROTECTION_FILE), `${JSON.stringify({ choice, chosenAt: new Date(nowMs).toISOString() })}\n`, {
    mode: 0o600,
  });
}

type StorePlatform = Pick<Platform, 'dataDir' | 'mode' | 'keyProvider' | 'now'>;

async function openOnDisk(platform: StorePlatform, provider: KeyProvider): Promise<Store> {
  return openStoreWith(platform.dataDir, provider, { mode: platform.mode, now: () => platform.now() });
}

const MEMORY_KEY: KeyProviderInfo = { backend: 'memory', keyProtection: 'memory' };

async function openInMemory(platform: StorePlatform): Promise<Store> {
  return openStoreWith(':memory:', memoryKeyProvider(), { mode: platform.mode, now: () => platform.now() });
}

/** Opens the history where the key provider and the user's choice say it belongs. */
export async function openHistory(platform: StorePlatform): Promise<OpenedHistory> {
  const provider = await platform.keyProvider();
  const providerBackend = provider.info.backend;
  if (isStrongProtection(provider.info))
    return opened(await openOnDisk(platform, provider), 'disk', false, provider.info, providerBackend);
  const choice = readProtectionChoice(platform.dataDir);
  if (choice === 'weak') return opened(await openOnDisk(platform, provider), 'weak', false, provider.info, providerBackend);
  return opened(await openInMemory(platform), 'session', choice === null, MEMORY_KEY, providerBackend);
}

/**
 * Copies every profile, token, grant and event of `from` into `to`, through a bundle encrypted with a one-time
 * passphrase. A demo profile of a role `to` already has is not duplicated: what pointed at it points at `to`'s.
 */
async function copyHistory(from: Store, to: Store, dataDir: string, nowMs: number): Promise<number> {
  if (from.count() === 0 && from.listProfiles().length === 0) return 0;
  const diskDemo = findDemoProfiles(to);
  const passphrase = randomBytes(24).toString('base64url');
  const path = join(dataDir, `.session-copy-${randomBytes(6).toString('hex')}.jwe`);
  try {
    await exportToFile(from, { format: 'bundle', redact: 'full', encrypt: true, passphrase }, path, nowMs);
    const report = await importContent(to, { content: readFileSync(path, 'utf8'), passphrase });
    if (!report.committed) throw new TokenscopeError('ERR_IMPORT', 'the session history could not be carried over to the disk');
    for (const [role, sessionId] of findDemoProfiles(from)) {
      const diskId = diskDemo.get(role);
      if (diskId === undefined || diskId === sessionId) continue;
      to.mergeProfileInto(sessionId, diskId);
    }
    return report.imported + report.duplicates;
  } finally {
    rmSync(path, { force: true });
  }
}

export interface SwitchOutcome {
  readonly opened: OpenedHistory;
  /** Tokens carried over from the session into the on-disk history. */
  readonly carriedOver: number;
  /** Tokens deleted from the on-disk history because the user asked for it when going session-only. */
  readonly wipedFromDisk: number;
}

/**
 * Applies the user's choice: saves it, opens the history it asks for and closes the old one.
 * session → weak carries this session's tokens over; weak → session leaves the disk history alone
 * unless `wipeDisk` (then it is wiped and VACUUMed first). ERR_INVALID_ARGUMENT with a strong key.
 */
export async function switchProtection(
  platform: StorePlatform,
  current: OpenedHistory,
  request: { readonly choice: ProtectionChoice; readonly wipeDisk?: boolean },
): Promise<SwitchOutcome> {
  if (!isChoice(request?.choice)) throw new TokenscopeError('ERR_INVALID_ARGUMENT', "choice must be 'session' or 'weak'");
  if (current.mode === 'disk') {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the key is protected by the system here: there is nothing to choose');
  }
  const provider = await platform.keyProvider();
  writeProtectionChoice(platform.dataDir, request.choice, platform.now());
  const providerBackend = provider.info.backend;
  if (request.choice === current.mode) {
    return { opened: { ...current, choiceNeeded: false }, carriedOver: 0, wipedFromDisk: 0 };
  }
  if (request.choice === 'weak') {
    const disk = await openOnDisk(platform, provider);
    let carriedOver: number;
    try {
      carriedOver = await copyHistory(current.store, disk, platform.dataDir, platform.now());
    } catch (e) {
      disk.close();
      throw e;
    }
    current.store.close();
    return { opened: opened(disk, 'weak', false, provider.info, providerBackend), carriedOver, wipedFromDisk: 0 };
  }
  const wipedFromDisk = request.wipeDisk === true ? current.store.wipe() : 0;
  const memory = await openInMemory(platform);
  current.store.close();
  return { opened: opened(memory, 'session', false, MEMORY_KEY, providerBackend), carriedOver: 0, wipedFromDisk };
}

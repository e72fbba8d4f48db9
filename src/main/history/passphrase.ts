/**
 * `changePassphrase`: the history's data keys re-wrapped with a key derived from a new passphrase, in one transaction.
 * From a passphrase (the one the history was opened with) or from the weak key file (which is then deleted: nothing is
 * wrapped with it any more). An OS keychain or a session-only history has no passphrase to change.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangePassphraseResult } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { KEY_FILE, passphraseProvider } from '../store/key-file-provider.ts';
import { MIN_PASSPHRASE_LENGTH } from './export.ts';
import { passphraseChange, type OpenedHistory } from './protection.ts';

export async function changePassphrase(
  history: OpenedHistory,
  request: { readonly newPassphrase: string },
): Promise<{ readonly opened: OpenedHistory; readonly result: Omit<ChangePassphraseResult, 'status'> }> {
  const { store } = history;
  const from = store.keyInfo.keyProtection;
  const change = passphraseChange(history);
  if (!change.available) throw new TokenscopeError('ERR_NOT_SUPPORTED', change.says);
  if (request.newPassphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new TokenscopeError(
      'ERR_INVALID_ARGUMENT',
      `the new passphrase needs at least ${String(MIN_PASSPHRASE_LENGTH)} characters`,
    );
  }
  const provider = passphraseProvider(request.newPassphrase, store.dataDir);
  const { rewrapped, unreadableKeys } = await store.rewrapDataKeys(provider);
  // The key file wraps nothing now: a copy of it (a backup) must not open the history either.
  if (from === 'key-file') rmSync(join(store.dataDir, KEY_FILE), { force: true });
  return {
    opened: { ...history, keyInfo: provider.info, providerBackend: provider.info.backend },
    result: {
      rewrappedKeys: rewrapped,
      unreadableKeys,
      removedKeyFile: from === 'key-file',
      message: `the history now opens only with the new passphrase: set TOKENSCOPE_PASSPHRASE to it for every later run${from === 'key-file' ? ' (the key file was deleted)' : ''}`,
    },
  };
}

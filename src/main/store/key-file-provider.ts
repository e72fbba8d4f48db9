/** Key providers for serve and the CLI: a random key in a 0600 file, or a passphrase (scrypt). */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyProvider, KeyProviderInfo } from '../platform.ts';
import { TokenscopeError } from '../../shared/result.ts';

export const KEY_FILE = 'tokenscope.key';

/** AES-256-GCM with a key-encryption key: iv(12) | tag(16) | ciphertext. */
export function aesKeyProvider(kek: Buffer, info: KeyProviderInfo): KeyProvider {
  return {
    info,
    wrap(dataKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return Promise.resolve(new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body])));
    },
    unwrap(wrapped) {
      try {
        const buf = Buffer.from(wrapped);
        const decipher = createDecipheriv('aes-256-gcm', kek, buf.subarray(0, 12));
        decipher.setAuthTag(buf.subarray(12, 28));
        return Promise.resolve(new Uint8Array(Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()])));
      } catch {
        return Promise.reject(new TokenscopeError('ERR_DECRYPT_FAILED', 'the stored data key cannot be unwrapped with this key'));
      }
    },
  };
}

/** Reads the key file, creating it (mode 0600) on first use. */
export function keyFileProvider(dataDir: string): KeyProvider {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, KEY_FILE);
  let kek: Buffer;
  try {
    kek = readFileSync(file);
  } catch {
    kek = randomBytes(32);
    try {
      writeFileSync(file, kek, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TokenscopeError('ERR_KEY_UNAVAILABLE', `cannot create the key file ${file}`);
      }
      kek = readFileSync(file);
    }
  }
  chmodSync(file, 0o600);
  if (kek.length !== 32) throw new TokenscopeError('ERR_KEY_UNAVAILABLE', `the key file ${file} is damaged (expected 32 bytes)`);
  return aesKeyProvider(kek, { backend: 'key-file', keyProtection: 'key-file' });
}

/** Derives the key from TOKENSCOPE_PASSPHRASE with scrypt; the salt is per data dir. */
export function passphraseProvider(passphrase: string, dataDir: string): KeyProvider {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const saltFile = join(dataDir, 'tokenscope.salt');
  let salt: Buffer;
  try {
    salt = readFileSync(saltFile);
  } catch {
    salt = randomBytes(16);
    writeFileSync(saltFile, salt, { mode: 0o600 });
  }
  return aesKeyProvider(scryptSync(passphrase, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }), {
    backend: 'passphrase',
    keyProtection: 'passphrase',
  });
}

/**
 * A key that lives only in this process: for a machine without real key protection where the user
 * chose "keep tokens for this session only". What it sealed is unreadable after a restart (those rows
 * then show as `unreadable`), which is the point.
 */
export function memoryKeyProvider(): KeyProvider {
  return aesKeyProvider(randomBytes(32), { backend: 'memory', keyProtection: 'memory' });
}

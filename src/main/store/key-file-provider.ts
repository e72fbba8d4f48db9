/** Key providers for serve and the CLI: a random key in a 0600 file, or a passphrase (scrypt). */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyProvider, KeyProviderInfo } from '../platform.ts';
import { TokenscopeError } from '../../shared/result.ts';

export const KEY_FILE = 'tokenscope.key';
export const SALT_FILE = 'tokenscope.salt';

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

/**
 * A KeyProvider whose key-encryption key is `read()` when it exists and `create()`d (on disk) only when a data
 * key is first wrapped: opening a history sealed with another key writes nothing (`missing` is the refusal).
 */
function lazyKeyProvider(
  info: KeyProviderInfo,
  read: () => Buffer | null,
  create: () => Buffer,
  missing: () => TokenscopeError,
): KeyProvider {
  const found = read();
  let inner: KeyProvider | null = found ? aesKeyProvider(found, info) : null;
  return {
    info,
    wrap: (dataKey) => (inner ??= aesKeyProvider(read() ?? create(), info)).wrap(dataKey),
    unwrap: (wrapped) => {
      if (inner === null) {
        const kek = read();
        if (kek === null) return Promise.reject(missing());
        inner = aesKeyProvider(kek, info);
      }
      return inner.unwrap(wrapped);
    },
  };
}

function readIfExists(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TokenscopeError('ERR_KEY_UNAVAILABLE', `cannot read ${file}`);
  }
}

/** Writes `bytes` to a new 0600 file; when another process created it first, returns theirs. */
function createExclusive(file: string, bytes: Buffer): Buffer {
  try {
    writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
    return bytes;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new TokenscopeError('ERR_KEY_UNAVAILABLE', `cannot create ${file}`);
    return readFileSync(file);
  }
}

/** The key file (mode 0600), created when the first data key is wrapped; a damaged one is ERR_KEY_UNAVAILABLE. */
/** The data dir, created 0700 or made 0700 (its files are the user's alone). */
function privateDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export function keyFileProvider(dataDir: string): KeyProvider {
  privateDir(dataDir);
  const file = join(dataDir, KEY_FILE);
  const checked = (kek: Buffer): Buffer => {
    chmodSync(file, 0o600);
    if (kek.length !== 32)
      throw new TokenscopeError('ERR_KEY_UNAVAILABLE', `the key file ${file} is damaged (expected 32 bytes)`);
    return kek;
  };
  return lazyKeyProvider(
    { backend: 'key-file', keyProtection: 'key-file' },
    () => {
      const kek = readIfExists(file);
      return kek && checked(kek);
    },
    () => checked(createExclusive(file, randomBytes(32))),
    () => new TokenscopeError('ERR_KEY_UNAVAILABLE', `there is no key file ${file}: this history was sealed with another key`),
  );
}

/** Derives the key from TOKENSCOPE_PASSPHRASE with scrypt; the salt is per data dir, created (exclusively) with the first data key. */
export function passphraseProvider(passphrase: string, dataDir: string): KeyProvider {
  privateDir(dataDir);
  const saltFile = join(dataDir, SALT_FILE);
  const derive = (salt: Buffer): Buffer => scryptSync(passphrase, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return lazyKeyProvider(
    { backend: 'passphrase', keyProtection: 'passphrase' },
    () => {
      const salt = readIfExists(saltFile);
      if (salt) chmodSync(saltFile, 0o600);
      return salt && derive(salt);
    },
    () => derive(createExclusive(saltFile, randomBytes(16))),
    () => new TokenscopeError('ERR_WRONG_PASSPHRASE', 'this history was not sealed with a passphrase (there is no salt file)'),
  );
}

/**
 * A key that lives only in this process: for a machine without real key protection where the user
 * chose "keep tokens for this session only". What it sealed is unreadable after a restart (those rows
 * then show as `unreadable`), which is the point.
 */
export function memoryKeyProvider(): KeyProvider {
  return aesKeyProvider(randomBytes(32), { backend: 'memory', keyProtection: 'memory' });
}

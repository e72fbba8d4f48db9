/** Envelope encryption of secret values at rest: random data keys (AES-256-GCM), each wrapped by the Platform's KeyProvider. */
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hash,
  randomBytes,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';
import type Database from 'better-sqlite3';
import type { KeyProvider } from '../platform.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { searchKey } from './search-terms.ts';

/** Layout of every sealed value: version(1) | keyId(4, BE) | iv(12) | tag(16) | ciphertext. */
const VERSION = 1;
const HEADER = 1 + 4 + 12 + 16;
/** How many bytes longer a sealed value is than its plaintext (GCM: the ciphertext is as long as the plaintext). */
export const SEALED_OVERHEAD = HEADER;
const IV_LENGTH = 12;

/**
 * Fresh random IVs, drawn from the CSPRNG 4 KiB at a time (as Node does for randomUUID) rather than
 * one 12-byte call per value. Every IV is handed out once: the pool is refilled, never rewound.
 */
const ivPool = Buffer.alloc(IV_LENGTH * 341);
let ivOffset = ivPool.length;

function nextIv(): Buffer {
  if (ivOffset + IV_LENGTH > ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_LENGTH);
  ivOffset += IV_LENGTH;
  return iv;
}

export interface KeyringStatus {
  /** Key ids whose wrapped key this KeyProvider could unwrap. */
  readonly usable: readonly number[];
  /** Key ids that failed to unwrap (wrong or lost key): their rows are unreadable. */
  readonly failed: readonly number[];
  /** The key new values are sealed with. */
  readonly current: number;
}

/** ERR_WRONG_PASSPHRASE for a passphrase, ERR_KEY_UNAVAILABLE for any other key: this history was sealed with another key. */
export function keyMismatch(provider: KeyProvider): TokenscopeError {
  return provider.info.keyProtection === 'passphrase'
    ? new TokenscopeError(
        'ERR_WRONG_PASSPHRASE',
        'this history was sealed with another passphrase: set TOKENSCOPE_PASSPHRASE to the one it was created with (nothing was changed)',
      )
    : new TokenscopeError(
        'ERR_KEY_UNAVAILABLE',
        `this history was sealed with a key that ${provider.info.backend} does not hold (a passphrase, or another key file): nothing was changed`,
      );
}

/** Holds the unwrapped data keys in memory for the life of the store; never written anywhere unwrapped. */
export class Keyring {
  private readonly keys = new Map<number, KeyObject>();
  private currentId = 0;
  private failedIds: number[] = [];

  /** Unwraps every stored data key; creates (and stores, wrapped) the first one of a new history; refuses a history sealed with another key. */
  async load(db: Database.Database, provider: KeyProvider, nowMs: number): Promise<KeyringStatus> {
    const rows = db.prepare('SELECT id, wrapped FROM data_keys ORDER BY id').all() as { id: number; wrapped: Buffer }[];
    this.keys.clear();
    this.failedIds = [];
    for (const row of rows) {
      try {
        const key = Buffer.from(await provider.unwrap(new Uint8Array(row.wrapped)));
        if (key.length !== 32) throw new TokenscopeError('ERR_DECRYPT_FAILED', 'data key has the wrong length');
        this.keys.set(row.id, createSecretKey(key));
        key.fill(0);
      } catch {
        this.failedIds.push(row.id);
      }
    }
    const usable = [...this.keys.keys()];
    const newest = usable[usable.length - 1];
    // The first key that sealed a history is its key: a history none of whose keys this provider can unwrap is refused
    // before anything is written, never given a second data key. Only a memory key is expected to be gone after a restart.
    if (newest === undefined && rows.length > 0 && provider.info.keyProtection !== 'memory') {
      throw keyMismatch(provider);
    }
    if (newest === undefined) {
      const key = randomBytes(32);
      const wrapped = Buffer.from(await provider.wrap(new Uint8Array(key)));
      const info = db
        .prepare('INSERT INTO data_keys (wrapped, backend, created_at_ms) VALUES (?, ?, ?)')
        .run(wrapped, provider.info.backend, nowMs);
      this.currentId = Number(info.lastInsertRowid);
      this.keys.set(this.currentId, createSecretKey(key));
      key.fill(0);
    } else {
      this.currentId = newest;
    }
    return { usable: [...this.keys.keys()], failed: [...this.failedIds], current: this.currentId };
  }

  get current(): number {
    return this.currentId;
  }

  /**
   * Wraps every data key this keyring holds with `provider` (a new passphrase): the wrapped keys to store, by key id.
   * Keys that failed to unwrap when the history opened cannot be re-wrapped (their rows stay unreadable).
   */
  async rewrapped(provider: KeyProvider): Promise<{ readonly id: number; readonly wrapped: Buffer }[]> {
    const out: { id: number; wrapped: Buffer }[] = [];
    for (const [id, key] of this.keys) {
      const raw = key.export();
      try {
        out.push({ id, wrapped: Buffer.from(await provider.wrap(new Uint8Array(raw))) });
      } finally {
        raw.fill(0);
      }
    }
    return out;
  }

  /** Key ids that did not unwrap when the history opened. */
  get failed(): readonly number[] {
    return [...this.failedIds];
  }

  /** Encrypts `plain`, binding it to `context` (e.g. `token:<id>`) so a sealed value cannot be moved to another row. */
  seal(plain: string | Uint8Array, context: string): Buffer {
    const key = this.keys.get(this.currentId);
    if (!key) throw new TokenscopeError('ERR_KEY_UNAVAILABLE', 'no data key is loaded');
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    // GCM: the ciphertext is as long as the plaintext, so the sealed value is laid out in one buffer.
    const body = typeof plain === 'string' ? cipher.update(plain, 'utf8') : cipher.update(plain);
    const tail = cipher.final();
    const out = Buffer.allocUnsafe(HEADER + body.length + tail.length);
    out.writeUInt8(VERSION, 0);
    out.writeUInt32BE(this.currentId, 1);
    iv.copy(out, 5);
    cipher.getAuthTag().copy(out, 17);
    body.copy(out, HEADER);
    tail.copy(out, HEADER + body.length);
    return out;
  }

  /** Decrypts a sealed value; ERR_DECRYPT_FAILED when its key is not loaded or the bytes or context do not match. */
  open(sealed: Uint8Array, context: string): Buffer {
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf.length < HEADER || buf.readUInt8(0) !== VERSION) {
      throw new TokenscopeError('ERR_DECRYPT_FAILED', 'the stored value is not in a format this version can read');
    }
    const key = this.keys.get(buf.readUInt32BE(1));
    if (!key)
      throw new TokenscopeError('ERR_DECRYPT_FAILED', 'the stored value was encrypted with a key that is not available here');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(5, 17));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(buf.subarray(17, 33));
      return Buffer.concat([decipher.update(buf.subarray(33)), decipher.final()]);
    } catch {
      throw new TokenscopeError('ERR_DECRYPT_FAILED', 'the stored value cannot be decrypted with the available key');
    }
  }

  openText(sealed: Uint8Array, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }

  /** The key of the search index, derived from the current data key, and that key's id. */
  searchKey(): { readonly keyId: number; readonly key: Buffer } {
    const key = this.keys.get(this.currentId);
    if (!key) throw new TokenscopeError('ERR_KEY_UNAVAILABLE', 'no data key is loaded');
    return { keyId: this.currentId, key: searchKey(key) };
  }

  /** Forgets the keys (on close). */
  clear(): void {
    this.keys.clear();
  }
}

/** The lookup and de-duplication hash of a token value: lowercase hex SHA-256 of its UTF-8 bytes. */
export function tokenHash(value: string): string {
  return tokenDigest(value).hash;
}

/**
 * The value hashed last and its digest, kept until the current task ends (as token-facts.ts keeps its decoding): an
 * import checks a record's hash and saves the token right after, and the save reuses the hash.
 */
let lastDigest: { readonly value: string; readonly digest: { readonly hash: string; readonly key: bigint } } | null = null;
const forgetDigest = (): void => {
  lastDigest = null;
};

/** A token's SHA-256 (hex, as the row keeps it) and its short key: the first 8 bytes as a signed 64-bit INTEGER. */
export function tokenDigest(value: string): { readonly hash: string; readonly key: bigint } {
  if (lastDigest !== null && lastDigest.value === value) return lastDigest.digest;
  // Hex straight from the hash, the key parsed from it: half the time of a Buffer digest turned into both.
  const hex = hash('sha256', value, 'hex');
  const digest = { hash: hex, key: BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)) };
  if (lastDigest === null) queueMicrotask(forgetDigest);
  lastDigest = { value, digest };
  return digest;
}

/**
 * The short key of a stored hash (the `hash_key` column, indexed; lookups then compare the full hash). Any other
 * string (rows of the first schema could hold one) gets the key of its own SHA-256, consistently.
 */
export function hashKeyOf(hexHash: string): bigint {
  const h = /^[0-9a-fA-F]{16}/.test(hexHash) ? Buffer.from(hexHash.slice(0, 16), 'hex') : hash('sha256', hexHash, 'buffer');
  return h.readBigInt64BE(0);
}

/** The masked preview safe to show and store: the one mask of shared/mask.ts (kept here for the store's imports). */

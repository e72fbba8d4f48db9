/**
 * Decrypts an encrypted bundle as it streams: the JWE compact serialization that export-sinks.ts's jweSink writes
 * (PBES2-HS512+A256KW / A256GCM, RFC 7516/7518), read segment by segment. The passphrase is checked first (the
 * wrapped key must unwrap: ERR_WRONG_PASSPHRASE before any record is read); the ciphertext is decrypted chunk by
 * chunk; the GCM tag, last in the file, authenticates all of it when the stream ends, so an import (one
 * transaction) commits nothing a damaged or altered file would have added.
 */
import { createDecipheriv, pbkdf2, type DecipherGCM } from 'node:crypto';
import { TokenscopeError } from '../../shared/result.ts';
import { JWE_ALG, JWE_ENC } from './export-sinks.ts';

/** PBKDF2 iterations accepted at most (the exporter writes 210,000): a hostile file cannot ask for hours of work. */
const MAX_PBES2_COUNT = 2_000_000;
const MAX_HEADER_CHARS = 16 * 1024;
const B64U = /^[A-Za-z0-9_-]*$/;

function damaged(): TokenscopeError {
  return new TokenscopeError('ERR_IMPORT', 'the encrypted bundle is damaged or uses algorithms Tokenscope does not write');
}

function wrongPassphrase(): TokenscopeError {
  return new TokenscopeError('ERR_WRONG_PASSPHRASE', 'wrong passphrase, or the encrypted bundle is damaged');
}

/**
 * Whether text starting with `head` is a JWE: 'yes' for base64url starting with `e` (a JSON object's `{`) up to a
 * dot, 'no' for anything else (JSON, JSON lines), 'undecided' while `head` is too short to tell.
 */
export function isJweStart(head: string): 'yes' | 'no' | 'undecided' {
  const text = head.trimStart();
  if (text === '') return head.length > MAX_HEADER_CHARS ? 'no' : 'undecided';
  if (text[0] !== 'e') return 'no';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '.') return 'yes';
    if (!B64U.test(c) || i > MAX_HEADER_CHARS) return 'no';
  }
  return 'undecided';
}

function b64(segment: string): Buffer {
  if (!B64U.test(segment)) throw damaged();
  return Buffer.from(segment, 'base64url');
}

function deriveKek(passphrase: string, salt: Buffer, count: number): Promise<Buffer> {
  // Asynchronous: 210,000 rounds of HMAC-SHA512 run in the thread pool, not on the event loop (serve keeps answering).
  return new Promise((resolve, reject) => {
    pbkdf2(Buffer.from(passphrase, 'utf8'), salt, count, 32, 'sha512', (e, key) => (e ? reject(e) : resolve(key)));
  });
}

/** The plaintext of the encrypted bundle whose text `chunks` streams (see the module comment). */
export async function decryptStream(
  chunks: AsyncIterable<string>,
  passphrase: string | undefined,
): Promise<AsyncIterable<string>> {
  const it = chunks[Symbol.asyncIterator]();
  let buf = '';
  let ended = false;
  const pull = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await it.next();
    if (next.done === true) {
      ended = true;
      return false;
    }
    buf += next.value;
    return true;
  };
  /** The text up to the next dot (consumed with it), at most `max` characters. */
  const segment = async (max: number): Promise<string> => {
    for (;;) {
      const dot = buf.indexOf('.');
      if (dot >= 0 && dot <= max) {
        const s = buf.slice(0, dot);
        buf = buf.slice(dot + 1);
        return s;
      }
      if (buf.length > max || !(await pull())) throw damaged();
    }
  };
  try {
    const headerText = (await segment(MAX_HEADER_CHARS)).trimStart();
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(b64(headerText).toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new TokenscopeError('ERR_INVALID_JSON', 'the file is neither JSON nor JSON lines');
    }
    if (!header || typeof header !== 'object' || typeof header['enc'] !== 'string')
      throw new TokenscopeError('ERR_INVALID_JSON', 'the file is neither JSON nor JSON lines');
    const p2c = header['p2c'];
    const p2s = typeof header['p2s'] === 'string' ? b64(header['p2s']) : Buffer.alloc(0);
    if (
      header['alg'] !== JWE_ALG ||
      header['enc'] !== JWE_ENC ||
      header['zip'] !== undefined ||
      header['crit'] !== undefined ||
      typeof p2c !== 'number' ||
      !Number.isInteger(p2c) ||
      p2c < 1 ||
      p2c > MAX_PBES2_COUNT ||
      p2s.length < 8
    )
      throw damaged();
    const wrapped = b64(await segment(1024));
    const iv = b64(await segment(64));
    if (wrapped.length !== 40 || iv.length !== 12) throw damaged();
    if (typeof passphrase !== 'string' || passphrase === '') {
      throw new TokenscopeError('ERR_WRONG_PASSPHRASE', 'this bundle is encrypted: give its passphrase', {
        passphraseMissing: true,
      });
    }
    // RFC 7518 §4.8.1.1: salt = UTF8(alg) || 0x00 || p2s.
    const kek = await deriveKek(passphrase, Buffer.concat([Buffer.from(JWE_ALG), Buffer.from([0]), p2s]), p2c);
    let cek: Buffer;
    try {
      const unwrap = createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
      cek = Buffer.concat([unwrap.update(wrapped), unwrap.final()]);
    } catch {
      throw wrongPassphrase();
    } finally {
      kek.fill(0);
    }
    const decipher = createDecipheriv('aes-256-gcm', cek, iv);
    cek.fill(0);
    decipher.setAAD(Buffer.from(headerText, 'ascii'));
    return plaintext(
      decipher,
      () => buf,
      (rest) => (buf = rest),
      pull,
      () => it.return?.(),
    );
  } catch (e) {
    await it.return?.();
    throw e;
  }
}

async function* plaintext(
  decipher: DecipherGCM,
  get: () => string,
  set: (rest: string) => void,
  pull: () => Promise<boolean>,
  close: () => unknown,
): AsyncGenerator<string> {
  const text = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes: Buffer): string => {
    try {
      return text.decode(bytes, { stream: true });
    } catch {
      throw damaged();
    }
  };
  try {
    for (;;) {
      const buf = get();
      const dot = buf.indexOf('.');
      // Whole groups of 4 characters decode on their own; the rest waits for the next chunk.
      const usable = dot >= 0 ? dot : buf.length - (buf.length % 4);
      if (usable > 0) {
        const out = decode(decipher.update(b64(buf.slice(0, usable))));
        set(buf.slice(usable));
        if (out !== '') yield out;
      }
      if (dot >= 0) break;
      if (!(await pull())) throw damaged();
    }
    set(get().slice(1));
    while (get().length <= 64 && (await pull()));
    const tag = b64(get().trim());
    if (tag.length !== 16) throw damaged();
    decipher.setAuthTag(tag);
    let last: Buffer;
    try {
      last = decipher.final();
    } catch {
      throw wrongPassphrase();
    }
    const out =
      decode(last) +
      (() => {
        try {
          return text.decode();
        } catch {
          throw damaged();
        }
      })();
    if (out !== '') yield out;
  } finally {
    await close();
  }
}

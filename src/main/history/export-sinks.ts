/** Output sinks of an export: a 0600 file written in chunks, and a streaming JWE (PBES2-HS512+A256KW / A256GCM) around it. */
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';

export const JWE_ALG = 'PBES2-HS512+A256KW';
export const JWE_ENC = 'A256GCM';
const JWE_CTY = 'application/vnd.tokenscope.bundle+json';
/** PBKDF2-HMAC-SHA512 iterations for the encrypted bundle (OWASP 2023 guidance). */
export const PBES2_COUNT = 210_000;

export interface Sink {
  write(text: string): Promise<void>;
  end(): Promise<void>;
}

/** Bytes a file sink gathers before one write to the file. */
const FILE_CHUNK = 64 * 1024;

/**
 * A sink that copies what is written into one reusable buffer and hands it to the file with
 * fs.writeSync when full. Writers pass one record at a time: no batch-sized string or Buffer is
 * ever built, so the heap does not grow by the garbage of a large export before V8 collects it.
 */
export function fileSink(fd: number): Sink & { readonly bytes: number; wipe(): void } {
  const chunk = Buffer.allocUnsafe(FILE_CHUNK);
  let used = 0;
  let bytes = 0;
  const writeAll = (data: Uint8Array): void => {
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off, data.length - off);
    bytes += data.length;
  };
  const flush = (): void => {
    if (used > 0) writeAll(chunk.subarray(0, used));
    used = 0;
  };
  return {
    get bytes() {
      return bytes;
    },
    async write(text) {
      // A UTF-16 unit is at most 3 bytes of UTF-8: text that may not fit flushes the chunk first.
      if (text.length * 3 <= FILE_CHUNK - used) {
        used += chunk.write(text, used);
        return;
      }
      flush();
      if (text.length * 3 <= FILE_CHUNK) used += chunk.write(text, used);
      else writeAll(Buffer.from(text, 'utf8'));
      // Let the event loop run between two chunks (IPC, the HTTP bridge, timers), as a stream's drain did.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    end() {
      flush();
      return Promise.resolve();
    },
    /** The chunk held token values: zero it rather than leave them to the garbage collector. */
    wipe() {
      chunk.fill(0);
    },
  };
}

function b64u(buf: Uint8Array): string {
  return Buffer.from(buf).toString('base64url');
}

/**
 * A sink that encrypts what is written into a JWE compact serialization, as a stream:
 * header . wrapped CEK . iv . ciphertext . tag. Any JWE library decrypts it (tests use jose).
 */
export function jweSink(inner: Sink, passphrase: string): Sink {
  const p2s = randomBytes(16);
  const header = b64u(
    Buffer.from(JSON.stringify({ alg: JWE_ALG, enc: JWE_ENC, cty: JWE_CTY, p2s: b64u(p2s), p2c: PBES2_COUNT })),
  );
  // RFC 7518 §4.8.1.1: salt = UTF8(alg) || 0x00 || p2s.
  const kek = pbkdf2Sync(
    Buffer.from(passphrase, 'utf8'),
    Buffer.concat([Buffer.from(JWE_ALG), Buffer.from([0]), p2s]),
    PBES2_COUNT,
    32,
    'sha512',
  );
  const cek = randomBytes(32);
  const wrap = createCipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const wrapped = Buffer.concat([wrap.update(cek), wrap.final()]);
  kek.fill(0);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cek.fill(0);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  const emit = async (bytes: Buffer, final: boolean): Promise<void> => {
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    const usable = final ? pending.length : pending.length - (pending.length % 3);
    if (usable > 0) {
      await inner.write(pending.subarray(0, usable).toString('base64url'));
      pending = pending.subarray(usable);
    }
  };
  return {
    async write(text) {
      if (!started) {
        started = true;
        await inner.write(`${header}.${b64u(wrapped)}.${b64u(iv)}.`);
      }
      await emit(cipher.update(text, 'utf8'), false);
    },
    async end() {
      if (!started) {
        started = true;
        await inner.write(`${header}.${b64u(wrapped)}.${b64u(iv)}.`);
      }
      await emit(cipher.final(), true);
      await inner.write(`.${b64u(cipher.getAuthTag())}`);
      await inner.end();
    },
  };
}

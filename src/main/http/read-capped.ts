/**
 * The one capped body reader: an HTTP request (serve, the demo issuer), a fetch Response body (JWKS, OAuth
 * exchanges) or stdin is read chunk by chunk and refused as soon as it passes `maxBytes`, before the rest is
 * buffered. Overflow is a TokenscopeError with a stable code (ERR_INPUT_TOO_LARGE unless the caller names the
 * code its own contract promises, e.g. ERR_JWKS_FETCH), and the source is cancelled or destroyed.
 */
import type { ErrorCode } from '../../shared/result.ts';
import { TokenscopeError } from '../../shared/result.ts';

export interface CapOptions {
  /** The most bytes accepted; one more is an overflow. */
  readonly maxBytes: number;
  /** The code thrown on overflow (default ERR_INPUT_TOO_LARGE). */
  readonly code?: ErrorCode;
  /** What is read, for the message ("the JWKS document is larger than 512 KiB"); default "the body". */
  readonly what?: string;
}

/** Anything async-iterable (a Node Readable or IncomingMessage, a web ReadableStream in Node), or no body at all. */
export type BodySource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array> | null | undefined;

function limitText(maxBytes: number): string {
  if (maxBytes >= 1024 * 1024 && maxBytes % (1024 * 1024) === 0) return `${String(maxBytes / (1024 * 1024))} MiB`;
  if (maxBytes >= 1024 && maxBytes % 1024 === 0) return `${String(maxBytes / 1024)} KiB`;
  return `${String(maxBytes)} bytes`;
}

/** The bytes of `source`, at most `maxBytes` of them; throws (and stops reading) past the cap. */
export async function readCapped(source: BodySource, options: CapOptions): Promise<Uint8Array> {
  if (source === null || source === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop by a throw closes the iterator: a web stream is cancelled, a Node stream destroyed.
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > options.maxBytes) {
      throw new TokenscopeError(
        options.code ?? 'ERR_INPUT_TOO_LARGE',
        `${options.what ?? 'the body'} is larger than ${limitText(options.maxBytes)}`,
      );
    }
    chunks.push(bytes);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** `readCapped` decoded as UTF-8 (invalid sequences become U+FFFD, as Buffer#toString and TextDecoder do). */
export async function readCappedText(source: BodySource, options: CapOptions): Promise<string> {
  return new TextDecoder().decode(await readCapped(source, options));
}

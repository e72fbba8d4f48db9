/** The one capped body reader: a web stream, a Node stream or nothing; refused with a stable code past the cap. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCapped, readCappedText } from '../../../src/main/http/read-capped.ts';
import { TokenscopeError } from '../../../src/shared/result.ts';

/** A web stream of `count` chunks of six bytes that records how many were pulled and whether it was cancelled. */
function webStream(count: number): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === count) controller.close();
        else {
          pulled += 1;
          controller.enqueue(new Uint8Array(6));
        }
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

async function failure(p: Promise<unknown>): Promise<TokenscopeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TokenscopeError) return e;
    throw e;
  }
  throw new Error('expected a TokenscopeError');
}

describe('readCapped', () => {
  it('reads a body of exactly the cap, and nothing for no body', async () => {
    const bytes = new Uint8Array(10).fill(65);
    expect(await readCapped(new Response(bytes).body, { maxBytes: 10 })).toEqual(bytes);
    expect(await readCapped(null, { maxBytes: 10 })).toEqual(new Uint8Array(0));
    expect(await readCappedText(Readable.from([Buffer.from('zo'), Buffer.from('ë')]), { maxBytes: 4 })).toBe('zoë');
  });

  it('one byte over the cap is ERR_INPUT_TOO_LARGE, and the stream is cancelled before it is read to the end', async () => {
    const body = webStream(100);
    const error = await failure(readCapped(body.stream, { maxBytes: 11, what: 'the JWKS document' }));
    expect(error.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(error.message).toBe('the JWKS document is larger than 11 bytes');
    expect(body.cancelled()).toBe(true);
    expect(body.pulled()).toBeLessThan(5);
  });

  it('throws the code the caller names, and destroys a Node stream', async () => {
    const source = Readable.from([Buffer.alloc(1024), Buffer.alloc(1024), Buffer.alloc(1)]);
    const error = await failure(readCapped(source, { maxBytes: 2048, code: 'ERR_JWKS_FETCH' }));
    expect(error.code).toBe('ERR_JWKS_FETCH');
    expect(error.message).toBe('the body is larger than 2 KiB');
    expect(source.destroyed).toBe(true);
  });
});

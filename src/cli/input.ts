/** Token text from a FILE argument or stdin, capped at the token domain's 1 MiB like every other front door. */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { TokenscopeError } from '../shared/result.ts';
import { MAX_INPUT_BYTES } from '../shared/token/inspect.ts';
import type { CliIo } from './io.ts';

const TOO_LARGE = 'the input is larger than 1 MiB';

/** Reads at most `limit` bytes (+1 to detect more) from a stream. */
async function readLimited(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw new TokenscopeError('ERR_INPUT_TOO_LARGE', TOO_LARGE);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of FILE, or stdin for `-` / no file; ERR_INPUT_TOO_LARGE past 1 MiB, ERR_NOT_FOUND for a missing file. */
export async function readInput(file: string | undefined, io: CliIo): Promise<string> {
  if (file === undefined || file === '-') return readLimited(io.stdin, MAX_INPUT_BYTES);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new TokenscopeError(
      code === 'ENOENT' ? 'ERR_NOT_FOUND' : 'ERR_INVALID_ARGUMENT',
      `cannot read ${file.slice(0, 200)}${code ? ` (${code})` : ''}`,
    );
  }
  if (data.length > MAX_INPUT_BYTES) throw new TokenscopeError('ERR_INPUT_TOO_LARGE', TOO_LARGE);
  return data.toString('utf8');
}

/** At most one FILE (or - for stdin) among the positionals. */
export function oneInput(positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give at most one FILE (or - for stdin)');
  return positionals[0];
}

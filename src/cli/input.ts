/** Token text from a FILE argument or stdin, capped at the token domain's 1 MiB like every other front door. */
import { createReadStream } from 'node:fs';
import { readCappedText } from '../main/http/read-capped.ts';
import { TokenscopeError } from '../shared/result.ts';
import { MAX_INPUT_BYTES } from '../shared/token/inspect.ts';
import type { CliIo } from './io.ts';

const CAP = { maxBytes: MAX_INPUT_BYTES, what: 'the input' } as const;

/**
 * The text of FILE, or stdin for `-` / no file, read as a stream and refused as soon as it passes 1 MiB
 * (ERR_INPUT_TOO_LARGE; devices and FIFOs included); ERR_NOT_FOUND for a missing file.
 */
export async function readInput(file: string | undefined, io: CliIo): Promise<string> {
  if (file === undefined || file === '-') return readCappedText(io.stdin, CAP);
  try {
    return await readCappedText(createReadStream(file), CAP);
  } catch (e) {
    if (e instanceof TokenscopeError) throw e;
    const code = (e as { code?: string }).code;
    throw new TokenscopeError(
      code === 'ENOENT' ? 'ERR_NOT_FOUND' : 'ERR_INVALID_ARGUMENT',
      `cannot read ${file.slice(0, 200)}${code ? ` (${code})` : ''}`,
    );
  }
}

/** At most one FILE (or - for stdin) among the positionals. */
export function oneInput(positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give at most one FILE (or - for stdin)');
  return positionals[0];
}

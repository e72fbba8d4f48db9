/** Command-line arguments: parseArgs with our error, and the option kinds every command's table is made of. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { TokenscopeError } from '../shared/result.ts';

export const STRING = { type: 'string' } as const;
export const FLAG = { type: 'boolean' } as const;
/** A string option that may be given more than once. */
export const STRINGS = { type: 'string', multiple: true } as const;

/** Several string options at once: `{ ...strings('filter', 'status'), json: FLAG }`. */
export function strings<K extends string>(...names: readonly K[]): Record<K, typeof STRING> {
  return Object.fromEntries(names.map((name) => [name, STRING])) as Record<K, typeof STRING>;
}

/** parseArgs (strict) with ERR_INVALID_ARGUMENT for an unknown or malformed option. */
export function parseOptions<O extends ParseArgsOptionsConfig>(args: readonly string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (e) {
    // Node's message whole, on one line: its last sentence is the hint (write `--opt=-value` for a value
    // that starts with a dash).
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', (e as Error).message.split('\n').join(' ') || 'bad arguments');
  }
}

/** A usage error: exit 2. */
export function badInput(message: string): TokenscopeError {
  return new TokenscopeError('ERR_INVALID_ARGUMENT', message);
}

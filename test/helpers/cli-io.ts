import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.ts';

/** An in-process CliIo that keeps what a command wrote, with an empty stdin. */
export function io(env: NodeJS.ProcessEnv): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: Readable.from([]),
    env,
    out: () => out,
    err: () => err,
  };
}

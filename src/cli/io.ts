/** What a CLI command needs from the outside world, so commands are testable in-process. */
import type { Readable } from 'node:stream';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: process.stdin,
    env: process.env,
  };
}

/** The one way a command reports a failure: `error ERR_…: message` on stderr, never a stack trace. */
export function printError(io: CliIo, code: string, message: string): void {
  io.stderr(`error ${code}: ${message.split('\n')[0] ?? ''}\n`);
}

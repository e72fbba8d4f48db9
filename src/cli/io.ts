/** What a CLI command needs from the outside world, so commands are testable in-process. */
import type { Readable } from 'node:stream';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** The exit status; a thrown error is printed by main() with its status from exit-codes.ts. */
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

/** What a CLI command needs from the outside world, so commands are testable in-process. */
import type { Readable } from 'node:stream';
import { inertJson, inertLines } from '../shared/text/inert.ts';

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
  /** Its stdout is always JSON (not only with --json): kept exact JSON by the inert writer. */
  readonly jsonOutput?: boolean;
  /** The exit status; a thrown error is printed by main() with its status from exit-codes.ts. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown by a write once the reader of stdout/stderr has gone (EPIPE): main() ends quietly. */
export class OutputClosed extends Error {
  constructor() {
    super('the output was closed');
    this.name = 'OutputClosed';
  }
}

export function processIo(): CliIo {
  // A closed pipe (`| head -1`) is reported as an 'error' event after the write: without a listener Node
  // prints an EPIPE stack trace. Every later write throws OutputClosed, which main() turns into a quiet exit.
  let closed = false;
  const onError = (): void => {
    closed = true;
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
  const writer =
    (stream: NodeJS.WriteStream) =>
    (t: string): void => {
      if (closed) throw new OutputClosed();
      stream.write(t);
    };
  return { stdout: writer(process.stdout), stderr: writer(process.stderr), stdin: process.stdin, env: process.env };
}

/**
 * The one place output is made inert (see src/shared/text/inert.ts): every command writes through this
 * io, so no control, C1 or bidi character of a token or a server's answer reaches the terminal raw.
 * `json`: stdout is JSON, escaped so that it stays exact JSON for the same value.
 */
export function inertIo(io: CliIo, json: boolean): CliIo {
  return {
    ...io,
    stdout: (t) => io.stdout(json ? inertJson(t) : inertLines(t)),
    stderr: (t) => io.stderr(inertLines(t)),
  };
}

/** The one way a command reports a failure: `error ERR_…: message` on stderr, never a stack trace. */
export function printError(io: CliIo, code: string, message: string): void {
  io.stderr(`error ${code}: ${message.split('\n')[0] ?? ''}\n`);
}

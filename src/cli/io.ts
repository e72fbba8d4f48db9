/** What a CLI command needs from the outside world, so commands are testable in-process. */
import type { Readable } from 'node:stream';
import { inertJson, inertLines, inertText } from '../shared/text/inert.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
  /** Present only when stderr is a terminal: what progress can do there and nowhere else. */
  readonly terminal?: Terminal;
  /** The command was asked for JSON (--json): a failure is also written to stdout as {"error":{"code","message"}}. */
  readonly json?: boolean;
}

/** stderr as a terminal: one status line redrawn in place (a countdown, a counter), and our own drawings. */
export interface Terminal {
  /** Replaces the status line with `line` (one line, made inert). */
  readonly status: (line: string) => void;
  /** Removes the status line, so the next write starts on a clean line. */
  readonly clearStatus: () => void;
  /** Text written as it is: only for what Tokenscope draws itself (the QR code's colours), never a server's text. */
  readonly raw: (text: string) => void;
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
  // Each stream is touched at its first use only (creating one costs milliseconds at start: `--version`
  // never reads stdin).
  let closed = false;
  const onError = (): void => {
    closed = true;
  };
  const writer = (stream: () => NodeJS.WriteStream): ((t: string) => void) => {
    let listening = false;
    return (t) => {
      if (closed) throw new OutputClosed();
      const s = stream();
      if (!listening) {
        s.on('error', onError);
        listening = true;
      }
      s.write(t);
    };
  };
  const stderr = writer(() => process.stderr);
  // \r and "erase line" (CSI 2K) redraw the status line; only on a terminal.
  const terminal: Terminal = {
    status: (line) => stderr(`\r\u001b[2K${line}`),
    clearStatus: () => stderr('\r\u001b[2K'),
    raw: stderr,
  };
  return {
    stdout: writer(() => process.stdout),
    stderr,
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    get terminal() {
      return process.stderr.isTTY ? terminal : undefined;
    },
  };
}

/**
 * The one place output is made inert (see src/shared/text/inert.ts): every command writes through this
 * io, so no control, C1 or bidi character of a token or a server's answer reaches the terminal raw.
 * `json`: stdout is JSON, escaped so that it stays exact JSON for the same value.
 */
export function inertIo(io: CliIo, json: boolean): CliIo {
  // No spread of `io`: its stdin and terminal are read when a command asks (see processIo).
  let terminal: Terminal | undefined | null = null;
  return {
    stdout: (t) => io.stdout(json ? inertJson(t) : inertLines(t)),
    stderr: (t) => io.stderr(inertLines(t)),
    get stdin() {
      return io.stdin;
    },
    env: io.env,
    json,
    get terminal() {
      if (terminal === null) {
        const raw = io.terminal;
        terminal = raw && { status: (line) => raw.status(inertText(line)), clearStatus: raw.clearStatus, raw: raw.raw };
      }
      return terminal;
    },
  };
}

/**
 * The one way a command reports a failure: `error ERR_…: message` on stderr, never a stack trace; under --json also
 * `{"error":{"code","message"}}` on stdout, so a script reads every outcome as JSON.
 */
export function printError(io: CliIo, code: string, message: string): void {
  const line = message.split('\n')[0] ?? '';
  io.stderr(`error ${code}: ${line}\n`);
  if (io.json === true) io.stdout(`${JSON.stringify({ error: { code, message: line } })}\n`);
}

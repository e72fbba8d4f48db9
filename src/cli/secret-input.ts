/**
 * Secrets the CLI asks for: a passphrase from a file (--passphrase-file, --new-passphrase-file), from the environment,
 * or typed at a no-echo prompt on a terminal. Two secrets, two names: TOKENSCOPE_PASSPHRASE is the history's key and
 * only that; a bundle's passphrase is TOKENSCOPE_BUNDLE_PASSPHRASE (or its file, or the prompt), never the history's.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { readCappedText } from '../main/http/read-capped.ts';
import { TokenscopeError } from '../shared/result.ts';
import type { CliIo } from './io.ts';

export const BUNDLE_PASSPHRASE_ENV = 'TOKENSCOPE_BUNDLE_PASSPHRASE';
/** No passphrase is longer; a bigger "passphrase file" is the wrong file. */
const MAX_PASSPHRASE_BYTES = 4096;
const ETX = '\u0003';
const EOT = '\u0004';

/** A passphrase file's text without its final newline; ERR_INVALID_ARGUMENT when it cannot be read. */
export async function readPassphraseFile(path: string, flag: string): Promise<string> {
  let text: string;
  try {
    text = await readCappedText(createReadStream(path), { maxBytes: MAX_PASSPHRASE_BYTES, what: flag });
  } catch (e) {
    if (e instanceof TokenscopeError) throw e;
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `cannot read ${flag}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new TokenscopeError('ERR_INVALID_ARGUMENT', `${flag} is empty`);
  return passphrase;
}

/** What the prompt needs of a terminal on stdin (a tty.ReadStream, or a test's stand-in). */
interface Terminal {
  readonly stream: Readable;
  setRawMode(on: boolean): void;
}

function terminalOf(io: CliIo): Terminal | null {
  const stdin = io.stdin as Readable & { isTTY?: unknown; setRawMode?: unknown };
  const { setRawMode } = stdin;
  if (stdin.isTTY !== true || typeof setRawMode !== 'function') return null;
  return { stream: io.stdin, setRawMode: (on) => void Reflect.apply(setRawMode, stdin, [on]) };
}

/** Whether the CLI can ask (stdin is a terminal, so it is not the data). */
export function canPrompt(io: CliIo): boolean {
  return terminalOf(io) !== null;
}

/**
 * Asks on stderr and reads a line from the terminal with echo off (raw mode: nothing typed is shown, not even
 * stars). Ctrl-C or Ctrl-D on an empty line is ERR_CANCELLED. Null when stdin is not a terminal.
 */
export function promptHidden(io: CliIo, question: string): Promise<string | null> {
  const tty = terminalOf(io);
  if (tty === null) return Promise.resolve(null);
  io.stderr(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: TokenscopeError | null): void => {
      tty.stream.off('data', onData);
      tty.setRawMode(false);
      tty.stream.pause();
      io.stderr('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === ETX || (ch === EOT && typed === '')) return finish(new TokenscopeError('ERR_CANCELLED', 'cancelled'));
        if (ch === EOT) return finish(null);
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
        if (typed.length > MAX_PASSPHRASE_BYTES) return finish(new TokenscopeError('ERR_INPUT_TOO_LARGE', 'too long'));
      }
      return undefined;
    };
    tty.setRawMode(true);
    tty.stream.on('data', onData);
    tty.stream.resume();
  });
}

/**
 * A bundle's passphrase: --passphrase-file, else TOKENSCOPE_BUNDLE_PASSPHRASE, else, to encrypt, the prompt on a
 * terminal — twice, so a typo does not lock the file. An import asks only once it knows the bundle is encrypted
 * ('decrypt-if-needed': undefined here). Undefined when none can be had.
 */
export async function bundlePassphrase(
  io: CliIo,
  file: string | undefined,
  purpose: 'encrypt' | 'decrypt-if-needed',
): Promise<string | undefined> {
  if (file !== undefined) return readPassphraseFile(file, '--passphrase-file');
  const fromEnv = io.env[BUNDLE_PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  if (purpose === 'decrypt-if-needed') return undefined;
  const typed = await promptHidden(io, 'Passphrase for the bundle: ');
  if (typed === null) return undefined;
  const again = await promptHidden(io, 'The same passphrase again: ');
  if (again !== typed) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the two passphrases differ: nothing was exported');
  return typed;
}

export const NEW_PASSPHRASE_ENV = 'TOKENSCOPE_NEW_PASSPHRASE';

/**
 * The history's new passphrase: --new-passphrase-file, else TOKENSCOPE_NEW_PASSPHRASE, else typed twice at the no-echo
 * prompt (a typo would lock the history). ERR_INVALID_ARGUMENT when none can be had or the two differ.
 */
export async function newHistoryPassphrase(io: CliIo, file: string | undefined): Promise<string> {
  if (file !== undefined) return readPassphraseFile(file, '--new-passphrase-file');
  const fromEnv = io.env[NEW_PASSPHRASE_ENV];
  if (fromEnv) return fromEnv;
  const typed = await promptHidden(io, 'New passphrase for the history: ');
  if (typed === null) {
    throw new TokenscopeError(
      'ERR_INVALID_ARGUMENT',
      `give the new passphrase with --new-passphrase-file FILE or ${NEW_PASSPHRASE_ENV} (or run it on a terminal)`,
    );
  }
  const again = await promptHidden(io, 'The same passphrase again: ');
  if (again !== typed) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'the two passphrases differ: nothing was changed');
  return typed;
}

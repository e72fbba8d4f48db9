/** Every `tokenscope` subcommand, in the order `--help` lists them. */
import type { Command } from '../io.ts';
import { serveCommand } from './serve.ts';

export const COMMANDS: readonly Command[] = [
  serveCommand,
];

/** Every `tokenscope` subcommand, in the order `--help` lists them. */
import type { Command } from '../io.ts';
import { serveCommand } from './serve.ts';
import { historyCommand } from './history.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { inspectCommand } from './inspect.ts';
import { formatsCommand } from './formats.ts';
import { convertCommand } from './convert.ts';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  historyCommand,
  exportCommand,
  importCommand,
  inspectCommand,
  formatsCommand,
  convertCommand,
];

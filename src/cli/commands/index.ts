/** Every `tokenscope` subcommand, in the order `--help` lists them. */
import type { Command } from '../io.ts';
import { serveCommand } from './serve.ts';
import { historyCommand } from './history.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { inspectCommand } from './inspect.ts';
import { formatsCommand } from './formats.ts';
import { convertCommand } from './convert.ts';
import { diffCommand } from './diff.ts';
import { profileCommand } from './profile.ts';
import { loginCommand } from './login.ts';
import { refreshCommand } from './refresh.ts';
import { revokeCommand } from './revoke.ts';
import { introspectCommand } from './introspect.ts';
import { userinfoCommand } from './userinfo.ts';
import { deviceCommand } from './device.ts';
import { clientCredentialsCommand } from './client-credentials.ts';
import { callCommand } from './call.ts';
import { exchangeCommand } from './exchange.ts';
import { logCommand } from './log.ts';
import { passphraseCommand } from './passphrase.ts';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  historyCommand,
  exportCommand,
  importCommand,
  passphraseCommand,
  inspectCommand,
  formatsCommand,
  convertCommand,
  diffCommand,
  profileCommand,
  loginCommand,
  deviceCommand,
  clientCredentialsCommand,
  refreshCommand,
  revokeCommand,
  introspectCommand,
  userinfoCommand,
  exchangeCommand,
  callCommand,
  logCommand,
];

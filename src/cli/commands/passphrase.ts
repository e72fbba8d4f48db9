/** `tokenscope passphrase change`: the history's data keys re-wrapped with a new passphrase (from a passphrase or the key file). */
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { newHistoryPassphrase } from '../secret-input.ts';

export const passphraseCommand: Command = {
  name: 'passphrase',
  summary: "change the history's passphrase (or protect a key-file history with one)",
  usage: [
    'tokenscope passphrase change [--new-passphrase-file FILE] [--json]',
    '  Opens the history with its current key (TOKENSCOPE_PASSPHRASE, or the key file when it is not set) and',
    '  re-wraps its data keys with the new passphrase: --new-passphrase-file, else TOKENSCOPE_NEW_PASSPHRASE, else',
    '  asked twice (no echo). From then on every run needs TOKENSCOPE_PASSPHRASE set to the new one; a key file is deleted.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: FLAG, 'new-passphrase-file': STRING }, true);
    if (positionals[0] !== 'change' || positionals.length > 1) {
      throw badInput('usage: tokenscope passphrase change [--new-passphrase-file FILE] [--json]');
    }
    return withBackend(io, { history: 'disk' }, async (backend) => {
      // The history opens first (with its current key): a wrong current passphrase is refused before anything is asked.
      unwrap(await backend.storageStatus());
      const newPassphrase = await newHistoryPassphrase(io, values['new-passphrase-file']);
      const result = unwrap(await backend.changePassphrase({ newPassphrase }));
      if (values.json === true) io.stdout(`${JSON.stringify(result)}\n`);
      else {
        io.stdout(
          `${String(result.rewrappedKeys)} data key(s) re-wrapped: ${result.status.protectionName.label}. ${result.message}\n`,
        );
        if (result.unreadableKeys > 0) {
          io.stdout(
            `${String(result.unreadableKeys)} data key(s) could not be read with the old key: their tokens stay unreadable\n`,
          );
        }
      }
      return EXIT_OK;
    });
  },
};

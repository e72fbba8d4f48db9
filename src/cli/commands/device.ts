/** `tokenscope device`: the device authorization grant (RFC 8628): show the code and a QR code, poll, store the tokens. */
import type { CliIo, Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { FLAG, parseOptions, STRING } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { checkProfileOrDemo, printTokens, profileIdOf, waitForFlow } from '../oauth-cli.ts';

/**
 * The QR code of `url` for a phone's camera: on a terminal in its colours (the qrcode package's terminal
 * renderer, dark modules on an explicit light background), elsewhere in plain block characters.
 */
async function showQr(io: CliIo, url: string): Promise<void> {
  const { default: qrcode } = await import('qrcode');
  const drawing = io.terminal
    ? await qrcode.toString(url, { type: 'terminal', small: true })
    : await qrcode.toString(url, { type: 'utf8' });
  const lines = drawing.endsWith('\n') ? drawing : `${drawing}\n`;
  if (io.terminal) io.terminal.raw(lines);
  else io.stderr(lines);
}

export const deviceCommand: Command = {
  name: 'device',
  summary: 'sign in with the device authorization grant: show a user code and QR code, wait for approval, store the tokens',
  usage: 'tokenscope device --profile NAME|--demo [--no-qr] [--json]',
  async run(args, io) {
    const { values } = parseOptions(args, { profile: STRING, demo: FLAG, json: FLAG, 'no-qr': FLAG });
    checkProfileOrDemo(values);
    return withBackend(io, { history: 'disk' }, async (backend) => {
      const start = unwrap(await backend.startDeviceFlow({ profileId: await profileIdOf(backend, values) }));
      io.stderr(`To sign in, open ${start.verificationUri} on any device and enter the code\n\n    ${start.userCode}\n\n`);
      const qr = values['no-qr'] !== true;
      const complete = start.verificationUriComplete;
      if (complete !== null) io.stderr(`or open ${complete}, the code filled in${qr ? ', or scan this QR code:' : ''}\n`);
      else if (qr) io.stderr(`or scan this QR code (it opens ${start.verificationUri}):\n`);
      if (qr) await showQr(io, complete ?? start.verificationUri);
      printTokens(io, await waitForFlow(backend, io, start), values.json);
      return EXIT_OK;
    });
  },
};

/** `tokenscope serve`: the UI in a browser tab, backed by the same services as the desktop app. */
import { parseArgs } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../main/services.ts';
import { createNodePlatform, openInSystemBrowser } from '../../main/node-platform.ts';
import { startServer } from '../../serve/server.ts';
import { EXIT_BAD_INPUT, EXIT_OK, printError, type Command } from '../io.ts';
import { toAppError } from '../../shared/result.ts';

export const RENDERER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'out', 'renderer');

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the Tokenscope UI on 127.0.0.1 and open it in the browser',
  usage: 'tokenscope serve [--port N] [--no-open]',
  async run(args, io) {
    let values: { port?: string; 'no-open'?: boolean };
    try {
      ({ values } = parseArgs({ args: [...args], options: { port: { type: 'string' }, 'no-open': { type: 'boolean' } } }));
    } catch (e) {
      printError(io, 'ERR_INVALID_ARGUMENT', (e as Error).message);
      return EXIT_BAD_INPUT;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      printError(io, 'ERR_INVALID_ARGUMENT', '--port must be a number from 0 to 65535');
      return EXIT_BAD_INPUT;
    }
    const platform = createNodePlatform({ mode: 'serve', env: io.env });
    let backend;
    try {
      backend = await createServices(platform);
    } catch (e) {
      const error = toAppError(e);
      printError(io, error.code, error.message);
      return 1;
    }
    let server;
    try {
      server = await startServer({ backend, staticDir: RENDERER_DIR, port });
    } catch (e) {
      await backend.close();
      const code = (e as { code?: string }).code === 'EADDRINUSE' ? 'ERR_PORT_IN_USE' : 'ERR_INTERNAL';
      printError(io, code, code === 'ERR_PORT_IN_USE' ? `port ${String(port)} is already in use` : 'could not start the server');
      return 1;
    }
    io.stdout(
      `Tokenscope is serving on ${server.url}\nOpen this URL (it carries this launch's secret):\n  ${server.launchUrl}\n`,
    );
    if (!values['no-open']) await openInSystemBrowser(server.launchUrl).catch(() => undefined);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await backend.close();
    return EXIT_OK;
  },
};

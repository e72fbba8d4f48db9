/** `tokenscope serve`: the UI in a browser tab, backed by the same services as the desktop app. */
import { join } from 'node:path';
import { APP } from '../../main/app-version.ts';
import { printError, type Command } from '../io.ts';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING } from '../args.ts';

/** The built renderer of this checkout (`npm run build:web`), wherever the CLI runs from (sources or bundle). */
const RENDERER_DIR = join(APP.root ?? '.', 'out', 'renderer');

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the Tokenscope UI on 127.0.0.1 and open it in the browser',
  usage:
    "tokenscope serve [--port N] [--no-open] [--json]\n  prints the one URL that opens the UI (it carries this launch's secret); Ctrl-C stops the server.",
  async run(args, io) {
    const { values } = parseOptions(args, { port: STRING, 'no-open': FLAG, json: FLAG });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw badInput('--port must be a number from 0 to 65535');
    // The serve front door: its own platform mode, the same services (imported now, not at the CLI's start).
    const [{ createServices }, { createNodePlatform, openInSystemBrowser }, { startServer }] = await Promise.all([
      import('../../main/services.ts'),
      import('../../main/node-platform.ts'),
      import('../../serve/server.ts'),
    ]);
    const backend = await createServices(createNodePlatform({ mode: 'serve', env: io.env }));
    let server;
    try {
      server = await startServer({ backend, staticDir: RENDERER_DIR, port });
    } catch (e) {
      await backend.close();
      const code = (e as { code?: string }).code === 'EADDRINUSE' ? 'ERR_PORT_IN_USE' : 'ERR_INTERNAL';
      printError(io, code, code === 'ERR_PORT_IN_USE' ? `port ${String(port)} is already in use` : 'could not start the server');
      return EXIT_FAILURE;
    }
    // Only the URL that works: the bare address without the launch secret opens nothing but a page saying so.
    io.stdout(values.json === true ? `${JSON.stringify({ url: server.launchUrl })}\n` : `${server.launchUrl}\n`);
    io.stderr("Tokenscope is serving the UI at the URL above (it carries this launch's secret); Ctrl-C stops it.\n");
    if (!values['no-open']) await openInSystemBrowser(server.openUrl).catch(() => undefined);
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

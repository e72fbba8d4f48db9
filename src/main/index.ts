/** Electron entry (built to out/main/index.mjs): finds the built preload and renderer and starts the desktop app. */
import { join } from 'node:path';
import { startDesktopApp } from './electron/app.ts';

const here = import.meta.dirname;

startDesktopApp({
  rendererDir: join(here, '..', 'renderer'),
  preloadPath: join(here, '..', 'preload', 'index.cjs'),
}).catch((error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  process.stderr.write(`error ${typeof code === 'string' ? code : 'ERR_INTERNAL'}: Tokenscope could not start\n`);
  process.exitCode = 1;
});

// Tries to fetch the Electron binary (electron's own install script is denied in package.json's
// allowScripts, so this is the one place it runs). Never fails the install: without a binary it prints
// one line pointing at `npm run serve`, which gives the same UI in a browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

export const NO_ELECTRON_LINE =
  'tokenscope: the Electron binary is not available on this machine; `npm run serve` gives the same UI in a browser.';

/** The installed Electron executable, or null (checks path.txt and the file it names, without downloading). */
export function electronBinaryPath() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? p : null;
  }
  try {
    const rel = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const full = join(electronDir, 'dist', rel);
    return rel && existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

function main() {
  if (electronBinaryPath()) return;
  const installer = join(electronDir, 'install.js');
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(installer)) {
    process.stdout.write(`${NO_ELECTRON_LINE}\n`);
    return;
  }
  const timeout = Number(process.env.TOKENSCOPE_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 60_000;
  // Output captured, not shown: a failed download prints a stack trace we replace with one line.
  const result = spawnSync(process.execPath, [installer], {
    cwd: electronDir,
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0 && electronBinaryPath()) {
    process.stdout.write('tokenscope: Electron binary installed.\n');
    return;
  }
  process.stdout.write(`${NO_ELECTRON_LINE}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch {
    process.stdout.write(`${NO_ELECTRON_LINE}\n`);
  }
  process.exitCode = 0;
}

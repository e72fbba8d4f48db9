// `npm start`: the desktop app through electron-vite (dev server + hot reload). Without an Electron
// binary it prints one line pointing at `npm run serve` instead of a stack trace.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryPath, NO_ELECTRON_LINE } from './install-electron.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!electronBinaryPath()) {
  process.stdout.write(`${NO_ELECTRON_LINE}\n`);
  process.exit(0);
}
const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const child = spawn(process.execPath, [cli, 'dev', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

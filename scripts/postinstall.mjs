// After `npm install`: try to fetch the Electron binary (never failing the install), bundle the CLI
// (out/cli, see scripts/build-cli.mjs) so `tokenscope` starts from plain JavaScript, then build the web
// renderer so `tokenscope serve` works straight from the checkout. A failed build never fails the install:
// bin/tokenscope.mjs then runs the sources.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installElectron = join(root, 'scripts', 'install-electron.mjs');
if (existsSync(installElectron)) {
  spawnSync(process.execPath, [installElectron], { stdio: 'inherit', cwd: root });
}
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (existsSync(viteBin)) {
  const cli = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit', cwd: root });
  if (cli.status !== 0)
    process.stdout.write(
      'tokenscope: the CLI bundle did not build (the CLI runs from its sources); run `npm run build:cli` to see why\n',
    );
}
if (existsSync(viteBin)) {
  const r = spawnSync(process.execPath, [viteBin, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) process.stdout.write('tokenscope: the web renderer did not build; run `npm run build:web` to see why\n');
}

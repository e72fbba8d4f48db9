#!/usr/bin/env node
// The `tokenscope` command: runs the TypeScript sources directly on Node 24 (type stripping, no build
// step). On an older system Node it re-runs itself with the project's own Node 24 (the `node` devDependency).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major < 24) {
  const candidates = [join(root, 'node_modules', 'node', 'bin', 'node'), join(root, 'node_modules', '.bin', 'node')];
  const own = candidates.find((p) => existsSync(p));
  if (!own) {
    process.stderr.write(
      `error ERR_UNAVAILABLE: tokenscope needs Node 24 or newer (this is ${process.version}); run \`npm install\` in ${root}\n`,
    );
    process.exit(2);
  }
  const child = spawn(own, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  // Ctrl-C or a kill ends quietly with the shell's 128 + signal status, unless a command is listening
  // itself (serve stops its server, a login cancels its flow) and then ends as it decides.
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      if (process.listenerCount(signal) <= 1) process.exit(status);
    });
  }
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  const { main } = await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
  process.exitCode = await main(process.argv.slice(2));
}

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
  child.on('exit', (code, signal) => {
    if (code !== null || !signal) process.exit(code ?? 0);
    // ended by a signal: end by the same one, so the shell sees 128 + its number
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  // Ctrl-C or a kill ends quietly, without a trace, unless a command listens itself (serve stops its server,
  // a login cancels its flow) and ends as it decides. The signal is raised again with its default action, so
  // the shell sees 130 (SIGINT) or 143 (SIGTERM) and a calling script stops too; process.exit() would wait
  // for a read blocked in the thread pool (a FIFO with no writer) and hang.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const ownListener = () => {
      if (process.listenerCount(signal) > ownListeners) return;
      process.removeListener(signal, ownListener);
      process.kill(process.pid, signal);
    };
    process.on(signal, ownListener);
    // Listeners already there (a preloaded module's) do not count as a command's.
    const ownListeners = process.listenerCount(signal);
  }
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  const { main } = await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
  process.exitCode = await main(process.argv.slice(2));
}

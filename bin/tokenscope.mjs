#!/usr/bin/env node
// The `tokenscope` command. It runs the bundle out/cli/main.mjs (built by `npm install`'s postinstall or
// `npm run build:cli`) while every source file it was built from is unchanged, and the TypeScript sources
// directly (Node 24 type stripping) when the bundle is missing or stale; `tokenscope --version --verbose`
// says which. TOKENSCOPE_CLI_FROM=sources forces the sources. On an older system Node it re-runs itself with
// the project's own Node 24 (the `node` devDependency).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = join(root, 'out', 'cli');

/** The first source file that differs from what the bundle was built from, or null when none does. */
function changedSource(files) {
  // Cheap on purpose (this runs at every start): one stat per file, a hash only when a time differs.
  const prefix = `${root}/`;
  for (const [path, size, mtimeMs, sha256] of files) {
    const full = prefix + path;
    let stat;
    try {
      stat = statSync(full);
    } catch {
      return path;
    }
    if (stat.size !== size) return path;
    // Same size, another time (a checkout, a touch): the content decides.
    if (stat.mtimeMs !== mtimeMs && sha256Of(full) !== sha256) return path;
  }
  return null;
}

function sha256Of(file) {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Which entry runs, and why, in words for `--version --verbose`. */
function cliEntry() {
  const sources = (why) => ({
    path: join(root, 'src', 'cli', 'main.ts'),
    describe: `running from the TypeScript sources (${why})`,
  });
  if (process.env.TOKENSCOPE_CLI_FROM === 'sources') return sources('TOKENSCOPE_CLI_FROM=sources');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(bundleDir, 'sources.json'), 'utf8'));
  } catch {
    return sources('no bundle in out/cli: run `npm run build:cli`');
  }
  const changed = Array.isArray(manifest.files) ? changedSource(manifest.files) : 'sources.json';
  if (changed !== null) return sources(`the bundle is stale: ${changed} changed since it was built; run \`npm run build:cli\``);
  return {
    path: join(bundleDir, 'main.mjs'),
    describe: `running from the bundle out/cli/main.mjs (built from ${manifest.files.length} unchanged source files)`,
  };
}

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
  // Compiled code is cached between runs (in the OS temp folder): a start parses nothing it parsed before.
  // (Looked up on the namespace: an old Node, which only re-runs this file, has no such export.)
  nodeModule.enableCompileCache?.();
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
  const entry = cliEntry();
  const { main } = await import(pathToFileURL(entry.path).href);
  process.exitCode = await main(process.argv.slice(2), undefined, entry.describe);
}

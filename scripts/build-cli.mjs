// `npm run build:cli` (and postinstall): the `tokenscope` command as one bundled JavaScript entry in out/cli/,
// so Node parses plain JavaScript at start instead of stripping the types of every TypeScript module.
// The back end is split into chunks loaded when a command needs it (dynamic imports in src/cli), so
// `--version` and `inspect FILE` load neither the store, OAuth, the demo issuer nor better-sqlite3.
// Beside the bundle, sources.json records every source file it was built from (size, mtime, SHA-256):
// bin/tokenscope.mjs runs the bundle only while they are unchanged, and the sources otherwise.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out-dir DIR`: another folder (the tests build one of their own); the files' paths stay relative to root.
const outArg = process.argv.indexOf('--out-dir');
const outDir = outArg > 0 && process.argv[outArg + 1] ? resolve(process.argv[outArg + 1]) : join(root, 'out', 'cli');
/** Loaded from node_modules at run time: native code (better-sqlite3) or a server framework too dynamic to bundle. */
const RUNTIME_EXTERNALS = ['better-sqlite3', 'oidc-provider'];

/** A file that, when changed, makes the bundle stale: a module of the bundle or this build script. */
function fileRecord(path) {
  const stat = statSync(path);
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  return [relative(root, path).split(sep).join('/'), stat.size, stat.mtimeMs, hash];
}

const sourcesManifest = {
  name: 'tokenscope-cli-sources',
  generateBundle(_options, bundle) {
    const ids = new Set([fileURLToPath(import.meta.url)]);
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      for (const id of chunk.moduleIds) {
        if (id.startsWith(root) && !id.includes(`${sep}node_modules${sep}`) && !id.includes('\0')) ids.add(id.split('?')[0]);
      }
    }
    const files = [...ids].sort().map(fileRecord);
    this.emitFile({ type: 'asset', fileName: 'sources.json', source: `${JSON.stringify({ version: 1, files })}\n` });
  },
};

const started = performance.now();
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  plugins: [sourcesManifest],
  ssr: { target: 'node', noExternal: true, external: RUNTIME_EXTERNALS },
  build: {
    ssr: join(root, 'src', 'cli', 'main.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node24',
    minify: false,
    reportCompressedSize: false,
    copyPublicDir: false,
    rolldownOptions: {
      external: (id) => RUNTIME_EXTERNALS.some((name) => id === name || id.startsWith(`${name}/`)),
      output: { format: 'es', entryFileNames: 'main.mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
const count = JSON.parse(readFileSync(join(outDir, 'sources.json'), 'utf8')).files.length;
writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
process.stdout.write(
  `tokenscope: CLI bundle in ${relative(root, outDir) || outDir}/ from ${String(count)} files (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
);

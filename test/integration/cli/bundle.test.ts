/**
 * The CLI bundle (scripts/build-cli.mjs → out/cli) and how bin/tokenscope.mjs picks it: the bundle while
 * every source it was built from is unchanged, the sources when it is missing or stale (said by
 * `--version --verbose`); and what a command loads: `--version` and `inspect FILE` load neither the store,
 * OAuth, the demo issuer nor better-sqlite3, from the bundle and from the sources alike.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { freshDir } from '../../helpers/temp-dir.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'tokenscope.mjs');

/**
 * A checkout of its own: bin/ and package.json copied, src, scripts and node_modules linked to this one,
 * its bundle built into its out/cli (the manifest's paths are relative, so they name the same files).
 */
let home = '';
let jwtFile = '';
/** Preloaded into a child: writes every module URL the child resolved to RECORD_TO when it exits. */
let recorder = '';

beforeAll(async () => {
  home = freshDir('tokenscope-bundle-');
  mkdirSync(join(home, 'bin'));
  copyFileSync(BIN, join(home, 'bin', 'tokenscope.mjs'));
  copyFileSync(join(ROOT, 'package.json'), join(home, 'package.json'));
  for (const dir of ['src', 'scripts', 'node_modules']) symlinkSync(join(ROOT, dir), join(home, dir));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs'), '--out-dir', join(home, 'out', 'cli')], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  jwtFile = join(home, 'one.jwt');
  const secret = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');
  const jwt = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secret);
  writeFileSync(jwtFile, jwt);
  recorder = join(home, 'record-modules.mjs');
  writeFileSync(
    recorder,
    [
      "import { registerHooks } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      'const seen = [];',
      'registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });',
      "process.on('exit', () => writeFileSync(process.env.RECORD_TO, seen.join('\\n')));",
      '',
    ].join('\n'),
  );
}, 120_000);

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly modules: readonly string[];
}

function tokenscope(args: readonly string[], env: NodeJS.ProcessEnv = {}): Ran {
  const record = join(freshDir(), 'modules.txt');
  const r = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(recorder).href, join(home, 'bin', 'tokenscope.mjs'), ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, TOKENSCOPE_DATA_DIR: freshDir(), RECORD_TO: record, ...env },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules: readFileSync(record, 'utf8').split('\n') };
}

/** What `--version` and `inspect FILE` must not load, as module URLs of the sources or of the bundle. */
const HEAVY = [
  /\/node_modules\/better-sqlite3\//,
  /\/node_modules\/oidc-provider\//,
  // The store, not the key file reader beside it (node:crypto and node:fs only, part of the Node platform).
  /\/src\/main\/store\/(?!key-file-provider\.ts$)/,
  /\/src\/main\/(oauth|demo-issuer|history)\//,
  /\/src\/main\/services\.ts$/,
  /\/out\/cli\/chunks\/(services|history-service|demo-issuer)-/,
];

function heavyOf(modules: readonly string[]): string[] {
  return modules.filter((m) => HEAVY.some((re) => re.test(m)));
}

describe('the CLI bundle', () => {
  it('is what bin/tokenscope.mjs runs while its sources are unchanged, and --version --verbose says so', () => {
    const r = tokenscope(['--version', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tokenscope \d+\.\d+\.\d+\nnode v\d+/);
    expect(r.stdout).toMatch(/running from the bundle out\/cli\/main\.mjs \(built from \d+ unchanged source files\)/);
    expect(r.modules.some((m) => m.endsWith('/out/cli/main.mjs'))).toBe(true);
    expect(r.modules.some((m) => m.endsWith('.ts'))).toBe(false);
  });

  it('runs --version and inspect FILE without the store, OAuth, the demo issuer or better-sqlite3', () => {
    const version = tokenscope(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(heavyOf(version.modules)).toEqual([]);
    // The entry and the error codes it shares with the back end (result.ts): not even the command table.
    expect(version.modules.filter((m) => m.includes('/out/cli/chunks/') && !/\/chunks\/result-\w+\.mjs$/.test(m))).toEqual([]);
    const inspect = tokenscope(['inspect', jwtFile]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/^Signature unverified \(HS256\)/m);
    expect(heavyOf(inspect.modules)).toEqual([]);
    expect(inspect.modules.some((m) => m.includes('/out/cli/chunks/token-services-'))).toBe(true);
  });

  it('loads the history when a command needs it (history status opens the store and better-sqlite3)', () => {
    const r = tokenscope(['history', 'status']);
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.includes('/node_modules/better-sqlite3/'))).toBe(true);
    expect(r.modules.some((m) => /\/out\/cli\/chunks\/services-/.test(m))).toBe(true);
  });

  it('is not used once a source differs from what it was built from: the sources run, and --verbose names the file', () => {
    const manifestPath = join(home, 'out', 'cli', 'sources.json');
    const original = readFileSync(manifestPath, 'utf8');
    try {
      const manifest = JSON.parse(original) as { files: [string, number, number, string][] };
      const entry = manifest.files.find(([path]) => path === 'src/cli/main.ts');
      expect(entry).toBeDefined();
      // As if main.ts had been edited after the build: another time and content, the same size.
      if (entry) {
        entry[2] -= 1000;
        entry[3] = '0'.repeat(64);
      }
      writeFileSync(manifestPath, JSON.stringify(manifest));
      const r = tokenscope(['--version', '--verbose']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('running from the TypeScript sources (the bundle is stale: src/cli/main.ts changed');
      expect(r.modules.some((m) => m.endsWith('/src/cli/main.ts'))).toBe(true);
      // Only a time changed (a checkout, a touch), the content is the same: still the bundle.
      const touched = JSON.parse(original) as { files: [string, number, number, string][] };
      const same = touched.files.find(([path]) => path === 'src/cli/main.ts');
      if (same) same[2] -= 1000;
      writeFileSync(manifestPath, JSON.stringify(touched));
      expect(tokenscope(['--version', '--verbose']).stdout).toContain('running from the bundle');
    } finally {
      writeFileSync(manifestPath, original);
    }
  });

  it('is not needed: without it the sources run, said in words, and inspect still loads nothing heavy', () => {
    const out = join(home, 'out');
    const kept = join(home, 'out-kept');
    execFileSync('mv', [out, kept]);
    try {
      const r = tokenscope(['--version', '--verbose']);
      expect(r.stdout).toContain('running from the TypeScript sources (no bundle in out/cli: run `npm run build:cli`)');
      const inspect = tokenscope(['inspect', jwtFile]);
      expect(inspect.code).toBe(0);
      expect(inspect.stdout).toMatch(/^Signature unverified \(HS256\)/m);
      expect(heavyOf(inspect.modules)).toEqual([]);
      expect(inspect.modules.some((m) => m.endsWith('/src/main/token-services.ts'))).toBe(true);
      expect(heavyOf(tokenscope(['--version']).modules)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
      execFileSync('mv', [kept, out]);
    }
  });

  it('is built with every chunk under out/cli/chunks and a manifest of the sources it holds', () => {
    const manifest = JSON.parse(readFileSync(join(home, 'out', 'cli', 'sources.json'), 'utf8')) as {
      files: [string, number, number, string][];
    };
    const paths = manifest.files.map(([p]) => p);
    expect(paths).toContain('src/cli/main.ts');
    expect(paths).toContain('src/main/store/database.ts');
    expect(paths).toContain('scripts/build-cli.mjs');
    expect(paths.every((p) => !p.startsWith('/') && !p.includes('node_modules'))).toBe(true);
    expect(readdirSync(join(home, 'out', 'cli', 'chunks')).every((f) => f.endsWith('.mjs'))).toBe(true);
  });
});

// Packaging: the afterPack hook flips the fuses in a binary carrying Electron's fuse wire, the builder
// config declares the installers and unpacks better-sqlite3, and (when the app is built) a real
// electron-builder run over a stand-in Electron distribution produces an asar with the fuses flipped.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { ROOT } from '../../security/scan-gate.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

interface AfterPackModule {
  applyFuses(context: unknown, flip?: (path: string, config: unknown) => Promise<unknown>): Promise<string>;
  packagedElectronPath(context: unknown): string;
  fuseConfig(platform: string, arch: string): Record<string, unknown>;
}

const hookUrl = pathToFileURL(join(ROOT, 'build', 'after-pack.mjs')).href;
const loadHook = (): Promise<AfterPackModule> => import(hookUrl) as Promise<AfterPackModule>;

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's shipped defaults: RunAsNode, NodeOptions, inspect, file privileges and wasm traps on. */
const DEFAULT_WIRE = '101001011';

/** A stand-in Electron executable: junk around the real fuse sentinel and wire, as in Electron's binary. */
function standInElectron(path: string): void {
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from('\x7fELF stand-in'),
      Buffer.alloc(512),
      Buffer.from(SENTINEL),
      Buffer.from([1, DEFAULT_WIRE.length]),
      Buffer.from(DEFAULT_WIRE),
      Buffer.alloc(512),
    ]),
  );
  chmodSync(path, 0o755);
}

const ON = 49;
const OFF = 48;

function expectHardenedWire(wire: Record<string, unknown>): void {
  expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
  expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
  expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
  expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
  expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
  expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
  expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
}

describe('afterPack fuses', () => {
  it('flips RunAsNode, NODE_OPTIONS and inspect off; cookie encryption, asar-only and asar integrity on', async () => {
    const hook = await loadHook();
    const dir = freshDir('tokenscope-fuses-');
    standInElectron(join(dir, 'tokenscope'));
    const context = {
      appOutDir: dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: { executableName: 'tokenscope', appInfo: { productFilename: 'Tokenscope' } },
    };
    expect(await hook.applyFuses(context)).toBe(join(dir, 'tokenscope'));
    expectHardenedWire(await getCurrentFuseWire(join(dir, 'tokenscope')));
  });

  it('targets the right executable on each platform and re-signs ad hoc only for arm64 macOS', async () => {
    const hook = await loadHook();
    const packager = { executableName: 'tokenscope', appInfo: { productFilename: 'Tokenscope' } };
    expect(hook.packagedElectronPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe('/o/Tokenscope.app');
    expect(hook.packagedElectronPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(
      join('/o', 'Tokenscope.exe'),
    );
    expect(hook.packagedElectronPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(
      join('/o', 'tokenscope'),
    );
    const flips: unknown[] = [];
    await hook.applyFuses(
      { appOutDir: '/o', electronPlatformName: 'darwin', arch: 3, packager },
      (path, config) => (flips.push([path, config]), Promise.resolve()),
    );
    expect(flips).toEqual([['/o/Tokenscope.app', expect.objectContaining({ resetAdHocDarwinSignature: true })]]);
    expect(hook.fuseConfig('linux', 'x64')['resetAdHocDarwinSignature']).toBe(false);
  });
});

describe('electron-vite config', () => {
  it('externalizes the runtime dependencies in main, bundles a CJS preload, and reuses the renderer build', async () => {
    const { default: config } = await import('../../../electron.vite.config.ts');
    const { rendererRoot } = await import('../../../vite.renderer.config.ts');
    const resolved = config as {
      main: { build: { externalizeDeps: { include: string[] } } };
      preload: { build: { externalizeDeps: boolean; rolldownOptions: { output: { format: string } } } };
      renderer: { root: string };
    };
    // An object (not false) keeps electron-vite's default of externalizing every package.json dependency;
    // the list names the ones that must never be bundled (native code, dynamic requires).
    expect(resolved.main.build.externalizeDeps.include).toEqual(
      expect.arrayContaining(['better-sqlite3', 'oidc-provider', 'jose', 'oauth4webapi']),
    );
    // A sandboxed preload can require only 'electron': everything else is bundled into one CommonJS file.
    expect(resolved.preload.build.externalizeDeps).toBe(false);
    expect(resolved.preload.build.rolldownOptions.output.format).toBe('cjs');
    expect(resolved.renderer.root).toBe(rendererRoot);
  });
});

describe('electron-builder config', () => {
  const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  it('declares Linux AppImage and deb, macOS dmg and Windows nsis', () => {
    expect(config).toMatch(/linux:\n {2}target:\n {4}- AppImage\n {4}- deb/);
    expect(config).toMatch(/mac:\n {2}target: dmg/);
    expect(config).toMatch(/win:\n {2}target: nsis/);
  });
  it("unpacks better-sqlite3's native file from the asar and runs the fuse hook", () => {
    expect(config).toMatch(/asar: true/);
    expect(config).toContain(
      "asarUnpack:\n  # A native module cannot be loaded from inside the asar archive.\n  - '**/node_modules/better-sqlite3/**/*.node'",
    );
    expect(config).toContain('afterPack: ./build/after-pack.mjs');
  });
  it('npm run dist builds with electron-vite then packages with electron-builder', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['dist']).toBe('electron-vite build && electron-builder');
  });
});

const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) => existsSync(join(ROOT, f)));
if (!built)
  console.log('packaging run skipped: out/main, out/preload or out/renderer is not built (`npm run build` builds them)');

describe('built output', () => {
  it.skipIf(!built)(
    'the sandboxed preload requires nothing but electron, and main keeps the runtime dependencies external',
    () => {
      const preload = readFileSync(join(ROOT, 'out/preload/index.cjs'), 'utf8');
      expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
      const main = readFileSync(join(ROOT, 'out/main/index.js'), 'utf8');
      expect(main).toMatch(/from "better-sqlite3"/);
      // better-sqlite3's own constructor would appear if it had been bundled.
      expect(main).not.toMatch(/function Database\(filenameGiven/);
    },
  );
});

describe('electron-builder run over a stand-in Electron distribution', () => {
  it.skipIf(!built)(
    'packs app.asar with better-sqlite3 unpacked and the fuses flipped',
    () => {
      const dist = freshDir('tokenscope-electron-dist-');
      mkdirSync(join(dist, 'locales'));
      standInElectron(join(dist, 'electron'));
      writeFileSync(join(dist, 'version'), '45.4.1');
      writeFileSync(join(dist, 'LICENSE'), '');
      writeFileSync(join(dist, 'LICENSES.chromium.html'), '');
      const output = freshDir('tokenscope-installers-');
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/electron-builder/cli.js'),
          '--linux',
          'dir',
          `-c.electronDist=${dist}`,
          `-c.directories.output=${output}`,
        ],
        { cwd: ROOT, stdio: 'pipe', timeout: 180_000, env: { ...process.env, CI: '1' } },
      );
      const unpacked = join(output, 'linux-unpacked');
      expect(existsSync(join(unpacked, 'resources', 'app.asar'))).toBe(true);
      expect(
        existsSync(
          join(
            unpacked,
            'resources',
            'app.asar.unpacked',
            'node_modules',
            'better-sqlite3',
            'prebuilds',
            `linux-${process.arch}.node`,
          ),
        ),
      ).toBe(true);
      return getCurrentFuseWire(join(unpacked, 'tokenscope')).then((wire) =>
        expectHardenedWire(wire as unknown as Record<string, unknown>),
      );
    },
    200_000,
  );
});

// Finds a Chromium for the tests: CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own.
// On Debian as root with none present it installs the `chromium` package. Prints the path it chose.
// Run first by `npm test` and by vitest's globalSetup (test/global-setup.ts), so no test that launches a
// browser can start before a browser exists.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return null;
}

async function playwrightOwn() {
  try {
    const { chromium } = await import('playwright-core');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** The path of a Chromium for the tests, installing Debian's package when allowed; null when none can be had. */
export async function ensureChromium(log = (line) => process.stdout.write(`${line}\n`)) {
  let found = findChromium() ?? (await playwrightOwn());
  if (!found && process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log("Chromium not found: installing Debian's chromium package for the browser tests...");
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      // reported by the caller
    }
    found = findChromium();
  }
  return found;
}

export const NO_CHROMIUM =
  'error ERR_UNAVAILABLE: no Chromium for the browser tests: set CHROMIUM_PATH or install the chromium package';

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = await ensureChromium();
  if (!found) {
    process.stderr.write(`${NO_CHROMIUM}\n`);
    process.exit(1);
  }
  process.stdout.write(`Chromium for tests: ${found}\n`);
}

/** Launches Debian's Chromium (or CHROMIUM_PATH) through playwright-core, with non-loopback requests blocked. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath(): string {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const own = chromium.executablePath();
  if (own && existsSync(own)) return own;
  throw new Error('no Chromium found: run `node scripts/ensure-chromium.mjs` or set CHROMIUM_PATH');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}

/** Tests only talk to this machine: anything else (web fonts on oidc-provider's dev pages) is aborted. */
export async function blockNonLoopback(context: BrowserContext): Promise<void> {
  await context.route('**/*', (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    const local = protocol === 'data:' || protocol === 'blob:' || ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname);
    return local ? route.continue() : route.abort();
  });
}

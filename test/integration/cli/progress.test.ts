/**
 * Progress of `login` and `device` against a real oidc-provider issuer, signed in with a real Chromium: the
 * URL to open first, then each step the back end reports (waiting for the browser with the time left, the
 * callback, the exchange; the device code, its QR code, the polling), on stderr; stdout has only the result,
 * as text, or JSON with --json. And `serve` prints the one URL that works; the bare address is a page saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import { signInWithBrowser, startTestIssuer } from '../../helpers/oidc-provider.ts';
import { freshDir } from '../../helpers/temp-dir.ts';
import { io } from '../../helpers/cli-io.ts';
import { startServe, type ServedApp } from '../../helpers/serve-process.ts';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { RunningIssuer } from '../../../src/main/demo-issuer/demo-issuer.ts';

let browser: Browser;
let issuer: RunningIssuer;
const env = { TOKENSCOPE_DATA_DIR: freshDir() };

beforeAll(async () => {
  browser = await launchChromium();
  issuer = await startTestIssuer();
  const t = io(env);
  expect(
    await main(
      ['profile', 'add', 'progress', '--issuer', issuer.issuer, '--client-id', 'tokenscope-demo', '--scope', 'openid'],
      t,
    ),
  ).toBe(0);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await issuer?.close();
});

async function inBrowser(fn: (page: import('playwright-core').Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  await blockNonLoopback(context);
  try {
    await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

describe('login progress', () => {
  it('names the URL to open first, then waits with the time left, then the callback and the exchange; stdout is text', async () => {
    const t = io(env);
    const running = main(['login', '--profile', 'progress', '--no-open'], t);
    await expect.poll(() => t.err(), { timeout: 10_000 }).toMatch(/Waiting for the sign-in/);
    const lines = t.err().split('\n');
    expect(lines[0]).toBe('Sign in at this URL (open it in a browser):');
    expect(lines[1]).toMatch(/^ {2}http:\/\/127\.0\.0\.1:\d+\/auth\?\S+$/);
    expect(lines[2]).toMatch(
      /^The server then sends the browser back to http:\/\/127\.0\.0\.1:\d+\/callback, where Tokenscope waits\.$/,
    );
    expect(lines[3]).toMatch(/^Waiting for the sign-in in the browser — [45] min( \d+ s)? left; Ctrl-C cancels$/);
    await inBrowser((page) => signInWithBrowser(page, lines[1]?.trim() ?? '', 'pia'));
    expect(await running).toBe(0);
    expect(t.err().split('\n').slice(4)).toEqual([
      'The browser came back to Tokenscope with the authorization response',
      'Exchanging the authorization code for tokens',
      '',
    ]);
    expect(t.out()).toMatch(/^grant \S+\naccess_token {2}/);
  });
});

describe('device progress', () => {
  async function device(args: string[], t: CliIo & { err: () => string }): Promise<number> {
    const running = main(['device', '--profile', 'progress', ...args], t);
    await expect.poll(() => t.err(), { timeout: 10_000 }).toMatch(/Waiting for the code to be approved/);
    const complete = /^or open (http:\/\/\S+), the code filled in/m.exec(t.err())?.[1];
    expect(complete).toContain('user_code=');
    await inBrowser(async (page) => {
      await page.goto(complete ?? '');
      await page.click('#allow');
      await page.fill('#username', 'quinn');
      await page.click('button:has-text("Sign in")');
      await page.waitForSelector('h1:has-text("Device connected")');
    });
    return running;
  }

  it('shows the code, a QR code and the polling with the time left; stdout is the result as text', async () => {
    // (The device grant has no code exchange: approval ends the polling with the tokens.)
    const t = io(env);
    expect(await device([], t)).toBe(0);
    const err = t.err();
    expect(err).toMatch(/^To sign in, open http:\/\/127\.0\.0\.1:\d+\/device on any device and enter the code\n\n {4}\S+\n\n/);
    expect(err).toMatch(/^or open http:\/\/\S+, the code filled in, or scan this QR code:$/m);
    // The QR code in block characters (not a terminal: no colour codes), a square of lines as wide as each other.
    const qr = err.split('\n').filter((l) => /[█▀▄]/.test(l));
    expect(qr.length).toBeGreaterThan(10);
    expect(new Set(qr.map((l) => Array.from(l).length)).size).toBe(1);
    expect(err).toMatch(/^Waiting for the code to be approved \(asking every 0\.2 s\) — \d+ min( \d+ s)? left; Ctrl-C cancels$/m);
    expect(t.out()).toMatch(/^grant \S+\naccess_token {2}/);
  });

  it('--json: the same progress on stderr, and stdout is JSON only', async () => {
    const t = io(env);
    expect(await device(['--json', '--no-qr'], t)).toBe(0);
    expect(t.err()).not.toMatch(/[█▀▄]/);
    const printed = JSON.parse(t.out()) as { tokens: { kind: string }[] };
    expect(printed.tokens.map((x) => x.kind)).toContain('access_token');
  });
});

describe('serve', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await startServe();
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('prints only the URL that opens the UI; the bare address opened in a browser is a page saying to use it', async () => {
    // (output() is stdout and stderr as they arrived: their order between the two pipes is not fixed.)
    expect(app.output().match(/https?:\/\/\S+/g)).toEqual([app.launchUrl]);
    expect(app.output().split('\n')).toContain(app.launchUrl);
    await inBrowser(async (page) => {
      const response = await page.goto(app.url);
      expect(response?.status()).toBe(401);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Open the link that tokenscope serve printed');
      // The launch URL still opens the UI.
      await page.goto(app.launchUrl);
      expect(new URL(page.url()).search).toBe('');
    });
    // A program (no text/html) still gets the JSON error.
    const api = await fetch(app.url);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHORIZED');
  });
});

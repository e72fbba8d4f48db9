// app://tokenscope/ serves only the built renderer's files, only GET/HEAD, always with the CSP header.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../../src/main/electron/app-protocol.ts';
import { APP_CONTENT_SECURITY_POLICY } from '../../../src/main/electron/window-security.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

function rendererDir(): string {
  const root = freshDir('tokenscope-renderer-');
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
  return dir;
}

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    });
  });

  it('serves the entry and assets with the CSP, nosniff and the right type', async () => {
    const handle = createAppProtocolHandler(rendererDir());
    const index = await handle(new Request('app://tokenscope/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const js = await handle(new Request('app://tokenscope/assets/main.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await handle(new Request('app://tokenscope/'))).status).toBe(200);
  });

  it('never serves a file outside the renderer directory', async () => {
    const handle = createAppProtocolHandler(rendererDir());
    for (const url of [
      'app://tokenscope/../secret.txt',
      'app://tokenscope/%2e%2e/secret.txt',
      'app://tokenscope/..%2fsecret.txt',
      'app://tokenscope/assets/..%2f..%2fsecret.txt',
      'app://tokenscope/%00index.html',
    ]) {
      expect((await handle(new Request(url))).status, url).toBe(404);
    }
  });

  it('refuses other hosts, missing files, directories and non-GET methods', async () => {
    const handle = createAppProtocolHandler(rendererDir());
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://tokenscope/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://tokenscope/assets'))).status).toBe(404);
    expect((await handle(new Request('app://tokenscope/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

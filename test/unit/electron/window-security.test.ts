// The window policy: every webPreferences flag, navigation/new-window/webview denial, permission denial,
// the CSP header and the sender-frame test, all against fakes of Electron's objects.
import { describe, expect, it } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_ENTRY_URL,
  appOrigins,
  checkSenderFrame,
  devContentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  newSecureWindow,
} from '../../../src/main/electron/window-security.ts';
import type { SecureWindowOptions } from '../../../src/main/electron/electron-like.ts';
import { FakeWebContents, fakeSession } from './fake-electron.ts';

class RecordingWindow {
  readonly options: SecureWindowOptions;
  constructor(options: SecureWindowOptions) {
    this.options = options;
  }
}

const origins = appOrigins(undefined);

function hardened(): { contents: FakeWebContents; opened: string[] } {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  hardenWebContents(contents, { origins, openExternal: (url) => opened.push(url) });
  return { contents, opened };
}

describe('secure window options', () => {
  it('sets every security-relevant webPreferences flag explicitly', () => {
    const win = newSecureWindow(RecordingWindow, '/app/out/preload/index.cjs', { width: 1000, height: 700 });
    expect(win.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    });
    expect(win.options.show).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('will-navigate is prevented for every URL, the app itself included', () => {
    const { contents } = hardened();
    for (const url of [
      APP_ENTRY_URL,
      'https://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://127.0.0.1:8080/',
    ]) {
      expect(contents.navigate('will-navigate', url)).toBe(true);
    }
  });

  it('an https link the user clicked goes to the system browser after validation; other schemes go nowhere', () => {
    const { contents, opened } = hardened();
    contents.navigate('will-navigate', 'https://docs.example.com/oauth');
    contents.navigate('will-navigate', 'file:///etc/passwd');
    contents.navigate('will-navigate', 'smb://server/share');
    contents.navigate('will-navigate', 'https://issuer.example.com.attacker.test/login');
    contents.navigate('will-navigate', 'http://127.0.0.1:3000/');
    expect(opened).toEqual(['https://docs.example.com/oauth']);
  });

  it('window.open is denied; a valid https target opens in the system browser instead', () => {
    const { contents, opened } = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: APP_ENTRY_URL })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/']);
  });

  it('redirects and <webview> attachment are prevented', () => {
    const { contents } = hardened();
    expect(contents.navigate('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.navigate('will-attach-webview')).toBe(true);
  });
});

describe('session', () => {
  it('denies every permission request and check', () => {
    const session = fakeSession();
    hardenSession(session, origins);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'serial',
      'usb',
    ]) {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, permission, (g: boolean) => (granted = g), {});
      expect(granted).toBe(false);
      expect(session.permissionCheckHandler?.({}, permission, 'app://tokenscope')).toBe(false);
    }
    expect(session.devicePermissionHandler?.({ deviceType: 'usb', origin: 'app://tokenscope' })).toBe(false);
  });

  it('puts the CSP header on app pages (replacing any other) and leaves foreign responses alone', () => {
    const session = fakeSession();
    hardenSession(session, origins);
    let headers: Record<string, unknown> = {};
    session.headersReceived?.(
      { url: APP_ENTRY_URL, responseHeaders: { 'content-security-policy': ["script-src 'unsafe-inline'"] } },
      (r) => (headers = r.responseHeaders ?? {}),
    );
    expect(headers).toEqual({ 'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] });
    expect(APP_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(APP_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    session.headersReceived?.(
      { url: 'https://example.com/', responseHeaders: { a: ['b'] } },
      (r) => (headers = r.responseHeaders ?? {}),
    );
    expect(headers).toEqual({ a: ['b'] });
  });
});

describe('dev server CSP', () => {
  it('only the dev server page gets the relaxed policy; app:// keeps the strict one', () => {
    const session = fakeSession();
    const dev = appOrigins('http://localhost:5173/');
    hardenSession(session, dev);
    let headers: Record<string, unknown> = {};
    session.headersReceived?.(
      { url: 'http://localhost:5173/index.html', responseHeaders: {} },
      (r) => (headers = r.responseHeaders ?? {}),
    );
    expect(headers['Content-Security-Policy']).toEqual([devContentSecurityPolicy('http://localhost:5173')]);
    expect(devContentSecurityPolicy('http://localhost:5173')).toContain("connect-src 'self' ws://localhost:5173");
    session.headersReceived?.({ url: APP_ENTRY_URL, responseHeaders: {} }, (r) => (headers = r.responseHeaders ?? {}));
    expect(headers['Content-Security-Policy']).toEqual([APP_CONTENT_SECURITY_POLICY]);
  });
});

describe('sender frames', () => {
  const top = { url: APP_ENTRY_URL, parent: null };
  it('the app page in a top-level frame is trusted', () => {
    expect(checkSenderFrame(top, origins)).toBe('ok');
    expect(checkSenderFrame({ url: 'app://tokenscope/#/tokens/1', parent: null }, origins)).toBe('ok');
  });
  it('a null frame (navigated away or destroyed), a sub-frame and a foreign page are refused', () => {
    expect(checkSenderFrame(null, origins)).toBe('no-frame');
    expect(checkSenderFrame({ url: APP_ENTRY_URL, parent: top }, origins)).toBe('sub-frame');
    expect(checkSenderFrame({ url: 'https://evil.test/', parent: null }, origins)).toBe('foreign-url');
    expect(checkSenderFrame({ url: 'app://tokenscope.evil/', parent: null }, origins)).toBe('foreign-url');
    expect(checkSenderFrame({ url: 'file:///app/out/renderer/index.html', parent: null }, origins)).toBe('foreign-url');
  });
  it('the dev server counts as the app only when given', () => {
    expect(isAppUrl('http://localhost:5173/', origins)).toBe(false);
    const dev = appOrigins('http://localhost:5173/');
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(dev.entryUrl).toBe('http://localhost:5173/');
  });
});

/** The one loopback rule: 127.0.0.1, localhost and ::1 (bracketed as in a URL, or bare as a bind address). */
import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from '../../../../src/main/electron/external-url.ts';
import { isSafeExternalUrl } from '../../../../src/main/node-platform.ts';
import { isLoopbackHost, isLoopbackHttpUrl } from '../../../../src/shared/net/loopback.ts';

describe('isLoopbackHost', () => {
  it('accepts IPv4 and IPv6 loopback and localhost', () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]', '::1']) expect(isLoopbackHost(host), host).toBe(true);
  });

  it('refuses look-alikes and other addresses', () => {
    for (const host of [
      '127.0.0.1.evil.test',
      'localhost.evil.test',
      '0.0.0.0',
      '::',
      '[::]',
      '::ffff:127.0.0.1',
      '10.0.0.1',
      '',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('isLoopbackHttpUrl', () => {
  it('is http: to a loopback host, any port and path', () => {
    expect(isLoopbackHttpUrl('http://127.0.0.1:5173/')).toBe(true);
    expect(isLoopbackHttpUrl('http://[::1]:4000/callback')).toBe(true);
    expect(isLoopbackHttpUrl(new URL('http://localhost/'))).toBe(true);
  });

  it('is not https:, another host, or what does not parse', () => {
    expect(isLoopbackHttpUrl('https://127.0.0.1/')).toBe(false);
    expect(isLoopbackHttpUrl('http://example.com/')).toBe(false);
    expect(isLoopbackHttpUrl('http://[::1')).toBe(false);
    expect(isLoopbackHttpUrl('file:///etc/passwd')).toBe(false);
  });

  it('is the rule the browser opener and the external-URL policy apply', () => {
    for (const url of ['http://[::1]:8080/', 'http://127.0.0.1/', 'http://localhost:3000/x', 'http://10.0.0.1/']) {
      const loopback = isLoopbackHttpUrl(url);
      expect(isSafeExternalUrl(url), url).toBe(loopback);
      expect(checkExternalUrl(url).ok, url).toBe(loopback);
    }
  });
});

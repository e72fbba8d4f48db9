/**
 * The one loopback rule: which hosts are "this machine" for http: issuers and endpoints (RFC 8252 §8.3), the
 * URLs handed to the system browser, the electron-vite dev server and the loopback redirect listener.
 * Names as URL.hostname gives them (`[::1]` bracketed) and as bind addresses (`::1` bare) are both accepted.
 */

/** 127.0.0.1, localhost and the IPv6 loopback ::1. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a host name (URL.hostname, a Host without its port, or a bind address) is the loopback. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** Whether a URL is plain http: to the loopback (what the app allows besides https:). A URL that does not parse is not. */
export function isLoopbackHttpUrl(raw: string | URL): boolean {
  const url = typeof raw === 'string' ? URL.parse(raw) : raw;
  return url !== null && url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

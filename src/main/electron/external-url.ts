/**
 * Which URLs the desktop app hands to the system browser. Refused (each with a reason code):
 * - any scheme but https:, and http: to anything but a loopback address (so file:, javascript:, smb:,
 *   data:, mailto:, custom protocol handlers never reach shell.openExternal);
 * - URLs with user info (`https://issuer.example.com@evil.test/`), or that do not parse;
 * - look-alike hosts: a host that merely *starts with* an expected host (`issuer.example.com.attacker.test`
 *   for `issuer.example.com`) or, with no expected host known, one that embeds a complete domain under
 *   a common top-level label (`.com.`, `.org.`…) followed by at least two more labels;
 * - punycode (`xn--`) labels, since a homograph of a known issuer reads the same to the user.
 */
import { isLoopbackHost } from '../../shared/net/loopback.ts';
import { isSafeExternalUrl } from '../node-platform.ts';

export type ExternalUrlRefusal = 'malformed' | 'scheme' | 'credentials' | 'not-loopback' | 'look-alike' | 'punycode';

export type ExternalUrlVerdict =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: ExternalUrlRefusal };

export interface ExternalUrlPolicy {
  /** Hosts the user expects (configured issuers); a host that starts with one of them plus a dot or dash is refused. */
  readonly expectedHosts?: readonly string[];
  /** Allow http: to loopback (the demo issuer). Links clicked in the window pass false. */
  readonly allowLoopbackHttp?: boolean;
}

/** Generic top-level labels; a host containing `.<label>.` with two or more labels after it embeds a foreign domain. */
const EMBEDDED_TLDS = new Set(['com', 'net', 'org', 'io', 'dev', 'app', 'edu', 'gov', 'cloud', 'ai', 'co', 'info', 'biz']);

function embedsForeignDomain(host: string): boolean {
  const labels = host.split('.');
  for (let i = 1; i < labels.length - 2; i += 1) {
    if (EMBEDDED_TLDS.has(labels[i] ?? '')) return true;
  }
  return false;
}

function looksLike(host: string, expected: string): boolean {
  const e = expected.toLowerCase().replace(/\.$/, '');
  return host !== e && (host.startsWith(`${e}.`) || host.startsWith(`${e}-`));
}

export function checkExternalUrl(raw: string, policy: ExternalUrlPolicy = {}): ExternalUrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'scheme' };
  if (url.username || url.password) return { ok: false, reason: 'credentials' };
  if (url.protocol === 'http:' && (policy.allowLoopbackHttp === false || !isLoopbackHost(url.hostname))) {
    return { ok: false, reason: 'not-loopback' };
  }
  const host = url.hostname.toLowerCase();
  if (host.split('.').some((label) => label.startsWith('xn--'))) return { ok: false, reason: 'punycode' };
  if ((policy.expectedHosts ?? []).some((e) => looksLike(host, e))) return { ok: false, reason: 'look-alike' };
  if (embedsForeignDomain(host)) return { ok: false, reason: 'look-alike' };
  // The shared rule (serve and CLI use it too) must agree; it is the floor, this module only adds refusals.
  if (!isSafeExternalUrl(url.href)) return { ok: false, reason: 'scheme' };
  return { ok: true, url: url.href };
}

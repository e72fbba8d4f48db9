/**
 * Reads a WWW-Authenticate header (RFC 9110 §11.6.1): one or more challenges, each a scheme with auth-params, and
 * the parameters the OAuth RFCs define in them: RFC 6750 §3 (error, error_description, error_uri, scope, realm),
 * RFC 9470 (acr_values, max_age) and RFC 9449 §7.1 / §9 (algs, error=use_dpop_nonce).
 */
import type { AuthChallenge } from '../../shared/api-call.ts';

/** A token (RFC 9110 §5.6.2): a scheme, a parameter name or an unquoted value. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
/** A token68 credential (RFC 9110 §11.2) standing alone after the scheme. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/;

function challengeOf(scheme: string, params: Record<string, string>): AuthChallenge {
  const maxAge = params['max_age'] !== undefined ? Number(params['max_age']) : undefined;
  return {
    scheme,
    params,
    ...(params['error'] !== undefined ? { error: params['error'] } : {}),
    ...(params['error_description'] !== undefined ? { errorDescription: params['error_description'] } : {}),
    ...(params['realm'] !== undefined ? { realm: params['realm'] } : {}),
    ...(params['scope'] !== undefined ? { scope: params['scope'].split(/\s+/).filter(Boolean) } : {}),
    ...(params['acr_values'] !== undefined ? { acrValues: params['acr_values'].split(/\s+/).filter(Boolean) } : {}),
    ...(maxAge !== undefined && Number.isFinite(maxAge) ? { maxAgeS: maxAge } : {}),
    ...(params['algs'] !== undefined ? { algs: params['algs'].split(/\s+/).filter(Boolean) } : {}),
  };
}

/** Every challenge of the header, in order; an unreadable rest is dropped (what was read is kept). */
export function parseWwwAuthenticate(header: string | null): AuthChallenge[] {
  if (!header) return [];
  const out: AuthChallenge[] = [];
  let rest = header.trim();
  let scheme: string | undefined;
  let params: Record<string, string> = {};
  const finish = (): void => {
    if (scheme !== undefined) out.push(challengeOf(scheme, params));
    scheme = undefined;
    params = {};
  };
  while (rest.length > 0) {
    rest = rest.replace(/^[\s,]+/, '');
    const word = TOKEN.exec(rest)?.[0];
    if (!word) break;
    const after = rest.slice(word.length);
    const isParam = /^\s*=/.test(after) && scheme !== undefined;
    const token68 = scheme !== undefined && Object.keys(params).length === 0 ? TOKEN68.exec(rest)?.[0] : undefined;
    if (token68 !== undefined && token68.includes('=') && !/^\s*=\s*("|[^\s,=])/.test(after)) {
      params['token68'] = token68;
      rest = rest.slice(token68.length);
      continue;
    }
    if (!isParam) {
      // A new scheme: the one before it is complete.
      finish();
      scheme = word;
      rest = after.replace(/^\s+/, '');
      continue;
    }
    rest = after.replace(/^\s*=\s*/, '');
    let value: string;
    if (rest.startsWith('"')) {
      let i = 1;
      value = '';
      while (i < rest.length && rest[i] !== '"') {
        if (rest[i] === '\\' && i + 1 < rest.length) i += 1;
        value += rest.charAt(i);
        i += 1;
      }
      rest = rest.slice(i + 1);
    } else {
      value = TOKEN.exec(rest)?.[0] ?? '';
      rest = rest.slice(value.length);
    }
    params[word.toLowerCase()] = value;
  }
  finish();
  return out;
}

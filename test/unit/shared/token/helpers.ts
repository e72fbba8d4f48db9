/** Builds JWTs for tests: unsigned ones from raw JSON text (to craft duplicates, overflows, odd claims). */

export function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A compact JWS from raw header and payload JSON text and an optional signature segment. */
export function rawJwt(header: string, payload: string, signature = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

export function unsignedJwt(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return rawJwt(JSON.stringify({ alg: 'none', ...header }), JSON.stringify(payload));
}

/** A JWT-shaped token with an RS256 header and a fake signature (for decoding tests: nothing verifies it). */
export function fakeSignedJwt(payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return rawJwt(JSON.stringify({ alg: 'RS256', kid: 'k1', ...header }), JSON.stringify(payload), 'c2lnbmF0dXJl');
}

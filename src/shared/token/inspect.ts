/** Reads what a developer pasted and says what it is: the entry point of the token domain. */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenscopeError } from '../result.ts';

export const MAX_INPUT_BYTES = 1024 * 1024;

export type InputKind = 'jwt' | 'jwe' | 'opaque' | 'token-object' | 'authorization-header' | 'redirect-url';

export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly format?: string;
}

export interface InspectResult {
  readonly input: { readonly kind: InputKind };
  readonly jwt?: {
    readonly header: Readonly<Record<string, unknown>>;
    readonly payload: Readonly<Record<string, unknown>>;
    readonly signature: { readonly state: 'unverified' | 'unsigned' };
  };
  readonly findings: readonly Finding[];
}

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function inspectText(text: string): InspectResult {
  if (text.length > MAX_INPUT_BYTES || new TextEncoder().encode(text).length > MAX_INPUT_BYTES) {
    throw new TokenscopeError('ERR_INPUT_TOO_LARGE', 'input is larger than 1 MiB');
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new TokenscopeError('ERR_EMPTY_INPUT', 'nothing to inspect: the input is empty');
  if (JWS.test(trimmed)) {
    try {
      const header = decodeProtectedHeader(trimmed) as Record<string, unknown>;
      const payload = decodeJwt(trimmed) as Record<string, unknown>;
      const unsigned = header['alg'] === 'none';
      return {
        input: { kind: 'jwt' },
        jwt: { header, payload, signature: { state: unsigned ? 'unsigned' : 'unverified' } },
        findings: unsigned ? [{ code: 'UNSIGNED_JWT', message: 'alg is "none": this token carries no signature' }] : [],
      };
    } catch {
      throw new TokenscopeError('ERR_MALFORMED_JWT', 'looks like a JWT but its segments are not base64url JSON');
    }
  }
  return { input: { kind: 'opaque' }, findings: [] };
}

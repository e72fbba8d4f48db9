/** The one closed union of stable error codes and the Result type every contract method returns. */

export const ERROR_CODES = [
  // generic / boundary
  'ERR_INTERNAL',
  'ERR_INVALID_ARGUMENT',
  'ERR_NOT_FOUND',
  'ERR_UNAUTHORIZED',
  'ERR_FORBIDDEN',
  'ERR_UNKNOWN_METHOD',
  'ERR_BAD_REQUEST',
  'ERR_UNAVAILABLE',
  'ERR_CANCELLED',
  // input / token domain
  'ERR_EMPTY_INPUT',
  'ERR_INPUT_TOO_LARGE',
  'ERR_INVALID_JSON',
  'ERR_NOT_A_TOKEN',
  'ERR_MALFORMED_JWT',
  'ERR_UNKNOWN_FORMAT',
  'ERR_CONVERSION',
  'ERR_JWKS_FETCH',
  'ERR_INVALID_KEY',
  'ERR_VERIFY',
  // store
  'ERR_SQLITE_TOO_OLD',
  'ERR_STORE',
  'ERR_STORE_LOCKED',
  'ERR_DECRYPT_FAILED',
  'ERR_KEY_UNAVAILABLE',
  'ERR_IMPORT',
  'ERR_EXPORT',
  'ERR_WRONG_PASSPHRASE',
  'ERR_FILE_TOO_LARGE',
  // oauth
  'ERR_PROFILE_INVALID',
  'ERR_DISCOVERY',
  'ERR_ISSUER_MISMATCH',
  'ERR_PORT_IN_USE',
  'ERR_STATE_MISMATCH',
  'ERR_AUTHORIZATION_DENIED',
  'ERR_AUTHORIZATION_RESPONSE',
  'ERR_TOKEN_ENDPOINT',
  'ERR_INVALID_GRANT',
  'ERR_INVALID_RESPONSE',
  'ERR_TIMEOUT',
  'ERR_NETWORK',
  'ERR_NOT_SUPPORTED',
  'ERR_DEVICE_EXPIRED',
  'ERR_DEVICE_DENIED',
  'ERR_REVOCATION',
  'ERR_INTROSPECTION',
  'ERR_USERINFO',
  'ERR_ID_TOKEN_INVALID',
  'ERR_FLOW_NOT_FOUND',
  // electron / platform
  'ERR_EXTERNAL_URL_REFUSED',
  'ERR_SENDER_REFUSED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  readonly code: ErrorCode;
  /** One line, safe to show to a user: never a stack trace, never a secret. */
  readonly message: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(
  code: ErrorCode,
  message: string,
  detail?: Readonly<Record<string, unknown>>,
): Result<T> {
  return detail === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, detail } };
}

/** An exception that carries a stable code; thrown inside a layer, turned into a Result at its boundary. */
export class TokenscopeError extends Error {
  readonly code: ErrorCode;
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, detail?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'TokenscopeError';
    this.code = code;
    this.detail = detail;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

function oneLine(text: string): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

/**
 * The one place library errors become ours: jose's ERR_JWT_* / ERR_JWS_*, oauth4webapi's codes,
 * SQLite's SQLITE_*, Node's network errors and aborts. Anything unknown is ERR_INTERNAL with a
 * generic message (the original message may hold secrets or a stack).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof TokenscopeError) {
    return error.detail === undefined
      ? { code: error.code, message: oneLine(error.message) }
      : { code: error.code, message: oneLine(error.message), detail: error.detail };
  }
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? oneLine(e.message) : 'unexpected error';
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'OAUTH_TIMEOUT') {
    return { code: 'ERR_TIMEOUT', message: 'the request timed out' };
  }
  if (code.startsWith('ERR_JWT_') || code.startsWith('ERR_JWS_') || code.startsWith('ERR_JWK')) {
    if (code === 'ERR_JWKS_TIMEOUT') return { code: 'ERR_TIMEOUT', message };
    if (code === 'ERR_JWKS_INVALID' || code === 'ERR_JWK_INVALID') return { code: 'ERR_INVALID_KEY', message };
    if (code === 'ERR_JWT_INVALID' || code === 'ERR_JWS_INVALID') return { code: 'ERR_MALFORMED_JWT', message };
    return { code: 'ERR_VERIFY', message, detail: { libraryCode: code } };
  }
  if (code === 'ERR_JWE_DECRYPTION_FAILED') return { code: 'ERR_WRONG_PASSPHRASE', message: 'wrong passphrase or damaged file' };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { code: 'ERR_STORE_LOCKED', message: 'the token history is locked by another Tokenscope instance' };
  }
  if (code.startsWith('SQLITE_')) return { code: 'ERR_STORE', message, detail: { libraryCode: code } };
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'EAI_AGAIN') {
    return { code: 'ERR_NETWORK', message };
  }
  if (name === 'TypeError' && message === 'fetch failed') {
    const cause = e?.cause as { code?: unknown } | undefined;
    return { code: 'ERR_NETWORK', message: `network error${typeof cause?.code === 'string' ? ` (${cause.code})` : ''}` };
  }
  if (code.startsWith('OAUTH_')) return { code: 'ERR_INVALID_RESPONSE', message, detail: { libraryCode: code } };
  return { code: 'ERR_INTERNAL', message: 'internal error' };
}

/** Run `fn` and turn anything it throws into a Result: the boundary every contract method sits behind. */
export async function attempt<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (error) {
    return { ok: false, error: toAppError(error) };
  }
}

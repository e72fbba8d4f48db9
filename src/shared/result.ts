/**
 * The one closed union of stable error codes, AppError, the Result type every contract method returns,
 * TokenscopeError and a generic `attempt`. Mapping library errors to codes is the back end's: src/main/errors.ts.
 */

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
  /** A page cursor of another sort or query than the one it is sent with. */
  'ERR_CURSOR_MISMATCH',
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
  'ERR_NOTHING_TO_EXPORT',
  'ERR_WRONG_PASSPHRASE',
  'ERR_TOKENS_UNREADABLE',
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

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: ErrorCode, message: string, detail?: Readonly<Record<string, unknown>>): Result<T> {
  return detail === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, detail } };
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

/** The first line of a message, at most 300 characters: what an AppError may show. */
export function oneLine(text: string): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

/** A TokenscopeError as the AppError a Result carries: its code, the first line of its message, its detail. */
export function appErrorOf(error: TokenscopeError): AppError {
  return error.detail === undefined
    ? { code: error.code, message: oneLine(error.message) }
    : { code: error.code, message: oneLine(error.message), detail: error.detail };
}

/** The generic mapping: a TokenscopeError keeps its code; anything else is ERR_INTERNAL, its message withheld. */
function genericAppError(error: unknown): AppError {
  return error instanceof TokenscopeError ? appErrorOf(error) : { code: 'ERR_INTERNAL', message: 'internal error' };
}

/**
 * Run `fn` and turn anything it throws into a Result: the boundary every contract method sits behind.
 * `toError` maps what was thrown; the back end passes its library mapping (src/main/errors.ts `attempt`).
 */
export async function attempt<T>(
  fn: () => Promise<T> | T,
  toError: (error: unknown) => AppError = genericAppError,
): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (error) {
    return { ok: false, error: toError(error) };
  }
}

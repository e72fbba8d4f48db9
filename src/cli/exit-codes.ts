/**
 * The one table from error code to exit status for the whole CLI: 2 when what the user gave cannot be used
 * (arguments, files, token text, keys), 1 when something failed (the network, a server, the history, a bug).
 * Keyed by every ErrorCode, so a new code cannot be added without deciding its exit status here.
 */
import { type ErrorCode } from '../shared/result.ts';
import { toAppError } from '../main/errors.ts';
import { printError, type CliIo } from './io.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
/** stdout or stderr was closed by its reader (EPIPE): 128 + SIGPIPE, as a shell reports a writer killed by it. */
export const EXIT_OUTPUT_CLOSED = 141;

type ErrorExit = typeof EXIT_FAILURE | typeof EXIT_BAD_INPUT;
const BAD = EXIT_BAD_INPUT;
const FAIL = EXIT_FAILURE;

export const EXIT_CODE_OF_ERROR: Readonly<Record<ErrorCode, ErrorExit>> = {
  // generic / boundary
  ERR_INTERNAL: FAIL,
  ERR_INVALID_ARGUMENT: BAD,
  ERR_NOT_FOUND: FAIL,
  ERR_UNAUTHORIZED: FAIL,
  ERR_FORBIDDEN: FAIL,
  ERR_UNKNOWN_METHOD: FAIL,
  ERR_BAD_REQUEST: BAD,
  ERR_UNAVAILABLE: FAIL,
  ERR_CANCELLED: FAIL,
  ERR_CURSOR_MISMATCH: BAD,
  // input / token domain: the text, file or key the user gave
  ERR_EMPTY_INPUT: BAD,
  ERR_INPUT_TOO_LARGE: BAD,
  ERR_FILE_TOO_LARGE: BAD,
  ERR_INVALID_JSON: BAD,
  ERR_NOT_A_TOKEN: BAD,
  ERR_MALFORMED_JWT: BAD,
  ERR_UNKNOWN_FORMAT: BAD,
  ERR_CONVERSION: BAD,
  ERR_JWKS_FETCH: FAIL,
  ERR_INVALID_KEY: BAD,
  ERR_VERIFY: BAD,
  // store
  ERR_SQLITE_TOO_OLD: FAIL,
  ERR_STORE: FAIL,
  ERR_STORE_LOCKED: FAIL,
  ERR_DECRYPT_FAILED: FAIL,
  ERR_KEY_UNAVAILABLE: FAIL,
  ERR_IMPORT: FAIL,
  ERR_EXPORT: FAIL,
  ERR_NOTHING_TO_EXPORT: FAIL,
  ERR_WRONG_PASSPHRASE: FAIL,
  ERR_TOKENS_UNREADABLE: FAIL,
  // oauth: what a server answered, or could not be reached
  ERR_PROFILE_INVALID: FAIL,
  ERR_DISCOVERY: FAIL,
  ERR_ISSUER_MISMATCH: FAIL,
  ERR_PORT_IN_USE: FAIL,
  ERR_STATE_MISMATCH: FAIL,
  ERR_AUTHORIZATION_DENIED: FAIL,
  ERR_AUTHORIZATION_RESPONSE: FAIL,
  ERR_TOKEN_ENDPOINT: FAIL,
  ERR_INVALID_GRANT: FAIL,
  ERR_INVALID_RESPONSE: FAIL,
  ERR_TIMEOUT: FAIL,
  ERR_NETWORK: FAIL,
  ERR_NOT_SUPPORTED: FAIL,
  ERR_DEVICE_EXPIRED: FAIL,
  ERR_DEVICE_DENIED: FAIL,
  ERR_REVOCATION: FAIL,
  ERR_INTROSPECTION: FAIL,
  ERR_USERINFO: FAIL,
  ERR_ID_TOKEN_INVALID: FAIL,
  ERR_FLOW_NOT_FOUND: FAIL,
  // platform
  ERR_EXTERNAL_URL_REFUSED: FAIL,
  ERR_SENDER_REFUSED: FAIL,
};

/** Prints a thrown error as `error ERR_…: message` and returns its exit status from the table. */
export function failWith(io: CliIo, e: unknown): number {
  const error = toAppError(e);
  printError(io, error.code, error.message);
  return EXIT_CODE_OF_ERROR[error.code];
}

/**
 * The mapping of library errors (oauth4webapi, jose, SQLite, Node's network and abort errors) to our ERR_*
 * codes, and the `attempt` the back end's contract methods sit behind. Only the back end sees these
 * libraries, so the mapping lives here; src/shared/result.ts keeps the codes, AppError, Result and a generic
 * `attempt` (TokenscopeError → its AppError, anything else ERR_INTERNAL).
 */
import {
  appErrorOf,
  attempt as attemptWith,
  oneLine,
  TokenscopeError,
  type AppError,
  type ErrorCode,
  type Result,
} from '../shared/result.ts';

/** Which OAuth request an oauth4webapi error came from: the same library code means different things per endpoint. */
export type OAuthErrorContext =
  | 'discovery'
  | 'authorization-response'
  | 'par'
  | 'token'
  | 'device-authorization'
  | 'device-token'
  | 'revocation'
  | 'introspection'
  | 'userinfo'
  | 'id-token';

/** The fields oauth4webapi's errors carry (ResponseBodyError, AuthorizationResponseError, WWWAuthenticateChallengeError, OperationProcessingError). */
interface OAuthLibraryError {
  readonly error?: unknown;
  readonly error_description?: unknown;
  readonly status?: unknown;
  readonly cause?: unknown;
}

const ENDPOINT_CODES: Readonly<Record<OAuthErrorContext, ErrorCode>> = {
  discovery: 'ERR_DISCOVERY',
  'authorization-response': 'ERR_AUTHORIZATION_RESPONSE',
  par: 'ERR_TOKEN_ENDPOINT',
  token: 'ERR_TOKEN_ENDPOINT',
  'device-authorization': 'ERR_TOKEN_ENDPOINT',
  'device-token': 'ERR_TOKEN_ENDPOINT',
  revocation: 'ERR_REVOCATION',
  introspection: 'ERR_INTROSPECTION',
  userinfo: 'ERR_USERINFO',
  'id-token': 'ERR_ID_TOKEN_INVALID',
};

/** How a message names the endpoint that answered ("the token endpoint answered HTTP 403 …"). */
export const ENDPOINT_NAMES: Readonly<Record<OAuthErrorContext, string>> = {
  discovery: 'the discovery endpoint',
  'authorization-response': 'the authorization response',
  par: 'the pushed authorization request endpoint',
  token: 'the token endpoint',
  'device-authorization': 'the device authorization endpoint',
  'device-token': 'the token endpoint',
  revocation: 'the revocation endpoint',
  introspection: 'the introspection endpoint',
  userinfo: 'the userinfo endpoint',
  'id-token': 'the ID token',
};

/** A response that arrived but cannot be used. */
function payloadCode(context: OAuthErrorContext | undefined): ErrorCode {
  return context === 'discovery' ? 'ERR_DISCOVERY' : context === 'id-token' ? 'ERR_ID_TOKEN_INVALID' : 'ERR_INVALID_RESPONSE';
}

function oauthError(e: OAuthLibraryError, code: string, message: string, context: OAuthErrorContext | undefined): AppError {
  const detail: Record<string, unknown> = { libraryCode: code };
  const cause = e.cause as { status?: unknown; parameters?: unknown } | undefined;
  const status = typeof e.status === 'number' ? e.status : typeof cause?.status === 'number' ? cause.status : undefined;
  if (status !== undefined) detail['status'] = status;
  const endpointCode = context === undefined ? 'ERR_INVALID_RESPONSE' : ENDPOINT_CODES[context];
  const oauthCode = typeof e.error === 'string' ? e.error.slice(0, 100) : undefined;
  const description = typeof e.error_description === 'string' ? oneLine(e.error_description).slice(0, 300) : undefined;
  if (oauthCode !== undefined) detail['error'] = oauthCode;
  if (description !== undefined) detail['error_description'] = description;
  const said = `${oauthCode ?? ''}${description ? `: ${description}` : ''}`;
  const who = context === undefined ? 'the server' : ENDPOINT_NAMES[context];
  switch (code) {
    case 'OAUTH_RESPONSE_BODY_ERROR':
      if (oauthCode === 'invalid_grant' && (context === 'token' || context === 'device-token')) {
        return { code: 'ERR_INVALID_GRANT', message: `the grant is no longer valid (${said})`, detail };
      }
      if (context === 'device-token' && oauthCode === 'expired_token')
        return { code: 'ERR_DEVICE_EXPIRED', message: 'the device code expired', detail };
      if (context === 'device-token' && oauthCode === 'access_denied')
        return { code: 'ERR_DEVICE_DENIED', message: 'the user denied the device', detail };
      return { code: endpointCode, message: `${who} answered HTTP ${status ?? '?'} ${said}`, detail };
    case 'OAUTH_AUTHORIZATION_RESPONSE_ERROR':
      if (oauthCode === 'access_denied')
        return {
          code: 'ERR_AUTHORIZATION_DENIED',
          message: `authorization denied${description ? `: ${description}` : ''}`,
          detail,
        };
      return { code: 'ERR_AUTHORIZATION_RESPONSE', message: `the authorization server returned an error (${said})`, detail };
    case 'OAUTH_WWW_AUTHENTICATE_CHALLENGE': {
      const challenge = (
        Array.isArray(e.cause) ? (e.cause[0] as { parameters?: Record<string, unknown> } | undefined) : undefined
      )?.parameters;
      if (typeof challenge?.['error'] === 'string') detail['error'] = challenge['error'].slice(0, 100);
      if (typeof challenge?.['error_description'] === 'string')
        detail['error_description'] = oneLine(challenge['error_description']).slice(0, 300);
      const challengeSaid =
        typeof detail['error'] === 'string'
          ? ` (${detail['error']}${typeof detail['error_description'] === 'string' ? `: ${detail['error_description']}` : ''})`
          : '';
      return { code: endpointCode, message: `${who} refused the request with HTTP ${status ?? '?'}${challengeSaid}`, detail };
    }
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      return { code: endpointCode, message: `${who} answered HTTP ${status ?? '?'} without an OAuth error body`, detail };
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
      // A refusal (4xx) without JSON is the endpoint's own error; a 2xx without JSON is an unusable answer.
      return { code: status !== undefined && status >= 400 ? endpointCode : payloadCode(context), message, detail };
    case 'OAUTH_MISSING_SERVER_METADATA':
      return { code: 'ERR_NOT_SUPPORTED', message: 'the server does not advertise this endpoint', detail };
    case 'OAUTH_INVALID_SERVER_METADATA':
      return { code: context === 'discovery' ? 'ERR_DISCOVERY' : 'ERR_PROFILE_INVALID', message, detail };
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      return context === 'discovery'
        ? { code: 'ERR_ISSUER_MISMATCH', message: 'the metadata names a different issuer than the one asked for', detail }
        : { code: 'ERR_INVALID_RESPONSE', message, detail };
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
    case 'OAUTH_KEY_SELECTION_FAILED':
      return {
        code:
          context === 'token' || context === 'device-token' || context === 'id-token'
            ? 'ERR_ID_TOKEN_INVALID'
            : 'ERR_INVALID_RESPONSE',
        message,
        detail,
      };
    case 'OAUTH_UNSUPPORTED_OPERATION':
      return context === 'authorization-response'
        ? {
            code: 'ERR_AUTHORIZATION_RESPONSE',
            message: 'the callback carries tokens (implicit or hybrid flow), which is not accepted',
            detail,
          }
        : { code: 'ERR_NOT_SUPPORTED', message, detail };
    case 'OAUTH_HTTP_REQUEST_FORBIDDEN':
    case 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN':
      return { code: 'ERR_PROFILE_INVALID', message: 'only https endpoints (or http on this machine) are allowed', detail };
    case 'OAUTH_INVALID_RESPONSE':
      if (context === 'authorization-response') {
        // State is matched before the library sees the callback, so what remains is the RFC 9207 iss check (or a JARM response).
        const parameters = cause?.parameters;
        const jarm = parameters instanceof URLSearchParams && parameters.has('response');
        return jarm
          ? { code: 'ERR_AUTHORIZATION_RESPONSE', message: 'JARM responses are not supported', detail }
          : { code: 'ERR_ISSUER_MISMATCH', message: 'the callback\'s "iss" is missing or names another issuer', detail };
      }
      return { code: payloadCode(context), message, detail };
    default:
      return { code: payloadCode(context), message, detail };
  }
}

/**
 * The one place library errors become ours: jose's ERR_JWT_* / ERR_JWS_*, oauth4webapi's codes,
 * SQLite's SQLITE_*, Node's network errors and aborts; a TokenscopeError keeps its own code. Anything
 * unknown is ERR_INTERNAL with a generic message (the original message may hold secrets or a stack).
 */
export function toAppError(error: unknown, context?: OAuthErrorContext): AppError {
  if (error instanceof TokenscopeError) return appErrorOf(error);
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
  const network = networkCause(error);
  if (network) return { code: 'ERR_NETWORK', message: network.words, detail: { cause: network.cause } };
  if (code.startsWith('OAUTH_')) return oauthError(e as OAuthLibraryError, code, message, context);
  return { code: 'ERR_INTERNAL', message: 'internal error' };
}

type NetworkCause = 'refused' | 'dns' | 'tls' | 'reset' | 'unreachable' | 'other';

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** Why a request got no answer at all (Node's error codes, directly or as fetch's `cause`), in words; undefined if it is not a network failure. */
function networkCause(error: unknown): { cause: NetworkCause; words: string } | undefined {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null;
  const own = typeof e?.code === 'string' ? e.code : '';
  const fetchFailed = e?.name === 'TypeError' && e.message === 'fetch failed';
  const inner = (fetchFailed ? e.cause : undefined) as { code?: unknown; cause?: unknown } | undefined;
  const code = typeof inner?.code === 'string' ? inner.code : own;
  if (code === 'ECONNREFUSED') return { cause: 'refused', words: 'connection refused (nothing listens on that port)' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return { cause: 'dns', words: `DNS lookup failed (${code}: no such host)` };
  if (TLS_CODES.test(code)) return { cause: 'tls', words: `TLS failed (${code})` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return { cause: 'reset', words: 'the connection was closed before an answer' };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { cause: 'unreachable', words: `network unreachable (${code})` };
  if (fetchFailed) return { cause: 'other', words: `network error${code ? ` (${code})` : ''}` };
  return undefined;
}

/** What a request to `url` that got no answer is: ERR_NETWORK naming the URL (no query) and the cause; undefined if `error` is not a network failure. */
export function networkError(error: unknown, url: string): TokenscopeError | undefined {
  const network = networkCause(error);
  if (!network) return undefined;
  const parsed = URL.parse(url);
  const where = parsed ? `${parsed.origin}${parsed.pathname}` : 'the server';
  return new TokenscopeError('ERR_NETWORK', `could not reach ${where}: ${network.words}`, { url: where, cause: network.cause });
}

/** Run `fn` and turn anything it throws into a Result, library errors mapped by `toAppError`. */
export function attempt<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  return attemptWith(fn, toAppError);
}

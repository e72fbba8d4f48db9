/** Errors of one OAuth request, named after its endpoint: the same oauth4webapi code means different things per endpoint. */
import type { ExchangeStep } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { ENDPOINT_NAMES, toAppError, type OAuthErrorContext } from '../errors.ts';
import { withStep } from './exchange-step.ts';

/** Our error for what a request to this endpoint threw (an unusable answer named by its status and body); our own errors pass through as they are. */
export async function endpointError(error: unknown, endpoint: OAuthErrorContext): Promise<TokenscopeError> {
  if (error instanceof TokenscopeError) return error;
  const named = await answerError(error, endpoint);
  if (named) return named;
  const app = toAppError(error, endpoint);
  return new TokenscopeError(app.code, app.message, app.detail);
}

/** The library codes for "the answer is not the JSON this endpoint gives": the message then names what came instead. */
const NOT_THE_EXPECTED_BODY = new Set(['OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_PARSE_ERROR']);

/** What the body was, in words: "an empty body", "a text/html body", "a JSON body without an OAuth error". */
function bodyInWords(text: string | undefined, contentType: string | null): string {
  if (text?.trim() === '') return 'an empty body';
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (text !== undefined && type.includes('json')) {
    try {
      JSON.parse(text);
      return 'a JSON body without an OAuth error';
    } catch {
      return 'a body that is not valid JSON';
    }
  }
  return type ? `a ${type} body` : 'a body without a content type';
}

/**
 * A refused or unusable answer named as the server gave it ("the token endpoint answered HTTP 403 with an empty
 * body"), never the library's content-type message. Undefined when `error` is not such an answer.
 */
async function answerError(error: unknown, endpoint: OAuthErrorContext): Promise<TokenscopeError | undefined> {
  const e = error as { code?: unknown; cause?: unknown } | null;
  if (typeof e?.code !== 'string' || !NOT_THE_EXPECTED_BODY.has(e.code) || !(e.cause instanceof Response)) return undefined;
  const response = e.cause;
  // exchangeFetch hands the library a Response built from the text it already read: cloning it costs no network.
  const text = response.bodyUsed
    ? undefined
    : await response
        .clone()
        .text()
        .catch(() => undefined);
  const words = bodyInWords(text, response.headers.get('content-type'));
  const app = toAppError(error, endpoint);
  const refused = response.status >= 400;
  const message = refused
    ? `${ENDPOINT_NAMES[endpoint]} answered HTTP ${response.status} with ${words}`
    : `${ENDPOINT_NAMES[endpoint]} answered HTTP ${response.status} with ${words}, where its JSON answer was expected`;
  return new TokenscopeError(app.code, message, { ...app.detail, status: response.status });
}

/** The exchange-log step of a request to each endpoint (the ID token's check fetches the JWKS). */
const STEPS: Readonly<Record<OAuthErrorContext, ExchangeStep>> = {
  discovery: 'discovery',
  'authorization-response': 'callback',
  par: 'par',
  token: 'token',
  'device-authorization': 'device-authorization',
  'device-token': 'device-token',
  revocation: 'revocation',
  introspection: 'introspection',
  userinfo: 'userinfo',
  'id-token': 'jwks',
};

/**
 * Runs one request (or the processing of its response), its exchanges logged under the endpoint's step, and turns
 * whatever it throws into our error for that endpoint.
 */
export async function withEndpointErrors<T>(endpoint: OAuthErrorContext, request: () => Promise<T> | T): Promise<T> {
  try {
    return await withStep(STEPS[endpoint], request);
  } catch (error) {
    throw await endpointError(error, endpoint);
  }
}

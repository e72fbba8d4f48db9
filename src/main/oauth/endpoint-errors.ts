/** Errors of one OAuth request, named after its endpoint: the same oauth4webapi code means different things per endpoint. */
import { TokenscopeError } from '../../shared/result.ts';
import { toAppError, type OAuthErrorContext } from '../errors.ts';

/** Our error for what a request to this endpoint threw; our own errors pass through as they are. */
export function endpointError(error: unknown, endpoint: OAuthErrorContext): TokenscopeError {
  if (error instanceof TokenscopeError) return error;
  const app = toAppError(error, endpoint);
  return new TokenscopeError(app.code, app.message, app.detail);
}

/** Runs one request (or the processing of its response) and turns whatever it throws into our error for that endpoint. */
export async function withEndpointErrors<T>(endpoint: OAuthErrorContext, request: () => Promise<T> | T): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw endpointError(error, endpoint);
  }
}

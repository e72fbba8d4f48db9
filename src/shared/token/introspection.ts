/**
 * An introspection answer (RFC 7662) told like a token: the verdict in words, and each member of the response
 * explained by the same claim registry as a JWT's claims. The back end calls it; front doors show its result.
 */
import { explainClaims, type ClaimView } from './claims.ts';

export interface IntrospectionView {
  readonly verdict: string;
  readonly explained: readonly ClaimView[];
}

export function introspectionView(claims: Readonly<Record<string, unknown>>, nowMs: number): IntrospectionView {
  const active = claims['active'] === true;
  const verdict = active
    ? 'The server says this token is active.'
    : 'The server says this token is not active (active: false). RFC 7662 §2.2 gives no reason: it may have expired, been revoked, or never been issued by this server to this client; the server tells nothing more about it.';
  return { verdict, explained: explainClaims(claims, nowMs).claims };
}

/**
 * Why an API refused a token, in words, checked against what the token says about itself: expiry (with the clock
 * skew APIs allow), audience, scopes, acr / auth_time for step-up (RFC 9470) and key binding (cnf, RFC 9449 / 8705).
 */
import type { AuthChallenge } from '../../shared/api-call.ts';
import type { TokenSummary } from '../../shared/model.ts';
import type { TokenBinding } from '../../shared/oauth.ts';
import { audiencesOf, scopesOf } from '../../shared/token/facts.ts';
import { formatDuration, formatRelative } from '../../shared/time/relative.ts';
import { numericDateMs } from '../../shared/formats/units.ts';

/** The clock skew most APIs allow when they check exp and nbf. */
export const CLOCK_SKEW_S = 60;

export interface RefusalInput {
  readonly status: number;
  readonly challenges: readonly AuthChallenge[];
  /** The JWT's claims; null for an opaque token (its facts then come from the token response: summary). */
  readonly claims: Readonly<Record<string, unknown>> | null;
  readonly summary: TokenSummary;
  readonly nowMs: number;
  /** The token's binding (token-binding.ts) and whether the request carried a DPoP proof of its key. */
  readonly binding?: TokenBinding | undefined;
  readonly provedWithDpop?: boolean | undefined;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(' ');
}

function expiryWords(summary: TokenSummary, claims: RefusalInput['claims'], nowMs: number): string | undefined {
  const expiresAtMs = (claims ? numericDateMs(claims['exp']) : undefined) ?? summary.expiresAtMs ?? undefined;
  if (expiresAtMs === undefined) return 'the token carries no expiry that Tokenscope can read (expiry unknown)';
  const iso = new Date(expiresAtMs).toISOString();
  if (expiresAtMs <= nowMs) return `the token expired ${formatRelative(expiresAtMs, nowMs)} (${iso})`;
  if (expiresAtMs - nowMs <= CLOCK_SKEW_S * 1000)
    return `the token expires ${formatRelative(expiresAtMs, nowMs)}: within the ${CLOCK_SKEW_S} s clock skew an API may allow, it may already count as expired`;
  const nbf = claims ? numericDateMs(claims['nbf']) : undefined;
  if (nbf !== undefined && nbf > nowMs) return `the token is not valid before ${new Date(nbf).toISOString()} (nbf)`;
  return undefined;
}

function bindingWords(
  claims: RefusalInput['claims'],
  challenges: readonly AuthChallenge[],
  binding: TokenBinding | undefined,
  proved: boolean,
): string[] {
  const out: string[] = [];
  const cnf = claims?.['cnf'];
  const bound = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>) : undefined;
  const dpopBound = binding?.kind === 'dpop' || (bound !== undefined && typeof bound['jkt'] === 'string');
  if (dpopBound && proved) {
    const invalidProof = challenges.find((c) => c.error === 'invalid_dpop_proof');
    out.push(
      invalidProof
        ? `the API refused the DPoP proof${invalidProof.errorDescription ? ` (${invalidProof.errorDescription})` : ''}: the token is ${binding?.summary ?? 'DPoP-bound'}`
        : `the token went DPoP-bound, with a proof of this profile's key: ${binding?.summary ?? 'bound (cnf.jkt)'}`,
    );
  } else if (dpopBound) {
    out.push(
      binding?.matchesProfileKey === false
        ? `the token is ${binding.summary}: sent as a Bearer token without a DPoP proof, the API must refuse it`
        : 'the token is bound to a DPoP key (cnf.jkt): sent as a Bearer token without a DPoP proof, the API must refuse it',
    );
  }
  if (bound && typeof bound['x5t#S256'] === 'string')
    out.push('the token is bound to a client certificate (cnf x5t#S256, RFC 8705): the API expects it over mutual TLS');
  if (challenges.some((c) => c.error === 'use_dpop_nonce'))
    out.push('the API asks for a DPoP proof carrying its nonce (the DPoP-Nonce header): send the request again with that nonce');
  else if (
    !dpopBound &&
    challenges.some((c) => c.scheme.toLowerCase() === 'dpop') &&
    !challenges.some((c) => c.scheme.toLowerCase() === 'bearer')
  )
    out.push('the API accepts DPoP-bound tokens only (its challenge is DPoP, not Bearer), and this token is not bound');
  return out;
}

export function explainRefusal(input: RefusalInput): string[] {
  const { status, challenges, claims, summary, nowMs } = input;
  if (status !== 401 && status !== 403) return [];
  const out: string[] = [];
  const said = challenges.find((c) => c.error !== undefined) ?? challenges[0];
  if (said?.error) {
    out.push(`the API answered HTTP ${status} ${said.error}${said.errorDescription ? `: ${said.errorDescription}` : ''}`);
  } else if (challenges.length > 0) {
    out.push(
      `the API answered HTTP ${status} and asks for ${challenges.map((c) => c.scheme).join(' or ')} authentication, without naming an error`,
    );
  } else {
    out.push(`the API answered HTTP ${status} without a WWW-Authenticate header: it gives no reason`);
  }
  if (summary.kind !== 'access_token')
    out.push(
      `this is ${summary.kind === 'id_token' ? 'an ID token' : `a ${summary.kind}`}, not an access token: APIs take access tokens`,
    );
  const expiry = expiryWords(summary, claims, nowMs);
  if (expiry) out.push(expiry);
  const audience = claims ? audiencesOf(claims) : [];
  const description = (said?.errorDescription ?? '').toLowerCase();
  if (claims === null) {
    out.push('the token is opaque: Tokenscope cannot read its audience; only the API (or introspection) can say whom it is for');
  } else if (audience.length === 0) {
    out.push('the token carries no audience (aud): an API that checks its audience refuses it');
  } else if (said?.error === 'invalid_token' || /\baud(ience)?\b/.test(description)) {
    out.push(
      `the token is for the audience ${list(audience)}${/\baud(ience)?\b/.test(description) ? ', and the API says the audience is wrong' : ''}: if the API is another resource, ask for a token with the resource (or audience) parameter set to it`,
    );
  }
  const have = claims ? scopesOf(claims) : [...summary.scopes];
  const scoped = challenges.find((c) => c.scope !== undefined);
  if (said?.error === 'insufficient_scope' || scoped) {
    const needed = scoped?.scope ?? [];
    const missing = needed.filter((s) => !have.includes(s));
    out.push(
      needed.length > 0
        ? `the API needs the scope ${list(needed)}; the token has ${list(have)}${missing.length > 0 ? `; missing: ${list(missing)}` : ''}`
        : `the API needs a scope it does not name; the token has ${list(have)}`,
    );
  }
  const stepUp = challenges.find((c) => c.acrValues !== undefined || c.maxAgeS !== undefined);
  if (stepUp?.acrValues) {
    const acr = typeof claims?.['acr'] === 'string' ? claims['acr'] : undefined;
    out.push(
      `the API asks for a stronger sign-in (RFC 9470): acr ${stepUp.acrValues.join(' or ')}; the token's acr is ${acr ?? 'absent'}${acr && stepUp.acrValues.includes(acr) ? '' : ': sign in again with acr_values set'}`,
    );
  }
  if (stepUp?.maxAgeS !== undefined) {
    const authTime = claims ? numericDateMs(claims['auth_time']) : undefined;
    out.push(
      authTime === undefined
        ? `the API accepts a sign-in at most ${formatDuration(stepUp.maxAgeS * 1000)} old; the token has no auth_time, so its age is unknown`
        : `the API accepts a sign-in at most ${formatDuration(stepUp.maxAgeS * 1000)} old; the user signed in ${formatRelative(authTime, nowMs)}: sign in again with max_age`,
    );
  }
  out.push(...bindingWords(claims, challenges, input.binding, input.provedWithDpop === true));
  if (status === 403 && !said?.error) out.push('HTTP 403 usually means the token was accepted but does not allow this request');
  return out;
}

/**
 * What one bare token reads as: a JWS (header, claims, findings, facts), a JWE (its protected header) or an
 * opaque value (with a hint when a vendor prefix names its issuer). inspect.ts calls it for a pasted token and
 * for each token inside a token object or redirect.
 */
import { TokenscopeError } from '../result.ts';
import type { TokenKind } from '../model.ts';
import { explainClaims, explainHeader, type ClaimView } from './claims.ts';
import { claimFacts, type ClaimFacts } from './facts.ts';
import { finding, jsonScanFindings, type Finding } from './findings.ts';
import {
  decodeJwe,
  decodeJws,
  probeJoseHeader,
  segmentProblem,
  type DecodedJwe,
  type DecodedJws,
  type JoseHeaderProbe,
  type JsonObject,
} from './jwt.ts';
import { opaqueHint } from './opaque-hints.ts';
import { jweQuirks, jwtQuirks, opaqueQuirks } from '../presets/quirks.ts';
import { checkProfile, checkValidity, jwtKind, type ProfileExpectations } from './profiles.ts';
import { dpopFindings, isDpopProof } from './dpop-proof.ts';
import type { SignatureReport } from './verify.ts';

export type BareTokenKind = 'jwt' | 'jwe' | 'opaque';

export interface JwtView {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly raw: DecodedJws['raw'];
  readonly signature: SignatureReport;
  readonly headerParams: readonly ClaimView[];
}

export interface JweView {
  readonly header: JsonObject;
  readonly headerParams: readonly ClaimView[];
  readonly raw: DecodedJwe['raw'];
}

/** The facts the history keeps about a token (issuer, subject, expiry, scopes...), read by facts.ts. Absent stays absent. */
export interface TokenFacts extends ClaimFacts {
  readonly kind: TokenKind;
}

/** What one bare token (JWS, JWE or opaque) reads as. */
export interface TokenAnalysis {
  readonly kind: BareTokenKind;
  readonly facts: TokenFacts;
  readonly jwt?: JwtView;
  readonly jwe?: JweView;
  readonly claims: readonly ClaimView[];
  readonly findings: readonly Finding[];
}

export interface EmbeddedToken extends TokenAnalysis {
  /** Which field of the token object or redirect it came from. */
  readonly role: 'access_token' | 'refresh_token' | 'id_token';
}

/** RFC 6750 b64token, widened to any visible ASCII: what an opaque token may legally look like. */
const OPAQUE = /^[\x21-\x7e]+$/;
/** Header parameters through which a token names its own key. */
const KEY_REFERENCES = ['jku', 'x5u', 'x5c', 'jwk'] as const;

function factsFromJwt(kind: TokenKind, payload: JsonObject): TokenFacts {
  return { kind, ...claimFacts(payload, kind) };
}

function analyzeJws(
  token: string,
  header: JoseHeaderProbe,
  nowMs: number,
  expect: ProfileExpectations | undefined,
  roleHint?: TokenKind,
): TokenAnalysis {
  const decoded = decodeJws(token, header);
  const findings: Finding[] = [];
  const alg = decoded.header['alg'] as string;
  const kidRaw = decoded.header['kid'];
  const unsigned = alg === 'none';
  if (unsigned)
    findings.push(
      finding('UNSIGNED_JWT', 'error', 'alg is "none": this token carries no signature and proves nothing', { field: 'alg' }),
    );
  for (const d of decoded.duplicateHeaderParams)
    findings.push(
      finding(
        'DUPLICATE_CLAIM',
        'error',
        `header parameter "${d.slice(0, 60)}" appears more than once: parsers disagree on which one wins`,
        { field: `header.${d}` },
      ),
    );
  findings.push(...jsonScanFindings(decoded.duplicateClaims, decoded.nonFinite, 'claim', 'shown as null'));
  // A DPoP proof names its own key on purpose (RFC 9449 §4.2): its jwk is the key it proves, not a key source.
  const dpopProof = isDpopProof(decoded.header);
  for (const h of KEY_REFERENCES) {
    if (Object.hasOwn(decoded.header, h) && !(dpopProof && h === 'jwk')) {
      findings.push(
        finding(
          'UNTRUSTED_KEY_REFERENCE',
          'info',
          `the header names its own key (${h}): ignored; keys come only from the source you choose`,
          { field: h },
        ),
      );
    }
  }
  const crit = decoded.header['crit'];
  if (crit !== undefined && !(Array.isArray(crit) && crit.length > 0 && crit.every((c) => c === 'b64'))) {
    findings.push(
      finding(
        'CRIT_UNSUPPORTED',
        'error',
        'the header marks extensions as critical that Tokenscope does not understand: the token cannot be verified',
        { field: 'crit' },
      ),
    );
  }
  const explained = explainClaims(decoded.payload, nowMs);
  findings.push(...explained.findings);
  // The field a token came in (id_token, access_token) says what it is; its claims only guess for a bare token.
  const kind = roleHint ?? jwtKind(decoded.header, decoded.payload);
  findings.push(...checkValidity(explained.times, nowMs, expect?.clockSkewS ?? 0));
  findings.push(...checkProfile(kind, decoded.header, decoded.payload, expect));
  findings.push(...dpopFindings(decoded.header, decoded.payload, nowMs));
  findings.push(...jwtQuirks(decoded.header, decoded.payload, kind));
  const unverified = 'not verified: give a key source to check the signature';
  const signature: SignatureReport = unsigned
    ? { state: 'unsigned', alg, message: 'alg is "none": there is no signature' }
    : typeof kidRaw === 'string'
      ? { state: 'unverified', alg, kid: kidRaw, message: unverified }
      : { state: 'unverified', alg, message: unverified };
  return {
    kind: 'jwt',
    facts: factsFromJwt(kind, decoded.payload),
    jwt: {
      header: decoded.header,
      payload: decoded.payload,
      raw: decoded.raw,
      signature,
      headerParams: explainHeader(decoded.header),
    },
    claims: explained.claims,
    findings,
  };
}

function analyzeJwe(token: string): TokenAnalysis {
  const decoded = decodeJwe(token);
  return {
    kind: 'jwe',
    facts: { kind: 'unknown' },
    jwe: { header: decoded.header, headerParams: explainHeader(decoded.header), raw: decoded.raw },
    claims: [],
    findings: [
      finding(
        'ENCRYPTED_PAYLOAD',
        'info',
        'a JWE: the payload is encrypted for its recipient; only the protected header can be read',
      ),
      ...jweQuirks(decoded.header),
    ],
  };
}

/** One bare token: JWS, JWE, or opaque (with a finding when it looks like a JWT but is not one). */
export function analyzeToken(
  token: string,
  nowMs: number,
  expect: ProfileExpectations | undefined,
  roleHint?: TokenKind,
): TokenAnalysis {
  const parts = token.split('.');
  const opaque = (findings: Finding[] = []): TokenAnalysis => ({
    kind: 'opaque',
    facts: { kind: roleHint ?? 'unknown' },
    claims: [],
    findings,
  });
  if (parts.length === 3 || parts.length === 5) {
    const first = parts[0] ?? '';
    const header = probeJoseHeader(first);
    if (header) return parts.length === 3 ? analyzeJws(token, header, nowMs, expect, roleHint) : analyzeJwe(token);
    const looksLikeJose = first.startsWith('eyJ');
    if (looksLikeJose) {
      const problem = segmentProblem(parts) ?? 'the first segment does not decode to a JSON header with "alg"';
      if (!OPAQUE.test(token)) throw new TokenscopeError('ERR_MALFORMED_JWT', `looks like a JWT but ${problem}`);
      return opaque([finding('NOT_A_JWT', 'warning', `read as an opaque token, not a JWT: ${problem}`)]);
    }
  }
  if (token.startsWith('eyJ') && OPAQUE.test(token)) {
    return opaque([
      finding(
        'NOT_A_JWT',
        'warning',
        `starts like a JWT header but has ${parts.length} dot-separated segment${parts.length === 1 ? '' : 's'} (a JWS has 3, a JWE 5): read as an opaque token`,
      ),
    ]);
  }
  if (!OPAQUE.test(token)) {
    if (token.startsWith('eyJ'))
      throw new TokenscopeError('ERR_MALFORMED_JWT', 'looks like a JWT but contains whitespace or characters no token may hold');
    throw new TokenscopeError('ERR_NOT_A_TOKEN', 'not a token: it contains whitespace or characters no token may hold');
  }
  const hint = opaqueHint(token);
  return opaque(
    hint
      ? [finding('OPAQUE_HINT', 'info', `the ${hint.prefix} prefix suggests ${hint.issuer}: ${hint.what}`), ...opaqueQuirks(hint)]
      : [],
  );
}

/** Reads what a developer pasted and says what it is: the entry point of the token domain. */
import type { TokenKind } from '../model.ts';
import { TokenscopeError } from '../result.ts';
import {
  compare,
  detect,
  importToken,
  isFormatId,
  topCandidates,
  type CanonicalRecord,
  type ComparisonTable,
  type DetectCandidate,
  type FormatId,
  type Provenance,
} from '../formats/index.ts';
import {
  analyzeToken,
  type BareTokenKind,
  type EmbeddedToken,
  type JweView,
  type JwtView,
  type TokenAnalysis,
  type TokenFacts,
} from './analyze.ts';
import { startUnknownWords } from './facts.ts';
import type { ClaimView } from './claims.ts';
import { finding, type Finding } from './findings.ts';
import type { JsonObject } from './jwt.ts';
import { tokenObjectInput, utf8Length } from './token-object-input.ts';
import type { ProfileExpectations } from './profiles.ts';
import {
  evaluateExpectations,
  hasApiExpectations,
  type ApiExpectations,
  type ExpectationReport,
  type ExpectationSubject,
} from './expectations.ts';

export type { BareTokenKind, EmbeddedToken, JweView, JwtView, TokenFacts } from './analyze.ts';
export type { Finding } from './findings.ts';
export type { ClaimView } from './claims.ts';

export const MAX_INPUT_BYTES = 1024 * 1024;

export type InputKind = 'jwt' | 'jwe' | 'opaque' | 'token-object' | 'authorization-header' | 'redirect-url';

export interface RedirectInfo {
  /** Where the parameters were: the query (code flow) or the fragment (implicit / hybrid). */
  readonly location: 'query' | 'fragment';
  readonly params: readonly string[];
  /** Every parameter with its value, in order (state, expires_in, scope, error...): what the inspect table shows. */
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly errorDescription?: string;
}

export interface InputInfo {
  readonly kind: InputKind;
  /** UTF-8 size of the input. */
  readonly bytes: number;
  /** The token inside an Authorization header or a bare paste. */
  readonly tokenKind?: BareTokenKind;
  /** `Bearer`, `DPoP`: the scheme of an Authorization header. */
  readonly scheme?: string;
  readonly redirect?: RedirectInfo;
  /** Where inside a wrapper object the token object was found (`accessTokens[0]`, `data`). */
  readonly path?: string;
}

/** What `inspectText` reads out of the input: everything the inspection shows except the format comparison. */
export interface TokenInspection {
  readonly input: InputInfo;
  /** Format candidates, best first (token objects and redirects; empty for a bare token). */
  readonly detected: readonly DetectCandidate[];
  /** The format the object was read as. */
  readonly format?: FormatId;
  readonly canonical: CanonicalRecord;
  /** For a token object: which field each canonical value came from, in which unit, and its raw value. */
  readonly provenance?: readonly Provenance[];
  readonly summary: TokenFacts;
  /** The JWT pasted, or the main JWT of a token object (access token first, then ID token). */
  readonly jwt?: JwtView;
  readonly jwe?: JweView;
  readonly claims: readonly ClaimView[];
  readonly embedded: readonly EmbeddedToken[];
  readonly findings: readonly Finding[];
  /** "Would an API accept this token?": present when the caller said what the API expects (`expect`). */
  readonly expectations?: ExpectationReport;
  /**
   * A token response with a lifetime (`expires_in`) but no time to count it from: saving takes it as received now
   * (saveToken's `receivedAtMs` changes that). `words`: "lifetime 1 hour, start unknown".
   */
  readonly lifetimeStartUnknown?: { readonly lifetimeS: number; readonly words: string };
}

/** The inspection plus the concept × format comparison table: what the inspect screen and the CLI report show. */
export interface InspectResult extends TokenInspection {
  readonly comparison: ComparisonTable;
}

export interface InspectOptions {
  /** The clock, epoch ms (tests pin it). */
  readonly nowMs?: number;
  /** Read a token object as this format instead of the detected one. */
  readonly formatId?: string;
  /** The reader's expectations (nonce, issuer, audience as findings) and an API's (the `expectations` report). */
  readonly expect?: ProfileExpectations & ApiExpectations;
  /**
   * Also build the six-format comparison table (`comparison`). The inspect screen (the API's `inspect`) and the
   * CLI report ask for it; callers that only need the facts, claims or findings (history, verify, convert) do not.
   */
  readonly comparison?: boolean;
  /** What a bare token is known to be (the field it came in), judged by that profile instead of its claims' guess. */
  readonly kind?: TokenKind;
  /**
   * What the history recorded from the token response (expiry from `expires_in`, granted scopes): the API
   * expectations use it where the token itself says nothing (an opaque token), never over what the token says.
   */
  readonly recorded?: { readonly expiresAtMs?: number; readonly scopes?: readonly string[] };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ObjectReading {
  readonly detected: readonly DetectCandidate[];
  readonly format: FormatId;
  readonly canonical: CanonicalRecord;
  readonly provenance: readonly Provenance[];
  readonly findings: Finding[];
  readonly embedded: EmbeddedToken[];
}

/** Reads a token object: detect (or take the forced format), map to canonical, validate, decode embedded tokens. */
function readTokenObject(
  object: JsonObject,
  nowMs: number,
  options: InspectOptions,
  forced?: FormatId,
  exact?: ReadonlyMap<string, string>,
): ObjectReading {
  const detected = detect(object);
  const findings: Finding[] = [];
  let format: FormatId;
  const asked = forced ?? (options.formatId !== undefined ? options.formatId : undefined);
  if (asked !== undefined) {
    if (!isFormatId(asked))
      throw new TokenscopeError('ERR_UNKNOWN_FORMAT', `unknown format "${asked.slice(0, 60)}" (see tokenscope formats)`);
    format = asked;
    if (forced === undefined && detected[0] !== undefined && detected[0].format !== asked) {
      findings.push(
        finding('FORMAT_CHOSEN', 'info', `read as ${asked} as asked; detection ranked ${detected[0].format} first`, {
          format: asked,
        }),
      );
    }
  } else {
    const best = detected[0];
    if (best === undefined)
      throw new TokenscopeError('ERR_NOT_A_TOKEN', 'the JSON object has none of the fields of a known token format');
    format = best.format;
    const tied = topCandidates(detected);
    if (tied.length > 1) {
      findings.push(
        finding(
          'AMBIGUOUS_FORMAT',
          'info',
          `the fields fit ${tied.map((c) => c.format).join(', ')} equally well: read as ${format} (choose another with --format)`,
          { format },
        ),
      );
    }
  }
  const imported = importToken(object, format, exact);
  findings.push(...imported.findings);
  const embedded: EmbeddedToken[] = [];
  const roles = [
    ['access_token', imported.record.accessToken, 'access_token'],
    ['id_token', imported.record.idToken, 'id_token'],
    ['refresh_token', imported.record.refreshToken, 'refresh_token'],
  ] as const;
  for (const [role, value, hint] of roles) {
    if (value === undefined) continue;
    try {
      const a = analyzeToken(value.trim(), nowMs, role === 'id_token' ? options.expect : undefined, hint);
      embedded.push({
        role,
        kind: a.kind,
        facts: a.facts,
        claims: a.claims,
        findings: a.findings,
        ...(a.jwt ? { jwt: a.jwt } : {}),
        ...(a.jwe ? { jwe: a.jwe } : {}),
      });
    } catch (e) {
      // A broken embedded token is a finding about the object, not a failure of the whole inspection.
      const code = e instanceof TokenscopeError ? e.code : 'ERR_MALFORMED_JWT';
      findings.push(finding('NOT_A_JWT', 'warning', `${role} could not be read (${code})`, { field: role, format }));
    }
  }
  return {
    detected,
    format,
    canonical: imported.record,
    provenance: imported.provenance,
    findings,
    embedded,
  };
}

function canonicalFromToken(token: string, a: TokenAnalysis, tokenType?: string): CanonicalRecord {
  const role: 'idToken' | 'refreshToken' | 'accessToken' =
    a.facts.kind === 'id_token' ? 'idToken' : a.facts.kind === 'refresh_token' ? 'refreshToken' : 'accessToken';
  const f = a.facts;
  const lifetime =
    f.expiresAtMs !== undefined && f.issuedAtMs !== undefined && f.expiresAtMs >= f.issuedAtMs
      ? (f.expiresAtMs - f.issuedAtMs) / 1000
      : undefined;
  // Filled in a fixed order (the key order of the record); absent stays absent.
  const record: Mutable<CanonicalRecord> = {};
  record[role] = token;
  if (tokenType !== undefined) record.tokenType = tokenType;
  if (f.scopes !== undefined) record.scopes = f.scopes;
  if (f.issuedAtMs !== undefined) record.issuedAtMs = f.issuedAtMs;
  if (f.expiresAtMs !== undefined) record.expiresAtMs = f.expiresAtMs;
  if (lifetime !== undefined) record.expiresInS = lifetime;
  if (f.subject !== undefined) record.subject = f.subject;
  if (f.clientId !== undefined) record.clientId = f.clientId;
  return record;
}

/** The result, with the comparison table when the caller asked for it (built from the record and its source). */
function finish(
  result: TokenInspection,
  options: InspectOptions,
  source?: { readonly format: FormatId; readonly object: JsonObject },
): TokenInspection {
  if (options.comparison !== true) return result;
  const full: InspectResult = { ...result, comparison: compare(result.canonical, source ? { source } : {}) };
  return full;
}

/** A bare token, or the token of an Authorization header (`input` then says so; a bare token's kind is its own). */
function bareResult(
  input: { readonly kind: 'authorization-header'; readonly bytes: number; readonly scheme: string } | { readonly bytes: number },
  token: string,
  nowMs: number,
  options: InspectOptions,
  tokenType?: string,
): TokenInspection {
  const a = analyzeToken(token, nowMs, options.expect, options.kind);
  // Keys in a fixed order, jwt / jwe only when present.
  const result: Partial<Mutable<TokenInspection>> = {
    input: 'kind' in input ? { ...input, tokenKind: a.kind } : { kind: a.kind, bytes: input.bytes, tokenKind: a.kind },
    detected: [],
    canonical: canonicalFromToken(token, a, tokenType),
    summary: a.facts,
  };
  if (a.jwt) result.jwt = a.jwt;
  if (a.jwe) result.jwe = a.jwe;
  result.claims = a.claims;
  result.embedded = [];
  result.findings = [...a.findings];
  return finish(result as TokenInspection, options);
}

function objectResult(
  input: InputInfo,
  object: JsonObject,
  nowMs: number,
  options: InspectOptions,
  pre: Finding[],
  forced?: FormatId,
  exact?: ReadonlyMap<string, string>,
): TokenInspection {
  const r = readTokenObject(object, nowMs, options, forced, exact);
  const main =
    r.embedded.find((e) => e.jwt !== undefined && e.role === 'access_token') ?? r.embedded.find((e) => e.jwt !== undefined);
  const first = r.embedded.find((e) => e.role === 'access_token') ?? r.embedded[0];
  const c = r.canonical;
  const jwtFacts: TokenFacts = main?.facts ?? { kind: first?.facts.kind ?? 'unknown' };
  const issuedAtMs = c.issuedAtMs ?? jwtFacts.issuedAtMs;
  const expiresAtMs =
    c.expiresAtMs ??
    (c.issuedAtMs !== undefined && c.expiresInS !== undefined
      ? c.issuedAtMs + Math.round(c.expiresInS * 1000)
      : jwtFacts.expiresAtMs);
  const scopes = c.scopes ?? jwtFacts.scopes;
  const subject = c.subject ?? jwtFacts.subject;
  const clientId = c.clientId ?? jwtFacts.clientId;
  const summary: TokenFacts = {
    ...jwtFacts,
    kind:
      c.accessToken !== undefined || c.accessTokenHash !== undefined
        ? 'access_token'
        : c.idToken !== undefined
          ? 'id_token'
          : c.refreshToken !== undefined
            ? 'refresh_token'
            : jwtFacts.kind,
    ...(subject !== undefined ? { subject } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(scopes !== undefined ? { scopes } : {}),
    ...(issuedAtMs !== undefined ? { issuedAtMs } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
  };
  const validity =
    main === undefined && expiresAtMs !== undefined && expiresAtMs <= nowMs
      ? [finding('EXPIRED', 'warning', 'the access token has expired')]
      : [];
  return finish(
    {
      input,
      detected: r.detected,
      format: r.format,
      canonical: r.canonical,
      provenance: r.provenance,
      summary,
      ...(expiresAtMs === undefined && c.expiresInS !== undefined
        ? { lifetimeStartUnknown: { lifetimeS: c.expiresInS, words: startUnknownWords(c.expiresInS) } }
        : {}),
      ...(main?.jwt ? { jwt: main.jwt } : {}),
      claims: main?.claims ?? [],
      embedded: r.embedded,
      findings: [
        ...pre,
        ...r.findings,
        ...validity,
        ...r.embedded.flatMap((e) =>
          e.findings.map((f) => ({ ...f, field: `${e.role}${f.field === undefined ? '' : `.${f.field}`}` })),
        ),
      ],
    },
    options,
    { format: r.format, object },
  );
}

const HEADER_LINE = /^(?:authorization[ \t]*:[ \t]*)?(bearer|dpop)[ \t]+(\S+)$/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

function redirectResult(text: string, bytes: number, nowMs: number, options: InspectOptions): TokenInspection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TokenscopeError('ERR_NOT_A_TOKEN', 'looks like a URL but cannot be parsed');
  }
  const fromHash = new URLSearchParams(url.hash.startsWith('#') ? url.hash.slice(1) : url.hash);
  const fromQuery = url.searchParams;
  const tokenKeys = ['access_token', 'id_token', 'code', 'error'];
  const location: 'query' | 'fragment' = tokenKeys.some((k) => fromHash.has(k)) ? 'fragment' : 'query';
  const params = location === 'fragment' ? fromHash : fromQuery;
  if (!tokenKeys.some((k) => params.has(k))) {
    throw new TokenscopeError('ERR_NOT_A_TOKEN', 'the URL carries no access_token, id_token, code or error parameter');
  }
  const get = (k: string): string | undefined => params.get(k) ?? undefined;
  const code = get('code');
  const state = get('state');
  const error = get('error');
  const errorDescription = get('error_description');
  const redirect: RedirectInfo = {
    location,
    params: [...new Set(params.keys())],
    parameters: [...params.entries()].slice(0, 100).map(([name, value]) => ({ name, value })),
    ...(code !== undefined ? { code } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(errorDescription !== undefined ? { errorDescription } : {}),
  };
  const input: InputInfo = { kind: 'redirect-url', bytes, redirect };
  const pre: Finding[] = [];
  if (error !== undefined)
    pre.push(
      finding(
        'REDIRECT_ERROR',
        'error',
        `the authorization server answered with error "${error.slice(0, 60)}"${errorDescription ? `: ${errorDescription.slice(0, 120)}` : ''}`,
        { field: 'error' },
      ),
    );
  if (code !== undefined)
    pre.push(
      finding(
        'AUTHORIZATION_CODE',
        'info',
        'the URL carries an authorization code: exchange it at the token endpoint (it is single-use and short-lived)',
        { field: 'code' },
      ),
    );
  const accessToken = get('access_token');
  const idToken = get('id_token');
  if (accessToken === undefined && idToken === undefined) {
    const canonical: CanonicalRecord = {};
    return finish(
      { input, detected: [], canonical, summary: { kind: 'unknown' }, claims: [], embedded: [], findings: pre },
      options,
    );
  }
  if (location === 'fragment' && accessToken !== undefined) {
    pre.push(
      finding(
        'TOKEN_IN_URL',
        'warning',
        'an access token in a URL fragment: the implicit flow leaks tokens to history and referrers (OAuth 2.0 Security BCP)',
        { field: 'access_token' },
      ),
    );
  }
  const object: Record<string, unknown> = {};
  for (const key of ['access_token', 'token_type', 'id_token', 'refresh_token', 'scope', 'issued_token_type']) {
    const v = get(key);
    if (v !== undefined) object[key] = v;
  }
  const expiresIn = get('expires_in');
  if (expiresIn !== undefined) object['expires_in'] = /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  return objectResult(input, object, nowMs, options, pre, 'rfc6749.TokenResponse');
}

/**
 * Inspects any pasted text. Throws TokenscopeError with a stable code for input it cannot read. With
 * `{ comparison: true }` the result also holds the six-format comparison table (InspectResult).
 */
export function inspectText(text: string, options: InspectOptions & { readonly comparison: true }): InspectResult;
export function inspectText(text: string, options?: InspectOptions): TokenInspection;
export function inspectText(text: string, options: InspectOptions = {}): TokenInspection {
  // An evaluation time (`--at`) is the clock of the whole inspection: expiry findings and the report agree.
  const nowMs = options.expect?.atMs ?? options.nowMs ?? Date.now();
  const result = inspectAt(text, { ...options, nowMs });
  if (!hasApiExpectations(options.expect)) return result;
  return { ...result, expectations: evaluateExpectations(expectationSubject(result, options.recorded), options.expect, nowMs) };
}

/** The token an API would be handed: the JWT of the inspection, else its facts (an opaque or encrypted token). */
function expectationSubject(result: TokenInspection, recorded: InspectOptions['recorded']): ExpectationSubject {
  if (result.jwt) return { facts: result.summary, header: result.jwt.header, claims: result.jwt.payload };
  const facts = {
    ...result.summary,
    ...(result.summary.expiresAtMs === undefined && recorded?.expiresAtMs !== undefined
      ? { expiresAtMs: recorded.expiresAtMs }
      : {}),
    ...(result.summary.scopes === undefined && recorded?.scopes !== undefined && recorded.scopes.length > 0
      ? { scopes: recorded.scopes }
      : {}),
  };
  const kind = result.input.tokenKind ?? result.embedded.find((e) => e.role === 'access_token')?.kind;
  const opaqueReason =
    result.jwe || kind === 'jwe'
      ? 'the token is encrypted (JWE): only its recipient can read the claims'
      : 'an opaque token: only its issuer can tell (introspection)';
  // A JWE's header names its key management, not a signature: typ and alg of the token inside are unknown too.
  return { facts, opaqueReason };
}

function inspectAt(text: string, options: InspectOptions & { readonly nowMs: number }): TokenInspection {
  // A string longer than the limit in UTF-16 units is longer in UTF-8 bytes too: refuse before encoding.
  if (text.length > MAX_INPUT_BYTES) throw new TokenscopeError('ERR_INPUT_TOO_LARGE', 'the input is larger than 1 MiB');
  const bytes = utf8Length(text);
  if (bytes > MAX_INPUT_BYTES) throw new TokenscopeError('ERR_INPUT_TOO_LARGE', 'the input is larger than 1 MiB');
  const { nowMs } = options;
  const trimmed = text.trim();
  if (trimmed === '') throw new TokenscopeError('ERR_EMPTY_INPUT', 'nothing to inspect: the input is empty');

  const first = trimmed[0];
  if (first === '{' || first === '[' || first === '"' || trimmed === 'null' || trimmed === 'true' || trimmed === 'false') {
    const input = tokenObjectInput(trimmed, options.formatId === undefined);
    const info: InputInfo = { kind: 'token-object', bytes, ...(input.path !== undefined ? { path: input.path } : {}) };
    return objectResult(info, input.object, nowMs, options, input.findings, undefined, input.exact);
  }
  const header = HEADER_LINE.exec(trimmed);
  if (header) {
    const scheme = (header[1] ?? '').toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
    return bareResult({ kind: 'authorization-header', bytes, scheme }, header[2] ?? '', nowMs, options, scheme);
  }
  if (/^authorization[ \t]*:/i.test(trimmed)) {
    throw new TokenscopeError(
      'ERR_NOT_A_TOKEN',
      'an Authorization header without a Bearer or DPoP token (Basic credentials are not a token)',
    );
  }
  // The includes() spares a token (no "://") the regex's scan and backtrack over its whole length.
  if (trimmed.includes('://') && URL_LIKE.test(trimmed)) return redirectResult(trimmed, bytes, nowMs, options);
  // A bare token: its input kind (jwt / jwe / opaque) is what the analysis found.
  return bareResult({ bytes }, trimmed, nowMs, options);
}

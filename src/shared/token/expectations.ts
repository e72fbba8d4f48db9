/**
 * "Would an API accept this token?": what an API expects (issuer, audience, scopes, a clock skew, an evaluation
 * time, typ at+jwt, an algorithm allow-list) checked against one token, each check answered pass / fail / unknown in
 * words. The one evaluator: inspectToken's `expect` runs it for the inspect screen, the token detail and the CLI.
 */
import { isoFromMs } from '../formats/units.ts';
import { formatDuration } from '../time/relative.ts';
import type { TokenFacts } from './analyze.ts';

type JsonObject = Readonly<Record<string, unknown>>;

/** What an API expects of the tokens it accepts. Only the expectations given are checked, expiry always. */
export interface ApiExpectations {
  readonly issuer?: string;
  readonly audience?: string;
  /** Scopes the API needs; every one must be granted. */
  readonly scopes?: readonly string[];
  /** Accepted clock skew for exp / nbf, seconds (0 when absent). */
  readonly clockSkewS?: number;
  /** The time to evaluate at, epoch ms (now when absent). */
  readonly atMs?: number;
  /** The typ the header must carry (`at+jwt`, RFC 9068 §2.1). */
  readonly typ?: string;
  /** The signing algorithms the API accepts. */
  readonly algorithms?: readonly string[];
}

export type ExpectationCheck = 'issuer' | 'audience' | 'scopes' | 'expiry' | 'not-before' | 'type' | 'algorithm';

export interface ExpectationRow {
  readonly check: ExpectationCheck;
  readonly outcome: 'pass' | 'fail' | 'unknown';
  /** One line, in plain words: what the token has against what the API expects. */
  readonly message: string;
}

export interface ExpectationReport {
  /** False when a check fails; true when every check passes; null when none fails but some cannot be told. */
  readonly accepted: boolean | null;
  /** The verdict in words, naming what was not checked: the one sentence every front door shows. */
  readonly summary: string;
  readonly atMs: number;
  readonly skewS: number;
  readonly rows: readonly ExpectationRow[];
}

/** What the evaluator looks at: the token's facts, and its JOSE header and claims when it is a JWT. */
export interface ExpectationSubject {
  readonly facts: TokenFacts;
  readonly header?: JsonObject;
  readonly claims?: JsonObject;
  /** Why there are no claims to read (an opaque or encrypted token), said in the unknown rows. */
  readonly opaqueReason?: string;
}

/** Whether the caller asked for anything the evaluator checks. */
export function hasApiExpectations(expect: ApiExpectations | undefined): expect is ApiExpectations {
  if (expect === undefined) return false;
  return (
    expect.issuer !== undefined ||
    expect.audience !== undefined ||
    (expect.scopes !== undefined && expect.scopes.length > 0) ||
    expect.clockSkewS !== undefined ||
    expect.atMs !== undefined ||
    expect.typ !== undefined ||
    (expect.algorithms !== undefined && expect.algorithms.length > 0)
  );
}

function quoted(value: string): string {
  return `"${value.length > 80 ? `${value.slice(0, 79)}…` : value}"`;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.map(quoted).join(', ');
}

function when(ms: number, atMs: number): string {
  const delta = ms - atMs;
  const iso = isoFromMs(ms) ?? String(ms);
  return `${iso} (${delta <= 0 ? `${formatDuration(-delta)} before` : `${formatDuration(delta)} after`} the evaluation time)`;
}

/** Evaluates the expectations against one token. Pure: the time is `expect.atMs` or `nowMs`. */
export function evaluateExpectations(subject: ExpectationSubject, expect: ApiExpectations, nowMs: number): ExpectationReport {
  const atMs = expect.atMs ?? nowMs;
  const skewS = expect.clockSkewS ?? 0;
  const skewText = skewS > 0 ? ` with ${String(skewS)} s of clock skew` : '';
  const { facts, header, claims } = subject;
  const noClaims = subject.opaqueReason ?? 'the token has no readable claims';
  const rows: ExpectationRow[] = [];
  const row = (check: ExpectationCheck, outcome: ExpectationRow['outcome'], message: string): void => {
    rows.push({ check, outcome, message });
  };

  if (expect.issuer !== undefined) {
    if (claims === undefined) row('issuer', 'unknown', `cannot tell the issuer: ${noClaims}`);
    else if (facts.issuer === undefined)
      row('issuer', 'fail', `the token names no issuer (iss); the API expects ${quoted(expect.issuer)}`);
    else if (facts.issuer === expect.issuer) row('issuer', 'pass', `iss is ${quoted(facts.issuer)}, as expected`);
    else row('issuer', 'fail', `iss is ${quoted(facts.issuer)}, but the API expects ${quoted(expect.issuer)}`);
  }
  if (expect.audience !== undefined) {
    const auds = facts.audience ?? [];
    if (claims === undefined) row('audience', 'unknown', `cannot tell the audience: ${noClaims}`);
    else if (auds.length === 0)
      row('audience', 'fail', `the token names no audience (aud); the API expects ${quoted(expect.audience)}`);
    else if (auds.includes(expect.audience)) row('audience', 'pass', `aud includes ${quoted(expect.audience)}`);
    else
      row(
        'audience',
        'fail',
        `aud is ${list(auds)}: it does not include ${quoted(expect.audience)}, the audience the API expects`,
      );
  }
  if (expect.scopes !== undefined && expect.scopes.length > 0) {
    const granted = facts.scopes;
    if (granted === undefined) {
      if (claims === undefined) row('scopes', 'unknown', `cannot tell the scopes: ${noClaims}`);
      else row('scopes', 'fail', `the token names no scopes (scope / scp); the API needs ${list(expect.scopes)}`);
    } else {
      const missing = expect.scopes.filter((s) => !granted.includes(s));
      if (missing.length === 0) row('scopes', 'pass', `every scope the API needs is granted (${list(expect.scopes)})`);
      else
        row(
          'scopes',
          'fail',
          `${missing.length === 1 ? 'scope' : 'scopes'} ${list(missing)} ${missing.length === 1 ? 'is' : 'are'} not granted; the token has ${list(granted)}`,
        );
    }
  }
  // Expiry: every API checks it, asked or not.
  if (facts.expiresAtMs === undefined) {
    row('expiry', 'unknown', claims === undefined ? `cannot tell the expiry: ${noClaims}` : 'the token carries no expiry (exp)');
  } else if (facts.expiresAtMs + skewS * 1000 <= atMs) {
    row('expiry', 'fail', `expired at ${when(facts.expiresAtMs, atMs)}${skewText}`);
  } else {
    row('expiry', 'pass', `valid until ${when(facts.expiresAtMs, atMs)}${skewText}`);
  }
  if (facts.notBeforeMs !== undefined) {
    if (facts.notBeforeMs - skewS * 1000 > atMs)
      row('not-before', 'fail', `not valid before ${when(facts.notBeforeMs, atMs)}${skewText}`);
    else row('not-before', 'pass', `valid since ${when(facts.notBeforeMs, atMs)}`);
  }
  if (expect.typ !== undefined) {
    const want = expect.typ.toLowerCase().replace(/^application\//, '');
    const typ = header?.['typ'];
    if (header === undefined) row('type', 'unknown', `cannot tell the typ: ${noClaims}`);
    else if (typeof typ !== 'string') row('type', 'fail', `the header has no typ; the API expects ${quoted(expect.typ)}`);
    else if (typ.toLowerCase().replace(/^application\//, '') === want) row('type', 'pass', `typ is ${quoted(typ)}`);
    else row('type', 'fail', `typ is ${quoted(typ)}, but the API expects ${quoted(expect.typ)}`);
  }
  const alg = header?.['alg'];
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    row('algorithm', 'fail', 'alg is "none": the token is unsigned, and no API may accept it');
  } else if (expect.algorithms !== undefined && expect.algorithms.length > 0) {
    if (header === undefined) row('algorithm', 'unknown', `cannot tell the algorithm: ${noClaims}`);
    else if (typeof alg !== 'string') row('algorithm', 'fail', 'the header names no alg');
    else if (expect.algorithms.includes(alg)) row('algorithm', 'pass', `alg ${quoted(alg)} is on the allow-list`);
    else row('algorithm', 'fail', `alg ${quoted(alg)} is not on the allow-list (${list(expect.algorithms)})`);
  }
  const accepted = rows.some((r) => r.outcome === 'fail') ? false : rows.some((r) => r.outcome === 'unknown') ? null : true;
  return { accepted, summary: summarize(accepted, rows, expect), atMs, skewS, rows };
}

const CHECK_WORDS: Readonly<Record<ExpectationCheck, string>> = {
  issuer: 'the issuer',
  audience: 'the audience',
  scopes: 'the scopes',
  expiry: 'the expiry',
  'not-before': 'the not-before time',
  type: 'the token type',
  algorithm: 'the algorithm',
};

function words(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** The verdict in one sentence that never claims more than was checked. */
function summarize(accepted: boolean | null, rows: readonly ExpectationRow[], expect: ApiExpectations): string {
  const checked = words(rows.map((r) => CHECK_WORDS[r.check]));
  const unasked = [
    expect.issuer === undefined ? 'issuer' : undefined,
    expect.audience === undefined ? 'audience' : undefined,
    expect.scopes === undefined || expect.scopes.length === 0 ? 'scopes' : undefined,
  ].filter((x): x is string => x !== undefined);
  const notChecked =
    unasked.length > 0
      ? ` The ${words(unasked)} ${unasked.length === 1 ? 'was' : 'were'} not checked: say what the API expects.`
      : '';
  if (accepted === false) {
    const failed = words(rows.filter((r) => r.outcome === 'fail').map((r) => CHECK_WORDS[r.check]));
    return `No. Not met: ${failed}.${notChecked}`;
  }
  if (accepted === null) {
    const unknown = words(rows.filter((r) => r.outcome === 'unknown').map((r) => CHECK_WORDS[r.check]));
    return `Cannot tell: ${unknown} cannot be read from the token.${notChecked}`;
  }
  return `Yes, as far as was checked (${checked}).${notChecked}`;
}

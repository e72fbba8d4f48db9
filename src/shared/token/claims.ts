/** Turns decoded claims into explained rows: meaning, time as ISO and relative, and time-claim findings. */
import {
  CLAIMS,
  HEADER_PARAMS,
  isEntraInternalClaim,
  isNamespacedClaim,
  type ClaimCategory,
  type ClaimInfo,
} from './claim-registry.ts';
import { finding, type Finding } from './findings.ts';
import { MAX_EPOCH_S, isoFromMs, readSecondsField } from '../formats/units.ts';
import { formatRelative } from '../time/relative.ts';

export interface ClaimTime {
  /** The instant in epoch milliseconds, as read (a suspected-ms value is read as ms). */
  readonly epochMs: number;
  readonly iso: string;
  readonly relative: string;
  /** 's' as RFC 7519 says, or 'ms' when a 13-digit value was read as milliseconds. */
  readonly readAs: 's' | 'ms';
}

export interface ClaimView {
  readonly name: string;
  readonly value: unknown;
  readonly registered: boolean;
  readonly label: string;
  readonly explanation: string;
  readonly source?: string;
  readonly category: ClaimCategory | 'custom';
  readonly time?: ClaimTime;
}

/** The registries as Maps, built once: a Map finds only the names put in it (never `constructor` or `__proto__`). */
const CLAIM_INFO: ReadonlyMap<string, ClaimInfo> = new Map(Object.entries(CLAIMS));
const HEADER_INFO: ReadonlyMap<string, ClaimInfo> = new Map(Object.entries(HEADER_PARAMS));

function lookup(table: ReadonlyMap<string, ClaimInfo>, name: string): ClaimInfo | undefined {
  return table.get(name);
}

const PROTO_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

export interface TimeCheck {
  readonly time?: ClaimTime;
  readonly findings: readonly Finding[];
}

/** Reads a NumericDate claim: invalid (not a number, negative, past 9999, overflow) or a 13-digit ms value. */
export function checkTimeClaim(name: string, value: unknown, nowMs: number): TimeCheck {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const what =
      value === null
        ? 'null (or a number too large to represent)'
        : typeof value === 'string'
          ? 'a string'
          : `a ${Array.isArray(value) ? 'array' : typeof value}`;
    return {
      findings: [
        finding('INVALID_TIME_CLAIM', 'error', `${name} must be a number of seconds since 1970 but is ${what}`, { field: name }),
      ],
    };
  }
  if (value < 0) {
    return { findings: [finding('INVALID_TIME_CLAIM', 'error', `${name} is negative: before 1970`, { field: name })] };
  }
  const reading = readSecondsField(value);
  if (reading.readAs === 'ms') {
    const iso = isoFromMs(reading.ms) ?? '';
    return {
      time: { epochMs: reading.ms, iso, relative: formatRelative(reading.ms, nowMs), readAs: 'ms' },
      findings: [
        finding(
          'UNIT_SUSPECT',
          'warning',
          `${name} has 13 digits: milliseconds where RFC 7519 wants seconds (as ms it is ${iso})`,
          { field: name },
        ),
      ],
    };
  }
  if (value > MAX_EPOCH_S) {
    return { findings: [finding('INVALID_TIME_CLAIM', 'error', `${name} is past the year 9999`, { field: name })] };
  }
  const ms = reading.ms;
  return { time: { epochMs: ms, iso: isoFromMs(ms) ?? '', relative: formatRelative(ms, nowMs), readAs: 's' }, findings: [] };
}

function view(name: string, value: unknown, info: ClaimInfo | undefined, time?: ClaimTime): ClaimView {
  const base: { -readonly [K in keyof ClaimView]: ClaimView[K] } = info
    ? {
        name,
        value,
        registered: true,
        label: info.label,
        explanation: info.explanation,
        source: info.source,
        category: info.category,
      }
    : isNamespacedClaim(name)
      ? {
          name,
          value,
          registered: false,
          label: name,
          explanation:
            'A namespaced custom claim (the Auth0 convention: a URL prefix keeps it from colliding with registered names).',
          category: 'vendor' as const,
        }
      : isEntraInternalClaim(name)
        ? {
            name,
            value,
            registered: false,
            label: name,
            explanation:
              'Microsoft Entra: an optional or internal claim (xms_…): xms_cc client capabilities, xms_pdl preferred data location, xms_tcdt tenant creation time; most are for Microsoft’s own use.',
            source: 'Microsoft Entra ID',
            category: 'vendor' as const,
          }
        : {
            name,
            value,
            registered: false,
            label: name,
            explanation: 'Not a registered claim: its meaning is defined by the issuer.',
            category: 'custom' as const,
          };
  if (time !== undefined) base.time = time;
  return base;
}

/** A party of an act / may_act claim in words: its subject, with its client and issuer when named. */
function partyWords(party: Readonly<Record<string, unknown>>): string {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, 100) : undefined);
  const sub = text(party['sub']) ?? 'an unnamed party';
  const extras = [
    text(party['client_id']) !== undefined && text(party['client_id']) !== sub ? `client ${text(party['client_id'])}` : '',
    text(party['iss']) !== undefined ? `issued by ${text(party['iss'])}` : '',
  ].filter(Boolean);
  return extras.length > 0 ? `${sub} (${extras.join(', ')})` : sub;
}

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Deep enough for any real delegation chain; a longer one is said to go on. */
const MAX_ACTORS = 8;

/**
 * RFC 8693 §4.1 / §4.4 in words, for this token: who acts on behalf of whom now (the outermost act), and the earlier
 * actors nested inside it; or who may act for the subject. Undefined when the value is not such a claim.
 */
function delegationWords(name: string, value: unknown, payload: Readonly<Record<string, unknown>>): string | undefined {
  if (!isObject(value)) return undefined;
  const subject = typeof payload['sub'] === 'string' ? payload['sub'].slice(0, 100) : 'the subject';
  if (name === 'may_act') return `Here: ${partyWords(value)} may act on behalf of ${subject}.`;
  const earlier: string[] = [];
  let nested = value['act'];
  while (isObject(nested) && earlier.length < MAX_ACTORS) {
    earlier.push(`before it, ${partyWords(nested)} acted`);
    nested = nested['act'];
  }
  if (isObject(nested)) earlier.push('and earlier actors');
  const chain = earlier.length > 0 ? `; ${earlier.join('; ')} (only the outermost actor counts for access decisions)` : '';
  return `Here: ${partyWords(value)} acts on behalf of ${subject}${chain}.`;
}

export interface ExplainedClaims {
  readonly claims: readonly ClaimView[];
  readonly findings: readonly Finding[];
  /** Valid time claims, epoch ms, for the summary and the lifetime checks. */
  readonly times: Readonly<Partial<Record<'exp' | 'iat' | 'nbf' | 'auth_time', number>>>;
}

/** Explains every payload claim, in payload order. */
export function explainClaims(payload: Readonly<Record<string, unknown>>, nowMs: number): ExplainedClaims {
  const claims: ClaimView[] = [];
  const findings: Finding[] = [];
  const times: Partial<Record<'exp' | 'iat' | 'nbf' | 'auth_time', number>> = {};
  for (const name of Object.keys(payload)) {
    const value = payload[name];
    const info = lookup(CLAIM_INFO, name);
    if (PROTO_NAMES.has(name)) {
      findings.push(
        finding(
          'PROTOTYPE_CLAIM_NAME',
          'warning',
          `the token has a claim named "${name}": shown as data; code that copies claims into plain objects may be exploitable`,
          { field: name },
        ),
      );
    }
    if (info?.time) {
      const check = checkTimeClaim(name, value, nowMs);
      findings.push(...check.findings);
      if (check.time && (name === 'exp' || name === 'iat' || name === 'nbf' || name === 'auth_time'))
        times[name] = check.time.epochMs;
      claims.push(view(name, value, info, check.time));
      continue;
    }
    const delegation = name === 'act' || name === 'may_act' ? delegationWords(name, value, payload) : undefined;
    const explained = view(name, value, info);
    claims.push(delegation ? { ...explained, explanation: `${explained.explanation} ${delegation}` } : explained);
  }
  return { claims, findings, times };
}

/** Explains the JOSE header parameters. */
export function explainHeader(header: Readonly<Record<string, unknown>>): ClaimView[] {
  return Object.keys(header).map((name) => view(name, header[name], lookup(HEADER_INFO, name)));
}

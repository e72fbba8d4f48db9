/** Conversion of any readable token text to one of the six formats, and the diff of two token texts. */
import { TokenscopeError } from '../result.ts';
import {
  convertRecord,
  diff,
  getFormatSpec,
  isFormatId,
  type CanonicalRecord,
  type FormatId,
  type KeyCase,
  type TokenDiff,
} from '../formats/index.ts';
import { finding, type Finding } from './findings.ts';
import { inspectText, type InputKind } from './inspect.ts';

export interface ConvertTokenRequest {
  readonly text: string;
  /** The target format id. */
  readonly to: string;
  /** Read a token object as this format instead of the detected one. */
  readonly from?: string;
  /** For two-case formats (Gusto): camel (SDK) or snake (wire). */
  readonly case?: KeyCase;
}

export interface ConvertTokenResult {
  readonly from: { readonly kind: InputKind; readonly format?: FormatId };
  readonly to: FormatId;
  readonly case: KeyCase;
  readonly output: Readonly<Record<string, unknown>>;
  readonly canonical: CanonicalRecord;
  /** Findings of reading the input (errors, and values derived while reading) and of writing the output. */
  readonly findings: readonly Finding[];
}

/**
 * Fills what the target format needs and the record implies: an expiry from issued-at + lifetime, or a lifetime
 * from the two instants. Each derived value is reported; nothing is invented from the clock.
 */
function deriveForFormat(record: CanonicalRecord, to: FormatId): { record: CanonicalRecord; derived: Finding[] } {
  const concepts = new Set(getFormatSpec(to).fields.map((f) => f.concept));
  const derived: Finding[] = [];
  let out = record;
  const { issuedAtMs, expiresAtMs, expiresInS } = record;
  if (concepts.has('expiresAtMs') && expiresAtMs === undefined && issuedAtMs !== undefined && expiresInS !== undefined) {
    out = { ...out, expiresAtMs: issuedAtMs + Math.round(expiresInS * 1000) };
    derived.push(finding('DERIVED_VALUE', 'info', 'the expiry is derived from the issue time plus the lifetime', { format: to }));
  }
  if (
    concepts.has('expiresInS') &&
    expiresInS === undefined &&
    issuedAtMs !== undefined &&
    expiresAtMs !== undefined &&
    expiresAtMs >= issuedAtMs
  ) {
    out = { ...out, expiresInS: (expiresAtMs - issuedAtMs) / 1000 };
    derived.push(
      finding('DERIVED_VALUE', 'info', 'the lifetime is derived from the expiry minus the issue time', { format: to }),
    );
  }
  return { record: out, derived };
}

export function convertText(request: ConvertTokenRequest, nowMs?: number): ConvertTokenResult {
  if (!isFormatId(request.to))
    throw new TokenscopeError('ERR_UNKNOWN_FORMAT', `unknown format "${request.to.slice(0, 60)}" (see tokenscope formats)`);
  const inspected = inspectText(request.text, {
    ...(nowMs !== undefined ? { nowMs } : {}),
    ...(request.from !== undefined ? { formatId: request.from } : {}),
  });
  if (Object.keys(inspected.canonical).length === 0) {
    throw new TokenscopeError('ERR_CONVERSION', 'the input holds no token values to convert');
  }
  const { record, derived } = deriveForFormat(inspected.canonical, request.to);
  const out = convertRecord(record, request.to, request.case === undefined ? {} : { case: request.case });
  const readFindings = inspected.findings.filter((f) => f.severity === 'error' || f.code === 'DERIVED_VALUE');
  const writeFindings: Finding[] = [...derived, ...out.findings];
  const held = new Set(getFormatSpec(request.to).fields.map((f) => f.concept));
  if (!Object.keys(record).some((concept) => held.has(concept as keyof CanonicalRecord))) {
    throw new TokenscopeError('ERR_CONVERSION', `${request.to} can hold none of this token's values`);
  }
  return {
    from: { kind: inspected.input.kind, ...(inspected.format !== undefined ? { format: inspected.format } : {}) },
    to: request.to,
    case: out.case,
    output: out.output,
    canonical: inspected.canonical,
    findings: [...readFindings, ...writeFindings],
  };
}

export interface DiffTokensRequest {
  readonly a: string;
  readonly b: string;
}

export interface ClaimChange {
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface DiffTokensResult {
  readonly a: { readonly kind: InputKind; readonly format?: FormatId };
  readonly b: { readonly kind: InputKind; readonly format?: FormatId };
  readonly diff: TokenDiff;
  /** Claim by claim, when both sides hold a JWT. */
  readonly claims: readonly ClaimChange[];
}

function same(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

export function diffTexts(request: DiffTokensRequest, nowMs?: number): DiffTokensResult {
  const opts = nowMs !== undefined ? { nowMs } : {};
  const a = inspectText(request.a, opts);
  const b = inspectText(request.b, opts);
  const claims: ClaimChange[] = [];
  if (a.jwt && b.jwt) {
    const pa = a.jwt.payload;
    const pb = b.jwt.payload;
    for (const name of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
      const inA = Object.hasOwn(pa, name);
      const inB = Object.hasOwn(pb, name);
      if (inA && !inB) claims.push({ name, change: 'removed', before: pa[name] });
      else if (!inA && inB) claims.push({ name, change: 'added', after: pb[name] });
      else if (!same(pa[name], pb[name])) claims.push({ name, change: 'changed', before: pa[name], after: pb[name] });
    }
  }
  const side = (r: typeof a): DiffTokensResult['a'] => ({
    kind: r.input.kind,
    ...(r.format !== undefined ? { format: r.format } : {}),
  });
  return { a: side(a), b: side(b), diff: diff(a.canonical, b.canonical), claims };
}

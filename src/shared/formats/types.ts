/** Data types of the token-format layer: format specs, the canonical record, findings, detection and comparison. */

/** The six documented shapes of ../shared/FORMATS.md, by their stable ids. */
export const FORMAT_IDS = [
  'rfc6749.TokenResponse',
  'serendip.TokenModel',
  'affinidi.ConsumerAuthTokenEndpointOutput',
  'affinidi.OAuth2Token',
  'gusto.RefreshTokenAuthentication',
  'authlete.AccessToken',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export function isFormatId(value: unknown): value is FormatId {
  return typeof value === 'string' && (FORMAT_IDS as readonly string[]).includes(value);
}

/** A key/value property attached to a token (Authlete's `Property`). */
export interface TokenProperty {
  readonly key: string;
  readonly value: string;
  readonly hidden?: boolean;
}

/**
 * Tokenscope's own view of a token, independent of any format. Times are epoch milliseconds
 * (integers, `…AtMs`), lifetimes are seconds (`…InS`). Absent stays absent: never `0`, never `""`.
 */
export interface CanonicalRecord {
  readonly accessToken?: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly tokenType?: string;
  readonly scopes?: readonly string[];
  readonly refreshScopes?: readonly string[];
  readonly issuedAtMs?: number;
  readonly expiresAtMs?: number;
  readonly expiresInS?: number;
  readonly refreshExpiresAtMs?: number;
  readonly lastRefreshedAtMs?: number;
  /** OAuth wire value, e.g. `authorization_code`, `urn:ietf:params:oauth:grant-type:device_code`. */
  readonly grantType?: string;
  readonly subject?: string;
  readonly clientId?: string;
  readonly accessTokenHash?: string;
  readonly refreshTokenHash?: string;
  readonly groups?: readonly string[];
  readonly userAgent?: string;
  readonly username?: string;
  readonly userId?: string;
  /** The id of the stored record in the source system (Serendip's `_id`). */
  readonly recordId?: string;
  /** RFC 8693 `issued_token_type`. */
  readonly issuedTokenType?: string;
  readonly properties?: readonly TokenProperty[];
}

export type Concept = keyof CanonicalRecord;

/** How a value is written in a format; conversion to and from the canonical record follows from it. */
export type FieldUnit =
  | 'epoch-ms'
  | 'epoch-s'
  | 'duration-ms'
  | 'duration-s'
  | 'space-separated'
  | 'string-array'
  | 'property-array'
  | 'numeric-id'
  | 'upper-grant-enum'
  | 'text';

/** The JSON type a field is documented to have. */
export type DocType = 'string' | 'number' | 'integer' | 'string[]' | 'object[]';

export interface FieldSpec {
  /** The name on the wire (snake_case, or as documented). */
  readonly name: string;
  /** The SDK's camelCase name when the format has a second case. */
  readonly sdkName?: string;
  /** The documented type, normalised. */
  readonly type: DocType;
  /** The type as the doc page writes it (`T.nilable(::Integer)`, `number`, ...). */
  readonly documentedType: string;
  readonly required: boolean;
  /** `null` is allowed (Ruby `T.nilable`, Python Optional). */
  readonly nullable: boolean;
  readonly unit: FieldUnit;
  /** The canonical record key this field holds. */
  readonly concept: Concept;
  /** One line, in our own words. */
  readonly meaning: string;
  /** Values the documentation lists (`Bearer`, the grant-type enum, ...). Other values draw a finding when `closed`. */
  readonly enumValues?: readonly string[];
  readonly enumClosed?: boolean;
  readonly defaultValue?: string | number;
  /** Where the documentation is known to be wrong: what real values look like, and why. */
  readonly docIssue?: { readonly actualType: 'string'; readonly note: string };
  /** Zero means "none" (Authlete's `refresh_token_expires_at`, `last_refreshed_at`). */
  readonly zeroMeansNone?: boolean;
  /** An older edition of the SDK typed the field as a numeric string: accepted, with a finding. */
  readonly acceptsNumericString?: boolean;
}

export interface FormatSpec {
  readonly id: FormatId;
  readonly title: string;
  readonly vendor: string;
  /** Where the shape comes from (SDK, endpoint). */
  readonly source: string;
  /** The doc page in ../shared/seeds/, when there is one. */
  readonly docPage?: string;
  /** `snake`: one wire case; `snake+camel`: a snake_case wire twin of a camelCase SDK model. */
  readonly cases: 'snake' | 'snake+camel';
  /** The case `fromCanonical` writes by default. */
  readonly defaultCase: 'snake' | 'camel';
  readonly summary: string;
  readonly notes: readonly string[];
  readonly fields: readonly FieldSpec[];
  /** Value patterns that point at this format when field names alone cannot tell (a vendor's token prefix). */
  readonly valueHints?: readonly { readonly concept: Concept; readonly prefix: string; readonly reason: string }[];
}

export type Severity = 'error' | 'warning' | 'info';

export const FORMAT_FINDING_CODES = [
  'MISSING_REQUIRED',
  'DOC_TYPE_MISMATCH',
  'UNIT_SUSPECT',
  'UNKNOWN_FIELD',
  'NOT_REPRESENTABLE',
  'INVALID_VALUE',
  'AMBIGUOUS_FORMAT',
  'MIXED_CASE',
  'DERIVED_VALUE',
  'ROUNDED',
] as const;
export type FormatFindingCode = (typeof FORMAT_FINDING_CODES)[number];

export interface FormatFinding {
  readonly code: FormatFindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly field?: string;
  readonly format?: FormatId;
  readonly concept?: Concept;
}

export interface DetectCandidate {
  readonly format: FormatId;
  /** In [0, 1], rounded to three decimals. */
  readonly score: number;
  /** Which case the object's keys are in. */
  readonly case: 'snake' | 'camel';
  readonly reasons: readonly string[];
}

/** Where each canonical value came from: the field, the unit it came in and the raw value. */
export interface Provenance {
  readonly concept: Concept;
  readonly field: string;
  readonly unit: FieldUnit;
  readonly raw: unknown;
}

export interface CanonicalImport {
  readonly format: FormatId;
  readonly record: CanonicalRecord;
  readonly provenance: readonly Provenance[];
  readonly findings: readonly FormatFinding[];
}

export interface ConversionOutput {
  readonly format: FormatId;
  readonly case: 'snake' | 'camel';
  readonly output: Readonly<Record<string, unknown>>;
  readonly findings: readonly FormatFinding[];
}

export type CellFlag = 'MISSING_REQUIRED' | 'DOC_TYPE_MISMATCH' | 'UNIT_SUSPECT' | 'NOT_REPRESENTABLE' | 'INVALID_VALUE';

export interface ComparisonCell {
  readonly format: FormatId;
  /** False when the format has no field for this concept. */
  readonly representable: boolean;
  readonly field?: string;
  readonly sdkField?: string;
  readonly documentedType?: string;
  readonly unit?: FieldUnit;
  readonly required?: boolean;
  /** The token's value written as this format writes it (converted to its unit); absent when the token has none. */
  readonly value?: unknown;
  readonly flags: readonly CellFlag[];
}

export interface ComparisonRow {
  readonly concept: Concept;
  readonly label: string;
  /** The canonical value (epoch ms / seconds / string[]), absent when the token has none. */
  readonly canonical?: unknown;
  readonly cells: readonly ComparisonCell[];
}

export interface ComparisonTable {
  readonly formats: readonly FormatId[];
  /** The format the token came in, when known: its cells carry the findings of the real value. */
  readonly source?: FormatId;
  readonly rows: readonly ComparisonRow[];
}

export type DiffChange = 'added' | 'removed' | 'changed' | 'rotated' | 'narrowed' | 'widened' | 'extended' | 'shortened';

export interface DiffEntry {
  readonly concept: Concept;
  readonly change: DiffChange;
  readonly before?: unknown;
  readonly after?: unknown;
  /** For scopes: what was added and removed. */
  readonly addedValues?: readonly string[];
  readonly removedValues?: readonly string[];
  readonly summary: string;
}

export interface TokenDiff {
  readonly entries: readonly DiffEntry[];
  readonly unchanged: readonly Concept[];
}

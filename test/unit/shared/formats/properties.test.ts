import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTHLETE_GRANT_TYPES,
  FORMAT_IDS,
  compare,
  convertRecord,
  diff,
  fromCanonical,
  getFormatSpec,
  toCanonical,
  type CanonicalRecord,
  type Concept,
  type FormatId,
} from '../../../../src/shared/formats/index.ts';
import { numericIdValue } from '../../../../src/shared/formats/units.ts';
import { allNumbersFinite } from './fixtures.ts';

const text = fc.string({ minLength: 1, maxLength: 24 });
const word = fc.stringMatching(/^[A-Za-z0-9:._/-]{1,16}$/);
const instant = fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 });
const wireGrants = [...Object.values(AUTHLETE_GRANT_TYPES), 'system_access', 'password'];

const recordArb: fc.Arbitrary<CanonicalRecord> = fc.record(
  {
    accessToken: text,
    refreshToken: text,
    idToken: text,
    tokenType: fc.constantFrom('Bearer', 'DPoP', 'N_A'),
    scopes: fc.array(word, { minLength: 1, maxLength: 5 }),
    refreshScopes: fc.array(text, { maxLength: 3 }),
    issuedAtMs: instant,
    expiresAtMs: instant,
    // From one minute: a shorter lifetime written in ms reads as seconds (units.ts durationLooksLikeSeconds).
    expiresInS: fc.integer({ min: 60, max: 999_999 }),
    refreshExpiresAtMs: instant,
    lastRefreshedAtMs: instant,
    grantType: fc.constantFrom(...wireGrants),
    subject: text,
    clientId: fc.oneof(fc.stringMatching(/^[1-9][0-9]{0,14}$/), fc.stringMatching(/^[1-9][0-9]{15,18}$/), text),
    accessTokenHash: text,
    refreshTokenHash: text,
    groups: fc.array(text, { maxLength: 3 }),
    userAgent: text,
    username: text,
    userId: text,
    recordId: text,
    issuedTokenType: text,
    properties: fc.array(fc.record({ key: text, value: text, hidden: fc.boolean() }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** What a format can hold of a record, derived from the spec (the concepts it has fields for) and its value rules. */
function restrict(record: CanonicalRecord, format: FormatId): CanonicalRecord {
  const spec = getFormatSpec(format);
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const v = record[field.concept];
    if (v === undefined) continue;
    if (field.unit === 'numeric-id' && !(typeof v === 'string' && numericIdValue(v) !== undefined)) continue;
    if (field.unit === 'upper-grant-enum' && !Object.values(AUTHLETE_GRANT_TYPES).includes(v as string)) continue;
    // Whole seconds in a seconds field: the fraction of a millisecond instant is not written.
    out[field.concept] = field.unit === 'epoch-s' ? Math.floor((v as number) / 1000) * 1000 : v;
  }
  // A format with an issue time and a lifetime but no expiry field derives the expiry (DERIVED_VALUE).
  const { issuedAtMs, expiresInS } = out;
  if (out['expiresAtMs'] === undefined && typeof issuedAtMs === 'number' && typeof expiresInS === 'number')
    out['expiresAtMs'] = issuedAtMs + expiresInS * 1000;
  return out;
}

const formatArb = fc.constantFrom(...FORMAT_IDS);

describe('format properties', () => {
  it('toCanonical(fromCanonical(r, f), f) is r restricted to what f can hold', () => {
    fc.assert(
      fc.property(recordArb, formatArb, (record, format) => {
        expect(toCanonical(fromCanonical(record, format), format)).toEqual(restrict(record, format));
      }),
      { numRuns: 600 },
    );
  });

  it('the same holds in the camelCase SDK shape of Gusto', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const f = 'gusto.RefreshTokenAuthentication';
        expect(toCanonical(fromCanonical(record, f, { case: 'camel' }), f)).toEqual(restrict(record, f));
        expect(toCanonical(fromCanonical(record, f, { case: 'snake' }), f)).toEqual(restrict(record, f));
      }),
    );
  });

  it('compare marks NOT_REPRESENTABLE exactly where a format has no field for a value the token has', () => {
    fc.assert(
      fc.property(recordArb, (record) => {
        const table = compare(record);
        for (const row of table.rows) {
          for (const cell of row.cells) {
            const holds = getFormatSpec(cell.format).fields.some((f) => f.concept === row.concept);
            expect(cell.representable).toBe(holds);
            if (!holds) expect(cell.flags.includes('NOT_REPRESENTABLE')).toBe(row.canonical !== undefined);
          }
        }
        const concepts = new Set(table.rows.map((r) => r.concept));
        for (const key of Object.keys(record) as Concept[]) expect(concepts.has(key)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('no output of compare, convert or diff holds NaN or Infinity', () => {
    fc.assert(
      fc.property(recordArb, recordArb, formatArb, (a, b, format) => {
        expect(allNumbersFinite(compare(a))).toBe(true);
        expect(allNumbersFinite(convertRecord(a, format))).toBe(true);
        expect(allNumbersFinite(diff(a, b))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('toCanonical never throws on arbitrary JSON objects and never yields NaN or Infinity', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'access_token',
            'expires_in',
            'created_at',
            'createdAt',
            'scope',
            'scopes',
            'client_id',
            'grant_type',
            'issue_at',
            'refresh_token_expires_at',
            'properties',
            'x',
          ),
          fc.jsonValue(),
        ),
        formatArb,
        (object, format) => {
          const r = toCanonical(object, format);
          expect(allNumbersFinite(r)).toBe(true);
          expect(allNumbersFinite(compare(r, { source: { format, object } }))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** The findings the token domain reports: one closed list of stable codes (tests and the UI key on them). */
import { FORMAT_FINDING_CODES, type FormatId, type Concept, type Severity } from '../formats/types.ts';

export const TOKEN_FINDING_CODES = [
  'UNSIGNED_JWT',
  'DUPLICATE_CLAIM',
  'INVALID_TIME_CLAIM',
  'NOT_A_JWT',
  'ENCRYPTED_PAYLOAD',
  'EXPIRED',
  'NOT_YET_VALID',
  'ISSUED_IN_FUTURE',
  'NON_FINITE_NUMBER',
  'PROTOTYPE_CLAIM_NAME',
  'UNTRUSTED_KEY_REFERENCE',
  'CRIT_UNSUPPORTED',
  'AT_JWT_TYP',
  'AT_JWT_MISSING_CLAIM',
  'ID_TOKEN_MISSING_CLAIM',
  'ID_TOKEN_AZP',
  'ISSUER_MISMATCH',
  'AUDIENCE_MISMATCH',
  'NONCE_MISMATCH',
  'AZP_MISMATCH',
  'AT_HASH_MISMATCH',
  'C_HASH_MISMATCH',
  'SIGNATURE_INVALID',
  'REDIRECT_ERROR',
  'AUTHORIZATION_CODE',
  'TOKEN_IN_URL',
  'FORMAT_CHOSEN',
  'NESTED_TOKEN',
  'OPAQUE_HINT',
  'DPOP_PROOF',
  'DPOP_PROOF_INVALID',
  'TOKEN_BINDING',
  'PROVIDER_QUIRK',
] as const;

export const FINDING_CODES = [...FORMAT_FINDING_CODES, ...TOKEN_FINDING_CODES] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** One line, in plain words. */
  readonly message: string;
  /** The claim, header parameter or field the finding is about. */
  readonly field?: string;
  readonly format?: FormatId;
  readonly concept?: Concept;
}

export function finding(
  code: FindingCode,
  severity: Severity,
  message: string,
  extra: { field?: string; format?: FormatId } = {},
): Finding {
  return { code, severity, message, ...extra };
}

/**
 * What JSON.parse hides, as findings: names that appear more than once (it keeps only the last) and numbers
 * too large to represent (null in the parsed value). `noun` says what the names are ("claim", "field").
 */
export function jsonScanFindings(
  duplicates: readonly string[],
  nonFinite: readonly string[],
  noun: 'claim' | 'field',
  nullAs: 'shown as null' | 'read as null',
): Finding[] {
  return [
    ...duplicates.map((d) =>
      finding(
        'DUPLICATE_CLAIM',
        'error',
        `${noun} "${d.slice(0, 60)}" appears more than once: JSON.parse keeps only the last one`,
        {
          field: d,
        },
      ),
    ),
    ...nonFinite.map((p) =>
      finding('NON_FINITE_NUMBER', 'error', `${p.slice(0, 60)} is a number too large to represent: ${nullAs}`, { field: p }),
    ),
  ];
}

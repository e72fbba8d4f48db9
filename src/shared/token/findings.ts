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
  'SIGNATURE_INVALID',
  'REDIRECT_ERROR',
  'AUTHORIZATION_CODE',
  'TOKEN_IN_URL',
  'FORMAT_CHOSEN',
  'DERIVED_VALUE',
  'NESTED_TOKEN',
  'OPAQUE_HINT',
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

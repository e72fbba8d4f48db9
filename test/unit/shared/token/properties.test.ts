import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectText } from '../../../../src/shared/token/inspect.ts';
import { ERROR_CODES, TokenscopeError } from '../../../../src/shared/result.ts';
import { FINDING_CODES } from '../../../../src/shared/token/findings.ts';
import { allNumbersFinite } from '../formats/fixtures.ts';
import { b64url, rawJwt } from './helpers.ts';

const NOW = 1_700_001_000_000;

/** Inspects and checks the contract: a plain JSON result without NaN/Infinity, or a typed error (speed is measured by the benchmark's inspect row, not here). */
function checkInput(text: string): void {
  try {
    const r = inspectText(text, { nowMs: NOW });
    expect(allNumbersFinite(r)).toBe(true);
    const json = JSON.stringify(r);
    expect(json).not.toContain('Invalid Date');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(JSON.parse(json))));
    for (const f of r.findings) expect(FINDING_CODES).toContain(f.code);
  } catch (e) {
    if (!(e instanceof TokenscopeError)) throw e;
    expect(ERROR_CODES).toContain(e.code);
    expect(e.message).not.toContain('\n');
  }
}

const segment = fc.oneof(
  fc.jsonValue().map((v) => b64url(JSON.stringify(v) ?? 'null')),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
  fc.string({ maxLength: 20 }),
);
const timeValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.bigInt().map((b) => b.toString()),
  fc.string(),
  fc.constantFrom('1e400', '-1e400', '1700000000000', '253402300800', '-1', 'null', '[]', '{}'),
);

describe('inspect properties', () => {
  it('any string gives a result or a typed error, fast', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkInput), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), checkInput), { numRuns: 200 });
  });

  it('long strings (up to 20 000 characters) give a result or a typed error, fast', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', minLength: 1000, maxLength: 20_000 }), checkInput), { numRuns: 30 });
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1000,20000}$/), checkInput), { numRuns: 30 });
  });

  it('any dotted segments (JWT- and JWE-shaped) give a result or a typed error', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (parts) => checkInput(parts.join('.'))),
      { numRuns: 500 },
    );
  });

  it('any JSON payload under a JOSE header gives a result or a typed error', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('{"alg":"none"}', '{"alg":"RS256","kid":"k"}', '{"alg":"HS256","crit":["x"]}'),
        (payload, header) => checkInput(rawJwt(header, JSON.stringify(payload) ?? 'null', 'c2ln')),
      ),
      { numRuns: 400 },
    );
  });

  it('any time-claim value never yields NaN, Infinity or Invalid Date', () => {
    fc.assert(
      fc.property(timeValue, timeValue, timeValue, (exp, iat, nbf) => {
        const raw = (v: unknown): string =>
          typeof v === 'string' && /^-?[\d.e]+$|^(null|\[\]|\{\})$/.test(v) ? v : (JSON.stringify(v) ?? 'null');
        checkInput(rawJwt('{"alg":"none"}', `{"exp":${raw(exp)},"iat":${raw(iat)},"nbf":${raw(nbf)},"auth_time":${raw(exp)}}`));
      }),
      { numRuns: 400 },
    );
  });

  it('any JSON object with token-format field names gives a result or a typed error', () => {
    const keys = fc.constantFrom(
      'access_token',
      'accessToken',
      'token_type',
      'expires_in',
      'expiresIn',
      'created_at',
      'createdAt',
      'scope',
      'scopes',
      'id_token',
      'issue_at',
      'expires_at',
      'client_id',
      'grant_type',
      'properties',
      'refresh_token_expires_at',
      '__proto__',
      'constructor',
      'x',
    );
    fc.assert(
      fc.property(fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 })), (object) => checkInput(JSON.stringify(object))),
      { numRuns: 500 },
    );
  });
});

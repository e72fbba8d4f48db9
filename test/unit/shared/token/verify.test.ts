import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { jwksFromJson, parsePastedKey, secretBytes, verifySignature } from '../../../../src/shared/token/verify.ts';
import { TokenscopeError } from '../../../../src/shared/result.ts';
import { FIXTURE_SECRET, tokenFixture } from '../formats/fixtures.ts';
import { fakeSignedJwt, rawJwt, unsignedJwt } from './helpers.ts';

let rsaToken: string;
let rsaJwk: JWK;
let rsaPrivateJwk: JWK;
let rsaPem: string;
let otherJwk: JWK;
let esToken: string;
let esJwk: JWK;

beforeAll(async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig', alg: 'RS256' };
  rsaPrivateJwk = { ...(await exportJWK(rsa.privateKey)), kid: 'rsa-1' };
  rsaPem = await exportSPKI(rsa.publicKey);
  rsaToken = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
    .setIssuedAt(1_700_000_000)
    .sign(rsa.privateKey);
  const other = await generateKeyPair('RS256', { extractable: true });
  otherJwk = { ...(await exportJWK(other.publicKey)), kid: 'rsa-1' };
  const es = await generateKeyPair('ES256', { extractable: true });
  esJwk = { ...(await exportJWK(es.publicKey)), kid: 'ec-1' };
  esToken = await new SignJWT({ sub: 'bob' }).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(es.privateKey);
});

const keysOf = (...keys: JWK[]) => ({ kind: 'jwks' as const, keys });

describe('verifySignature', () => {
  it('verified: the right key in a JWKS', async () => {
    const r = await verifySignature(rsaToken, keysOf(esJwk, rsaJwk));
    expect(r.state).toBe('verified');
    expect(r.keyId).toBe('rsa-1');
  });

  it('verified: an ES256 token with its JWK', async () => {
    expect((await verifySignature(esToken, keysOf(esJwk))).state).toBe('verified');
  });

  it('verified: a PEM public key', async () => {
    expect((await verifySignature(rsaToken, parsePastedKey(rsaPem))).state).toBe('verified');
  });

  it('verified: an HMAC secret (the fixture tokens)', async () => {
    const r = await verifySignature(tokenFixture('access-token.hs256.jwt'), {
      kind: 'secret',
      secret: secretBytes(FIXTURE_SECRET),
    });
    expect(r.state).toBe('verified');
  });

  it('invalid SIGNATURE_MISMATCH: a different key with the same kid', async () => {
    const r = await verifySignature(rsaToken, keysOf(otherJwk));
    expect(r).toMatchObject({ state: 'invalid', reason: 'SIGNATURE_MISMATCH' });
  });

  it('invalid SIGNATURE_MISMATCH: a wrong HMAC secret', async () => {
    const r = await verifySignature(tokenFixture('access-token.hs256.jwt'), { kind: 'secret', secret: secretBytes('wrong') });
    expect(r).toMatchObject({ state: 'invalid', reason: 'SIGNATURE_MISMATCH' });
  });

  it('invalid NO_MATCHING_KEY: no key carries the kid', async () => {
    const r = await verifySignature(rsaToken, keysOf(esJwk));
    expect(r).toMatchObject({ state: 'invalid', reason: 'NO_MATCHING_KEY' });
  });

  it('invalid ALG_NOT_ALLOWED: an RS256 token and an HMAC secret (algorithm confusion)', async () => {
    const r = await verifySignature(rsaToken, { kind: 'secret', secret: secretBytes('s') });
    expect(r).toMatchObject({ state: 'invalid', reason: 'ALG_NOT_ALLOWED' });
  });

  it('invalid ALG_NOT_ALLOWED: an HS256 token and a public key (algorithm confusion)', async () => {
    const forged = rawJwt('{"alg":"HS256"}', '{"sub":"mallory"}', 'c2ln');
    expect((await verifySignature(forged, parsePastedKey(rsaPem))).reason).toBe('ALG_NOT_ALLOWED');
  });

  it('invalid CRIT_UNSUPPORTED: a crit extension nobody understands is never verified', async () => {
    const t = fakeSignedJwt({ sub: 'x' }, { crit: ['urn:example:ext'], 'urn:example:ext': true });
    expect(await verifySignature(t, keysOf(rsaJwk))).toMatchObject({ state: 'invalid', reason: 'CRIT_UNSUPPORTED' });
  });

  it('unverified: no key given', async () => {
    expect((await verifySignature(rsaToken, undefined)).state).toBe('unverified');
  });

  it('unsigned: alg none, whatever the key', async () => {
    expect((await verifySignature(unsignedJwt({ sub: 'x' }), keysOf(rsaJwk))).state).toBe('unsigned');
  });

  it('ignores a key embedded in the token header (jwk) and the jku URL', async () => {
    const evil = await generateKeyPair('RS256', { extractable: true });
    const evilJwk = await exportJWK(evil.publicKey);
    const t = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1', jwk: evilJwk, jku: 'http://127.0.0.1:9/jwks' })
      .sign(evil.privateKey);
    expect((await verifySignature(t, keysOf(rsaJwk))).state).toBe('invalid');
  });

  it('uses only the public part of a pasted private JWK', async () => {
    const material = jwksFromJson(rsaPrivateJwk);
    expect(material.kind === 'jwks' && 'd' in (material.keys[0] ?? {})).toBe(false);
    expect((await verifySignature(rsaToken, material)).state).toBe('verified');
  });
});

describe('pasted keys', () => {
  function codeOf(fn: () => unknown): string {
    try {
      fn();
      return 'no error';
    } catch (e) {
      return (e as TokenscopeError).code;
    }
  }

  it('reads a JWK, a JWKS and a PEM', () => {
    expect(parsePastedKey(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })).kind).toBe('jwks');
    expect(parsePastedKey(JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] })).kind).toBe('jwks');
    expect(parsePastedKey('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----').kind).toBe('pem');
  });

  it('refuses garbage, an empty JWKS and a private PEM with ERR_INVALID_KEY', () => {
    expect(codeOf(() => parsePastedKey('not a key'))).toBe('ERR_INVALID_KEY');
    expect(codeOf(() => parsePastedKey('{"keys":[]}'))).toBe('ERR_INVALID_KEY');
    expect(codeOf(() => parsePastedKey('[1]'))).toBe('ERR_INVALID_KEY');
    expect(codeOf(() => parsePastedKey('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----'))).toBe('ERR_INVALID_KEY');
    expect(codeOf(() => secretBytes('zz', 'hex'))).toBe('ERR_INVALID_KEY');
  });

  it('decodes secrets given as hex or base64url', () => {
    expect([...secretBytes('6869', 'hex')]).toEqual([0x68, 0x69]);
    expect([...secretBytes('aGk', 'base64url')]).toEqual([0x68, 0x69]);
  });
});

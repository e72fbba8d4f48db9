/**
 * Whether a history token is bound to a key (RFC 9449 DPoP `cnf.jkt`, RFC 8705 `cnf.x5t#S256`), and whether that key
 * is its profile's DPoP key: the one answer callApi, userinfo, refresh and every front door use.
 */
import { decodeJwt } from 'jose';
import type { TokenBinding } from '../../shared/oauth.ts';
import { isCompactJws } from './access-token-check.ts';
import type { OAuthStore } from './store-port.ts';

function cnfOf(value: string): Record<string, unknown> | null {
  if (!isCompactJws(value)) return null;
  try {
    const cnf = decodeJwt(value)['cnf'];
    return typeof cnf === 'object' && cnf !== null && !Array.isArray(cnf) ? (cnf as Record<string, unknown>) : {};
  } catch {
    return null;
  }
}

/** What the history recorded about the token: the token response's token_type and proof key, the last introspection's cnf.jkt. */
function recorded(store: Pick<OAuthStore, 'getEvents'>, tokenId: string) {
  const events = store.getEvents({ tokenId, limit: 200 });
  let tokenType: string | undefined;
  let proofJkt: string | undefined;
  let introspectedJkt: string | undefined;
  for (const event of events) {
    // Newest first: the first of each kind wins.
    if (event.type === 'obtained' && tokenType === undefined && proofJkt === undefined) {
      tokenType = event.detail.tokenType;
      proofJkt = event.detail.dpopJkt;
    }
    if (event.type === 'introspected' && introspectedJkt === undefined && event.detail.cnfJkt !== undefined)
      introspectedJkt = event.detail.cnfJkt;
  }
  return { tokenType: tokenType?.toLowerCase(), proofJkt, introspectedJkt };
}

function dpopBinding(
  tokenId: string,
  basis: TokenBinding['basis'],
  tokenJkt: string,
  profileJkt: string | null,
  where: string,
): TokenBinding {
  const matches = profileJkt === null ? null : tokenJkt === profileJkt;
  const summary =
    matches === null
      ? `bound to a DPoP key (${where} ${tokenJkt}); its profile has no DPoP key, so no request of Tokenscope can prove it`
      : matches
        ? `bound to this profile's DPoP key ✓ (${where} ${tokenJkt})`
        : `bound to another DPoP key ✗ (${where} ${tokenJkt}; this profile's key is ${profileJkt}): Tokenscope cannot make proofs for it`;
  return { tokenId, kind: 'dpop', basis, tokenJkt, profileJkt, matchesProfileKey: matches, summary };
}

/** The binding of a token, from the most direct evidence there is. */
export function bindingOf(
  store: Pick<OAuthStore, 'getEvents'>,
  token: { readonly id: string; readonly value: string; readonly kind: string },
  profileJkt: string | null,
): TokenBinding {
  const base = { tokenId: token.id, profileJkt };
  const cnf = cnfOf(token.value);
  if (cnf && typeof cnf['jkt'] === 'string') return dpopBinding(token.id, 'cnf', cnf['jkt'], profileJkt, 'cnf.jkt');
  if (cnf && typeof cnf['x5t#S256'] === 'string') {
    return {
      ...base,
      kind: 'mtls',
      basis: 'cnf',
      tokenJkt: null,
      matchesProfileKey: null,
      summary: `bound to a client certificate (cnf x5t#S256 ${cnf['x5t#S256']}, RFC 8705): it is used over mutual TLS, which Tokenscope does not do`,
    };
  }
  const { tokenType, proofJkt, introspectedJkt } = recorded(store, token.id);
  if (introspectedJkt) return dpopBinding(token.id, 'introspection', introspectedJkt, profileJkt, 'introspection cnf.jkt');
  // The response's token_type speaks for its access token; a public client's refresh token is bound with it (RFC 9449 §5).
  if (tokenType === 'dpop' && proofJkt && token.kind !== 'id_token')
    return dpopBinding(token.id, 'token-response', proofJkt, profileJkt, 'token_type DPoP, proved with key');
  if (cnf !== null && token.kind === 'access_token') {
    return {
      ...base,
      kind: 'bearer',
      basis: 'cnf',
      tokenJkt: null,
      matchesProfileKey: null,
      summary: 'not bound to a key (no cnf claim): a bearer token, whoever holds it can use it',
    };
  }
  if (tokenType === 'bearer') {
    return {
      ...base,
      kind: 'bearer',
      basis: 'token-response',
      tokenJkt: null,
      matchesProfileKey: null,
      summary: 'not bound to a key: the server issued it as token_type Bearer',
    };
  }
  return {
    ...base,
    kind: 'unknown',
    basis: 'none',
    tokenJkt: null,
    matchesProfileKey: null,
    summary:
      token.kind === 'id_token'
        ? 'an ID token is not sent to APIs, so it is not bound to a key'
        : 'binding unknown: the token carries no cnf claim Tokenscope can read and no token response of it was recorded (introspection can say)',
  };
}

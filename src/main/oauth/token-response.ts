/** Stores what a validated token response holds: its tokens in one grant, each with its 'obtained' event. */
import type * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import type { IssuanceRequest } from '../../shared/issuance.ts';
import type { ProfileSettings } from '../../shared/profile.ts';
import type { AccessTokenCheck, GrantResult, StoredTokenRef } from '../../shared/oauth.ts';
import { isCompactJws } from './access-token-check.ts';
import type { OAuthStore } from './store-port.ts';

function jwtClaims(value: string): Record<string, unknown> | null {
  if (!isCompactJws(value)) return null;
  try {
    return decodeJwt(value);
  } catch {
    return null;
  }
}

/** A token exchange's facts, recorded on its issuance. */
export interface ExchangeFacts {
  readonly subjectTokenId: string;
  readonly actorTokenId?: string | undefined;
  readonly issuedTokenType?: string | undefined;
  /** What the token in `access_token` is, by the issued_token_type (RFC 8693 §2.2.1: it may be an ID or refresh token). */
  readonly issuedKind: StoredTokenRef['kind'];
}

interface PersistInput {
  readonly store: OAuthStore;
  readonly now: number;
  readonly profileId: string;
  readonly settings: ProfileSettings;
  readonly issuer: string;
  readonly grantType: string;
  /** Existing grant (refresh); a new one is created otherwise. */
  readonly grantId?: string;
  readonly source: string;
  readonly response: oauth.TokenEndpointResponse;
  readonly idTokenClaims?: oauth.IDToken | undefined;
  /** Scopes asked for, used when the response does not say which were granted. */
  readonly requestedScope: string;
  /** The JWT access token's signature check (null or absent: opaque, not checked); kept on its 'obtained' event. */
  readonly accessTokenCheck?: AccessTokenCheck | null;
  /** The ID token's check on receipt (id-token-check.ts). */
  readonly idTokenCheck?: AccessTokenCheck | null;
  /** The thumbprint of the DPoP key that proved the request (RFC 9449); kept on the 'obtained' events. */
  readonly dpopJkt?: string | undefined;
  readonly exchange?: ExchangeFacts;
  /** The authorization request's `prompt` (sign-in only): it explains a dropped offline_access. */
  readonly prompt?: string | null;
  /** Made by the profile's auto-refresh. */
  readonly automatic?: boolean;
}

/** The request each grant type's token response answers (its issuance). */
const REQUEST_OF_GRANT: Readonly<Record<string, IssuanceRequest>> = {
  authorization_code: 'login',
  refresh_token: 'refresh',
  device_code: 'device',
  'urn:ietf:params:oauth:grant-type:device_code': 'device',
  client_credentials: 'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'token_exchange',
};

/**
 * Stores the access, refresh and ID tokens of a validated response in one grant, and the response as one issuance;
 * runs inside the caller's store.write.
 */
export function persistTokenResponse(input: PersistInput): GrantResult {
  const { store, response, settings } = input;
  const scopes = (response.scope ?? input.requestedScope).split(' ').filter(Boolean);
  const grantId =
    input.grantId ??
    store.createGrant({
      profileId: input.profileId,
      grantType: input.grantType,
      issuer: input.issuer,
      clientId: settings.clientId,
      scopes,
    });
  const idClaims = input.idTokenClaims;
  const accessClaims = jwtClaims(response.access_token);
  const subject = idClaims?.sub ?? (typeof accessClaims?.['sub'] === 'string' ? accessClaims['sub'] : null);
  const tokens: StoredTokenRef[] = [];
  const save = (
    value: string,
    kind: StoredTokenRef['kind'],
    expiresAtMs: number | null,
    tokenScopes: readonly string[],
  ): void => {
    const format = isCompactJws(value) ? 'jwt' : 'opaque';
    const saved = store.saveToken({
      value,
      kind,
      format,
      grantId,
      profileId: input.profileId,
      issuer: input.issuer,
      subject,
      clientId: settings.clientId,
      scopes: tokenScopes,
      issuedAtMs: input.now,
      expiresAtMs,
      source: input.source,
    });
    const primary =
      kind === settings.primaryToken || (kind === 'access_token' && settings.primaryToken === 'id_token' && !response.id_token);
    const verification = kind === 'access_token' ? input.accessTokenCheck : kind === 'id_token' ? input.idTokenCheck : null;
    tokens.push({
      id: saved.id,
      kind,
      format,
      expiresAtMs,
      created: saved.created,
      primary,
      ...(verification ? { verification } : {}),
    });
  };
  const accessExpiry =
    typeof response.expires_in === 'number'
      ? input.now + Math.round(response.expires_in * 1000)
      : typeof accessClaims?.['exp'] === 'number'
        ? accessClaims['exp'] * 1000
        : null;
  save(response.access_token, input.exchange?.issuedKind ?? 'access_token', accessExpiry, scopes);
  if (response.id_token) save(response.id_token, 'id_token', idClaims ? idClaims.exp * 1000 : null, []);
  if (response.refresh_token) {
    const refreshClaims = jwtClaims(response.refresh_token);
    save(
      response.refresh_token,
      'refresh_token',
      typeof refreshClaims?.['exp'] === 'number' ? refreshClaims['exp'] * 1000 : null,
      scopes,
    );
  }
  const issuance = store.recordIssuance({
    grantId,
    request: REQUEST_OF_GRANT[input.grantType] ?? 'login',
    receivedAtMs: input.now,
    tokens: tokens.map((t) => ({ id: t.id, kind: t.kind })),
    requested: {
      scope: input.requestedScope,
      grantedScope: typeof response.scope === 'string' ? response.scope : null,
      prompt: input.prompt ?? null,
      automatic: input.automatic === true,
    },
    ...(input.exchange
      ? {
          exchange: {
            subjectTokenId: input.exchange.subjectTokenId,
            actorTokenId: input.exchange.actorTokenId,
            issuedTokenType: input.exchange.issuedTokenType,
          },
        }
      : {}),
  });
  for (const token of tokens) {
    store.addEvent({
      tokenId: token.id,
      grantId,
      type: 'obtained',
      detail: {
        grantType: input.grantType,
        source: input.source,
        kind: token.kind,
        ...(token.verification ? { verification: token.verification } : {}),
        ...(typeof response.token_type === 'string' ? { tokenType: response.token_type.slice(0, 40) } : {}),
        ...(input.dpopJkt ? { dpopJkt: input.dpopJkt } : {}),
      },
    });
  }
  return { grantId, tokens, issuanceId: issuance.id };
}

/**
 * RFC 8693 token exchange in the demo issuer (oidc-provider's custom grant): the subject token (and an actor token,
 * when given) is checked as the issuer's own, and a new access token is issued for the requested resource or audience,
 * with `act` naming the actor (the subject token's own `act` nested inside it: the earlier actors).
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type Provider from 'oidc-provider';
import { errors, type AccessTokenInstance, type KoaContextWithOIDC } from 'oidc-provider';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const TOKEN_TYPE = {
  access: 'urn:ietf:params:oauth:token-type:access_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  id: 'urn:ietf:params:oauth:token-type:id_token',
} as const;

/** The request parameters of RFC 8693 §2.1 the grant reads; `resource` and `audience` may repeat (refused below). */
export const TOKEN_EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
] as const;
export const TOKEN_EXCHANGE_DUPLICATES = ['audience', 'resource'] as const;

/** A resource server the demo issues tokens for (oidc-provider's resource server info). */
export interface DemoResourceServer {
  readonly scope: string;
  readonly audience: string;
  readonly accessTokenFormat: 'jwt' | 'opaque';
  readonly accessTokenTTL: number;
  readonly jwt?: { readonly sign: { readonly alg: string } };
}

/** Who a presented token is about, and what it carries. */
interface Party {
  readonly sub: string;
  readonly accountId: string | undefined;
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly grantId: string | undefined;
  readonly act: unknown;
  readonly mayAct: unknown;
}

function invalidGrant(description: string): Error {
  return new errors.CustomOIDCProviderError('invalid_grant', description);
}

function single(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1) throw new errors.InvalidTarget(`the demo issuer exchanges for one ${name} at a time`);
    return typeof value[0] === 'string' ? value[0] : undefined;
  }
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function scopesOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

function fromJwt(payload: JWTPayload): Party {
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  if (sub === undefined) throw invalidGrant('the token has no subject');
  const clientId = payload['client_id'];
  return {
    sub,
    accountId: sub,
    clientId: typeof clientId === 'string' ? clientId : undefined,
    scopes: scopesOf(payload['scope']),
    grantId: undefined,
    act: payload['act'],
    mayAct: payload['may_act'],
  };
}

export interface TokenExchangeOptions {
  readonly provider: Provider;
  /** The issuer's public signing keys: JWTs it issued are checked against them. */
  readonly jwks: JSONWebKeySet;
  readonly resourceServers: Readonly<Record<string, DemoResourceServer>>;
  /** The claims each exchanged token carries (act, may_act), read back by the provider's extraTokenClaims. */
  readonly claimsOf: WeakMap<object, Record<string, unknown>>;
}

/** The grant handler, for provider.registerGrantType(TOKEN_EXCHANGE_GRANT, handler, parameters, duplicates). */
export function tokenExchangeGrant(options: TokenExchangeOptions): (ctx: KoaContextWithOIDC) => Promise<void> {
  const { provider, resourceServers, claimsOf } = options;
  const keys = createLocalJWKSet(options.jwks);

  /** A token this issuer issued, checked as the type says; refused (invalid_grant) when it is not one, or has expired. */
  async function partyOf(token: string, type: string, role: 'subject' | 'actor', clientId: string): Promise<Party> {
    const jws = token.split('.').length === 3;
    if (type === TOKEN_TYPE.access && !jws) {
      const found = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
      if (!found?.isValid) throw invalidGrant(`the ${role} token is not an active access token of this issuer`);
      const sub = found.accountId ?? found.clientId;
      return {
        sub,
        accountId: found.accountId,
        clientId: found.clientId,
        scopes: scopesOf(found.scope),
        grantId: found.grantId,
        act: found.extra?.['act'],
        mayAct: found.extra?.['may_act'],
      };
    }
    if (type !== TOKEN_TYPE.access && type !== TOKEN_TYPE.jwt && type !== TOKEN_TYPE.id)
      throw new errors.InvalidRequest(`${role}_token_type ${type.slice(0, 80)} is not supported by the demo issuer`);
    if (!jws) throw invalidGrant(`the ${role} token is not a JWT`);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: provider.issuer,
        ...(type === TOKEN_TYPE.access ? { typ: 'at+jwt' } : {}),
        ...(type === TOKEN_TYPE.id ? { audience: clientId } : {}),
      });
      return fromJwt(payload);
    } catch (error) {
      if (error instanceof errors.CustomOIDCProviderError) throw error;
      throw invalidGrant(`the ${role} token is not a valid ${type === TOKEN_TYPE.id ? 'ID token' : 'JWT'} of this issuer`);
    }
  }

  return async function tokenExchange(ctx) {
    const params = ctx.oidc?.params ?? {};
    const client = ctx.oidc?.client;
    if (!client) throw new errors.InvalidRequest('no client');
    const subjectToken = single(params['subject_token'], 'subject_token');
    const subjectType = single(params['subject_token_type'], 'subject_token_type');
    if (subjectToken === undefined || subjectType === undefined)
      throw new errors.InvalidRequest('subject_token and subject_token_type are required');
    const subject = await partyOf(subjectToken, subjectType, 'subject', client.clientId);

    const actorToken = single(params['actor_token'], 'actor_token');
    const actorType = single(params['actor_token_type'], 'actor_token_type');
    if ((actorToken === undefined) !== (actorType === undefined))
      throw new errors.InvalidRequest('actor_token and actor_token_type go together');
    const actor = actorToken && actorType ? await partyOf(actorToken, actorType, 'actor', client.clientId) : undefined;
    // may_act (RFC 8693 §4.4): when the subject token names who may act for it, the actor must be that party.
    const mayActSub = (subject.mayAct as { sub?: unknown } | undefined)?.sub;
    if (actor && mayActSub !== undefined && mayActSub !== actor.sub)
      throw invalidGrant('the actor is not the party the subject token allows to act for it (may_act)');

    const resource = single(params['resource'], 'resource');
    const audience = single(params['audience'], 'audience');
    const identifier =
      resource ?? Object.keys(resourceServers).find((id) => resourceServers[id]?.audience === audience) ?? audience;
    const info = identifier === undefined ? undefined : resourceServers[identifier];
    if (identifier === undefined) throw new errors.InvalidTarget('give the resource or the audience the new token is for');
    if (!info) throw new errors.InvalidTarget(`the demo issuer knows no resource ${identifier.slice(0, 120)}`);

    const requestedType = single(params['requested_token_type'], 'requested_token_type') ?? TOKEN_TYPE.access;
    if (requestedType !== TOKEN_TYPE.access && !(requestedType === TOKEN_TYPE.jwt && info.accessTokenFormat === 'jwt'))
      throw new errors.InvalidRequest(
        `requested_token_type ${requestedType.slice(0, 80)} is not issued for this resource: the demo issues access tokens`,
      );

    // Down-scoping only: the new token never carries more than the subject token had, nor what the resource does not define.
    const offered = new Set(info.scope.split(' '));
    const requested = params['scope'] === undefined ? undefined : scopesOf(params['scope']);
    const beyond = (requested ?? []).filter((s) => !subject.scopes.includes(s) || !offered.has(s));
    if (beyond.length > 0)
      throw new errors.InvalidScope(
        `scope exceeds what the subject token grants for this resource: ${beyond.join(' ')}`,
        beyond.join(' '),
      );
    const scope = (requested ?? subject.scopes.filter((s) => offered.has(s))).join(' ');

    const act = actor
      ? { sub: actor.sub, ...(actor.clientId ? { client_id: actor.clientId } : {}), ...(subject.act ? { act: subject.act } : {}) }
      : subject.act;
    const token: AccessTokenInstance = new provider.AccessToken({
      accountId: subject.accountId ?? subject.sub,
      client,
      gty: 'token_exchange',
      ...(scope ? { scope } : {}),
      // The subject's grant, when it is this client's: revoking it also ends the exchanged token.
      ...(subject.grantId && subject.clientId === client.clientId ? { grantId: subject.grantId } : {}),
    });
    token.resourceServer = new provider.ResourceServer(identifier, info);
    if (act !== undefined) claimsOf.set(token, { act });
    ctx.oidc?.entity('AccessToken', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: requestedType,
      token_type: token.tokenType,
      expires_in: token.expiration,
      ...(scope ? { scope } : {}),
    };
  };
}

/** The built-in local demo issuer: an embedded oidc-provider on 127.0.0.1 with our own login pages, started on demand. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { DemoStateDir, type DemoSealer } from './demo-state.ts';
import type { DemoIssuerHandle } from '../oauth/demo-profiles.ts';
import { DEMO_PROFILE_NAME } from '../../shared/profile.ts';
import { escapeHtml } from '../../shared/html.ts';
import { readCappedText } from '../http/read-capped.ts';
import {
  TOKEN_EXCHANGE_DUPLICATES,
  TOKEN_EXCHANGE_GRANT,
  TOKEN_EXCHANGE_PARAMETERS,
  tokenExchangeGrant,
  type DemoResourceServer,
} from './token-exchange-grant.ts';

export const DEMO_NATIVE_CLIENT_ID = 'tokenscope-demo';
export const DEMO_SERVICE_CLIENT_ID = 'tokenscope-demo-service';
/** A JWT (RFC 9068) access token resource and an opaque one. */
export const DEMO_JWT_RESOURCE = 'urn:tokenscope:demo-api';
export const DEMO_OPAQUE_RESOURCE = 'urn:tokenscope:demo-opaque-api';
/** A downstream API the demo API's token is exchanged for (RFC 8693): JWT access tokens. */
export const DEMO_BACKEND_RESOURCE = 'urn:tokenscope:demo-backend';
export const DEMO_SCOPE = 'openid profile email offline_access';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface IssuerOptions {
  /** 0 (default) = any free port. */
  readonly port?: number;
  /** Extra clients (oidc-provider client metadata), e.g. confidential test clients. */
  readonly clients?: readonly Record<string, unknown>[];
  /** Device flow polling interval the issuer announces, in seconds. */
  readonly deviceIntervalSeconds?: number;
  /** Clients whose refresh responses carry no refresh_token (RFC 6749 §6: the old one stays valid). */
  readonly omitRefreshTokenFor?: readonly string[];
  readonly accessTokenTtlSeconds?: number;
  /** Name of the issuer on its pages. */
  readonly title?: string;
  /**
   * Keep state, keys and address here so tokens outlive the process (the CLI runs one process per command).
   * Without it everything lives in memory. The files are sealed with `sealer` (the history's data key).
   */
  readonly stateDir?: { readonly dir: string; readonly sealer: DemoSealer };
}

export interface RunningIssuer {
  readonly issuer: string;
  /** Null when another process already serves this demo issuer and we only point at it. */
  readonly provider: Provider | null;
  readonly serviceClientSecret: string;
  close(): Promise<void>;
}

interface ClientLike {
  readonly clientId: string;
  readonly clientAuthMethod: string;
}
interface TokenLike {
  readonly clientId?: string;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}' +
  'h1{font-size:1.3rem}.demo{background:#fff4ce;border:1px solid #e0c36b;padding:.5rem .75rem;border-radius:4px;font-size:.9rem}' +
  'label{display:block;margin:.75rem 0 .25rem}input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}' +
  'button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}code{font-size:1.4rem}';

/** Every page of the demo issuer: self-contained, no scripts, no external resources. */
function page(title: string, body: string, heading: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><p class="demo">${escapeHtml(heading)}: a local demo issuer running inside Tokenscope. Any username works; no password.</p>
<h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}

/** The login form: a few fields, refused past 16 KiB. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readCappedText(req, { maxBytes: 16_384, what: 'the form' }));
}

/** Any username is accepted; it becomes the subject after being reduced to safe characters. */
export function accountIdFor(username: string | null): string {
  const cleaned = (username ?? '')
    .trim()
    .replace(/[^\w.@-]/g, '')
    .slice(0, 64);
  return cleaned === '' ? 'demo-user' : cleaned;
}

function signingKeys(): Record<string, unknown>[] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, use: 'sig', alg: 'RS256', kid: `rs-${randomBytes(6).toString('hex')}` },
    { ...ec, use: 'sig', alg: 'ES256', kid: `es-${randomBytes(6).toString('hex')}` },
  ];
}

/** A signing key without its private members. */
function publicJwk(key: Record<string, unknown>): { kty: string } & Record<string, unknown> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = key;
  return rest as { kty: string } & Record<string, unknown>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** Whether our demo issuer (from another Tokenscope process) already answers at this address. */
async function answersAs(issuer: string): Promise<boolean> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2000) });
    const metadata = (await response.json()) as { issuer?: unknown };
    return metadata.issuer === issuer;
  } catch {
    return false;
  }
}

export async function startIssuer(options: IssuerOptions = {}): Promise<RunningIssuer> {
  const title = options.title ?? 'Tokenscope demo issuer';
  const deviceInterval = options.deviceIntervalSeconds ?? 2;
  const omitRefresh = new Set(options.omitRefreshTokenFor ?? []);
  const stateDir = options.stateDir === undefined ? null : new DemoStateDir(options.stateDir.dir, options.stateDir.sealer);
  const identity = stateDir?.identity() ?? null;
  const serviceClientSecret = identity?.serviceClientSecret ?? randomBytes(24).toString('base64url');
  const keys = identity?.keys ?? signingKeys();
  const cookieKey = identity?.cookieKey ?? randomBytes(32).toString('base64url');
  // The issuer URL needs the port, so the handler is installed once the provider exists.
  const route: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server: Server = createServer((req, res) => {
    // No keep-alive: the demo issuer stops and restarts on the same port (one CLI command each), and a
    // client's pooled socket to the previous run would fail the next request.
    res.setHeader('Connection', 'close');
    if (route.handler) route.handler(req, res);
    else sendHtml(res, 503, page('Starting', '<p>The demo issuer is starting.</p>', title));
  });
  // The same address as last time keeps the issuer identifier, so tokens from earlier runs stay usable.
  const preferredPort = identity ? Number(new URL(identity.issuer).port) : (options.port ?? 0);
  try {
    await listen(server, preferredPort);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || preferredPort === 0) throw error;
    if (identity && (await answersAs(identity.issuer))) {
      return { issuer: identity.issuer, provider: null, serviceClientSecret, close: () => Promise.resolve() };
    }
    await listen(server, 0);
  }
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stateDir?.saveIdentity({ issuer, serviceClientSecret, keys, cookieKey });

  const resourceServers: Record<string, DemoResourceServer> = {
    [DEMO_JWT_RESOURCE]: {
      scope: 'api:read api:write',
      audience: DEMO_JWT_RESOURCE,
      accessTokenFormat: 'jwt',
      accessTokenTTL: options.accessTokenTtlSeconds ?? 600,
      jwt: { sign: { alg: 'RS256' } },
    },
    [DEMO_OPAQUE_RESOURCE]: {
      scope: 'api:read api:write',
      audience: DEMO_OPAQUE_RESOURCE,
      accessTokenFormat: 'opaque',
      accessTokenTTL: options.accessTokenTtlSeconds ?? 600,
    },
    [DEMO_BACKEND_RESOURCE]: {
      scope: 'api:read api:write',
      audience: DEMO_BACKEND_RESOURCE,
      accessTokenFormat: 'jwt',
      accessTokenTTL: options.accessTokenTtlSeconds ?? 600,
      jwt: { sign: { alg: 'RS256' } },
    },
  };
  /** What each exchanged token carries beyond the usual claims (act), for extraTokenClaims. */
  const exchangeClaims = new WeakMap<object, Record<string, unknown>>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_NATIVE_CLIENT_ID,
        client_name: 'Tokenscope (demo)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Native clients on a loopback redirect: any port matches (RFC 8252 §7.3); IPv6 loopback as an option.
        redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
        grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT, TOKEN_EXCHANGE_GRANT],
        response_types: ['code'],
      },
      {
        client_id: DEMO_SERVICE_CLIENT_ID,
        client_name: 'Tokenscope demo service',
        client_secret: serviceClientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials', TOKEN_EXCHANGE_GRANT],
        response_types: [],
        redirect_uris: [],
      },
      ...(options.clients ?? []),
    ],
    adapter: stateDir ? stateDir.adapter() : createMemoryAdapter(),
    jwks: { keys },
    cookies: { keys: [cookieKey] },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({
        sub,
        name: `Demo ${sub}`,
        preferred_username: sub,
        email: `${sub}@demo.tokenscope.invalid`,
        email_verified: false,
      }),
    }),
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'],
    pkce: { required: () => true },
    extraTokenClaims: (_ctx: unknown, token: object) => exchangeClaims.get(token),
    rotateRefreshToken: (ctx: KoaContextWithOIDC) => !omitRefresh.has(ctx.oidc?.client?.clientId ?? ''),
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 600,
      ClientCredentials: options.accessTokenTtlSeconds ?? 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      DeviceCode: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 24 * 3600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client may introspect and revoke only its own tokens (the library's default policy, stated so it stays put).
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: ClientLike, token: TokenLike) =>
          token.clientId === client.clientId || client.clientAuthMethod !== 'none',
      },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: ClientLike, token: TokenLike) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      // DPoP (RFC 9449) with server nonces: a proof without the current nonce is answered use_dpop_nonce (§8), so
      // a client's first DPoP request shows the round. The nonce secret lives as long as this run.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      // PAR (RFC 9126) is advertised, not required: a profile's `par` setting decides.
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      rpInitiatedLogout: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: (ctx: KoaContextWithOIDC, form: string, _out: unknown, err: unknown) => {
          const message = err ? '<p>That code was not accepted. Try again.</p>' : '<p>Enter the code shown by the device.</p>';
          ctx.body = page(
            'Connect a device',
            `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
            title,
          );
        },
        userCodeConfirmSource: (ctx: KoaContextWithOIDC, form: string, _client: unknown, _info: unknown, userCode: string) => {
          ctx.body = page(
            'Confirm the device',
            `<p>The device should show this code:</p><p><code>${escapeHtml(userCode)}</code></p>${form}` +
              // The form carries confirm=yes itself; a named button would send the parameter twice (refused).
              '<button type="submit" form="op.deviceConfirmForm" id="allow">Allow</button> ' +
              '<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Deny</button>',
            title,
          );
        },
        successSource: (ctx: KoaContextWithOIDC) => {
          ctx.body = page('Device connected', '<p>You can close this page and return to your device.</p>', title);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          const info = resourceServers[resource];
          if (!info) throw new errors.InvalidTarget();
          return info;
        },
      },
    },
    renderError: (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      const text = Object.entries(out)
        .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(String(v))}</p>`)
        .join('');
      ctx.body = page('Something went wrong', text, title);
    },
  });

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    tokenExchangeGrant({ provider, jwks: { keys: keys.map(publicJwk) }, resourceServers, claimsOf: exchangeClaims }),
    TOKEN_EXCHANGE_PARAMETERS,
    TOKEN_EXCHANGE_DUPLICATES,
  );

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null) return;
    // oidc-provider announces no interval; the demo polls quickly so the device flow feels immediate.
    if (ctx.oidc?.route === 'device_authorization') body['interval'] = deviceInterval;
    if (
      ctx.oidc?.route === 'token' &&
      ctx.oidc.params?.['grant_type'] === 'refresh_token' &&
      omitRefresh.has(ctx.oidc.client?.clientId ?? '')
    ) {
      delete body['refresh_token'];
    }
  });

  const providerHandler = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      sendHtml(res, 400, page('Sign-in expired', '<p>Start the sign-in again from the application.</p>', title));
      return;
    }
    if (action === 'login' && req.method === 'POST') {
      const form = await readForm(req);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: accountIdFor(form.get('username')) } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (action === 'abort' && req.method === 'POST') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the user denied the request' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === 'login') {
      const clientId = details.params['client_id'];
      const client = escapeHtml(typeof clientId === 'string' ? clientId : '');
      sendHtml(
        res,
        200,
        page(
          'Sign in',
          `<p>Sign in to continue to <strong>${client}</strong>.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login"><label for="username">Username</label>
<input id="username" name="username" type="text" value="demo-user" autocomplete="username" autofocus>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Deny access</button></form>`,
          title,
        ),
      );
      return;
    }
    if (details.prompt.name === 'consent') {
      // The demo grants what the client asked for; consent still runs so offline_access yields a refresh token.
      const accountId = details.session?.accountId ?? 'demo-user';
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ??
          new provider.Grant({ accountId, clientId: String(details.params['client_id']) }))
        : new provider.Grant({ accountId, clientId: String(details.params['client_id']) });
      const missing = details.prompt.details;
      if (Array.isArray(missing['missingOIDCScope'])) grant.addOIDCScope((missing['missingOIDCScope'] as string[]).join(' '));
      if (Array.isArray(missing['missingOIDCClaims'])) grant.addOIDCClaims(missing['missingOIDCClaims'] as string[]);
      const resourceScopes = missing['missingResourceScopes'] as Record<string, string[]> | undefined;
      for (const [indicator, scopes] of Object.entries(resourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    sendHtml(res, 400, page('Unsupported step', '<p>This sign-in step is not supported by the demo issuer.</p>', title));
  }

  route.handler = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match?.[1]) {
      providerHandler(req, res);
      return;
    }
    interaction(req, res, match[1], match[2]).catch(() => {
      if (!res.headersSent)
        sendHtml(res, 400, page('Sign-in expired', '<p>Start the sign-in again from the application.</p>', title));
      else res.end();
    });
  };

  let closing: Promise<void> | undefined;
  return {
    issuer,
    provider,
    serviceClientSecret,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The demo issuer as the OAuth service uses it, with the profiles it offers. */
export async function startDemoIssuer(stateDir?: {
  readonly dir: string;
  readonly sealer: DemoSealer;
}): Promise<DemoIssuerHandle> {
  const running = await startIssuer(stateDir === undefined ? {} : { stateDir });
  return {
    issuer: running.issuer,
    profiles: [
      {
        role: 'native',
        name: DEMO_PROFILE_NAME,
        clientId: DEMO_NATIVE_CLIENT_ID,
        authMethod: 'none',
        scope: DEMO_SCOPE,
        // oidc-provider issues a refresh token for offline_access only with prompt=consent.
        authorizationParams: { prompt: 'consent' },
      },
      {
        role: 'native-jwt',
        name: `${DEMO_PROFILE_NAME}: JWT access token`,
        clientId: DEMO_NATIVE_CLIENT_ID,
        authMethod: 'none',
        scope: `${DEMO_SCOPE} api:read`,
        authorizationParams: { prompt: 'consent', resource: DEMO_JWT_RESOURCE },
      },
      {
        role: 'service',
        name: `${DEMO_PROFILE_NAME}: client credentials`,
        clientId: DEMO_SERVICE_CLIENT_ID,
        authMethod: 'client_secret_basic',
        clientSecret: running.serviceClientSecret,
        scope: 'api:read',
        authorizationParams: { resource: DEMO_JWT_RESOURCE },
      },
    ],
    close: () => running.close(),
  };
}

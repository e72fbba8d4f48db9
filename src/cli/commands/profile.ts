/** `tokenscope profile add|list`: OAuth client profiles from a terminal. */
import {
  CLIENT_AUTH_METHODS,
  KEY_ALGORITHMS,
  PAR_MODES,
  PAR_MODE_WORDS,
  type ClientAuthMethod,
  type KeyAlgorithm,
  type ParMode,
  type ProfileInput,
} from '../../shared/profile.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { DiscoveryResult } from '../../shared/oauth.ts';
import type { CliIo, Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, STRING, strings, STRINGS } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';
import { findProfile } from '../oauth-cli.ts';
import { applyPreset, findPreset, type AppliedPreset } from '../../shared/presets/apply.ts';
import { PROVIDER_PRESETS } from '../../shared/presets/providers.ts';

function keyValues(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--${flag} takes key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const ADD_OPTIONS = {
  ...strings('issuer', 'client-id', 'client-secret', 'auth-method', 'scope', 'redirect-port', 'redirect-host', 'generate-key'),
  ...strings('private-key', 'par'),
  preset: STRING,
  fill: STRINGS,
  param: STRINGS,
  'token-param': STRINGS,
  dpop: FLAG,
  'no-check': FLAG,
  json: FLAG,
};

/** The IPv6 loopback is accepted bare or bracketed; the profile keeps the URL form. */
const REDIRECT_HOSTS = new Map<string, '127.0.0.1' | '[::1]'>([
  ['127.0.0.1', '127.0.0.1'],
  ['::1', '[::1]'],
  ['[::1]', '[::1]'],
]);

/** Options that cannot go together: refused, never one of them silently dropped. */
function refuseContradictions(
  authMethod: string,
  given: { readonly secret: string | undefined; readonly generate: string | undefined; readonly key: string | undefined },
): void {
  const usesSecret = authMethod === 'client_secret_basic' || authMethod === 'client_secret_post';
  if (given.secret !== undefined && !usesSecret)
    throw badInput(
      `--client-secret goes with --auth-method client_secret_basic or client_secret_post, not ${authMethod}${authMethod === 'none' ? ' (a public client sends no secret)' : ''}`,
    );
  if (given.generate !== undefined && given.key !== undefined) throw badInput('give --generate-key or --private-key, not both');
  if ((given.generate !== undefined || given.key !== undefined) && authMethod !== 'private_key_jwt')
    throw badInput(`--generate-key and --private-key go with --auth-method private_key_jwt, not ${authMethod}`);
  if (usesSecret && given.secret === undefined) throw badInput(`--auth-method ${authMethod} needs --client-secret`);
  if (authMethod === 'private_key_jwt' && given.generate === undefined && given.key === undefined)
    throw badInput('--auth-method private_key_jwt needs --generate-key ALG or --private-key PEM|JWK');
}

/** `--preset NAME --fill key=value…`: the provider preset filled in, or a usage error naming what it still needs. */
function presetFrom(name: string | undefined, fills: string[] | undefined): AppliedPreset | undefined {
  if (name === undefined) {
    if (fills !== undefined) throw badInput('--fill goes with --preset');
    return undefined;
  }
  const preset = findPreset(name);
  if (!preset) throw badInput(`--preset is one of ${PROVIDER_PRESETS.map((p) => p.id).join(', ')}`);
  const applied = applyPreset(preset, keyValues(fills, 'fill'));
  if (applied.missing.length > 0) {
    const keys = preset.placeholders.filter((p) => p.optional !== true).map((p) => `--fill ${p.key}=…`);
    throw badInput(`the ${preset.name} preset needs ${keys.join(' ')}: ${applied.missing.join('; ')}`);
  }
  return applied;
}

export function profileInputFrom(name: string, values: Record<string, string | boolean | string[] | undefined>): ProfileInput {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const preset = presetFrom(str('preset'), values['fill'] as string[] | undefined)?.settings;
  const issuer = str('issuer') ?? preset?.issuer;
  const clientId = str('client-id');
  if (!issuer || !clientId)
    throw new TokenscopeError(
      'ERR_INVALID_ARGUMENT',
      `profile add needs ${preset ? '--client-id ID' : '--issuer URL (or --preset NAME) and --client-id ID'}`,
    );
  const authMethod =
    str('auth-method') ??
    (str('client-secret')
      ? preset?.authMethod.startsWith('client_secret')
        ? preset.authMethod
        : 'client_secret_basic'
      : str('generate-key') || str('private-key')
        ? 'private_key_jwt'
        : (preset?.authMethod ?? 'none'));
  if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(authMethod)) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--auth-method is one of ${CLIENT_AUTH_METHODS.join(', ')}`);
  }
  refuseContradictions(authMethod, { secret: str('client-secret'), generate: str('generate-key'), key: str('private-key') });
  const port = str('redirect-port');
  if (port !== undefined && !/^\d{1,5}$/.test(port))
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', '--redirect-port takes a number from 0 to 65535');
  const host = str('redirect-host');
  const redirectHost = host === undefined ? undefined : REDIRECT_HOSTS.get(host);
  if (host !== undefined && redirectHost === undefined)
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', '--redirect-host is 127.0.0.1 or ::1');
  const generate = str('generate-key');
  if (generate !== undefined && !(KEY_ALGORITHMS as readonly string[]).includes(generate)) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--generate-key is one of ${KEY_ALGORITHMS.join(', ')}`);
  }
  const par = str('par');
  if (par !== undefined && !(PAR_MODES as readonly string[]).includes(par))
    throw badInput(`--par is one of ${PAR_MODES.join(', ')} (auto: push when the server advertises PAR)`);
  const secret = str('client-secret');
  const privateKey = str('private-key');
  return {
    name,
    settings: {
      issuer,
      clientId,
      authMethod: authMethod as ClientAuthMethod,
      ...(preset ? { discovery: preset.discovery, ...(preset.endpoints ? { endpoints: preset.endpoints } : {}) } : {}),
      ...(str('scope') !== undefined ? { scope: str('scope') } : preset ? { scope: preset.scope } : {}),
      ...(port !== undefined ? { redirectPort: Number(port) } : {}),
      ...(redirectHost !== undefined ? { redirectHost } : {}),
      authorizationParams: { ...preset?.authorizationParams, ...keyValues(values['param'] as string[] | undefined, 'param') },
      tokenParams: keyValues(values['token-param'] as string[] | undefined, 'token-param'),
      ...(par !== undefined ? { par: par as ParMode } : {}),
      ...(values['dpop'] === true ? { dpop: true } : {}),
    },
    ...(secret !== undefined ? { clientSecret: secret } : {}),
    ...(generate !== undefined
      ? { privateKey: { generate: generate as KeyAlgorithm } }
      : privateKey !== undefined
        ? { privateKey }
        : {}),
  };
}

/** What discovery found, in one line a person checks against what they expected. */
function discoveryText(found: DiscoveryResult): string {
  const s = found.supports;
  const endpoints = (['authorization_endpoint', 'token_endpoint'] as const).filter((k) => typeof found.metadata[k] === 'string');
  const features = [
    s.pkceS256 ? 'PKCE S256' : 'no PKCE S256',
    ...(s.deviceCode ? ['device code'] : []),
    ...(s.clientCredentials ? ['client credentials'] : []),
    ...(s.tokenExchange ? ['token exchange'] : []),
    ...(s.par ? [s.parRequired ? 'PAR (required)' : 'PAR'] : []),
    ...(s.dpop ? ['DPoP'] : []),
    ...(s.revocation ? ['revocation'] : []),
    ...(s.introspection ? ['introspection'] : []),
    ...(s.userinfo ? ['userinfo'] : []),
  ];
  return `issuer ${found.issuer} answered discovery: ${endpoints.map((e) => e.replace('_endpoint', '')).join(' and ')} endpoints; ${features.join(', ')}\n`;
}

async function add(rest: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(rest, ADD_OPTIONS, true);
  const name = positionals.join(' ').trim();
  if (!name) throw badInput('profile add needs a NAME');
  const input = profileInputFrom(name, values);
  const json = values.json === true;
  return withBackend(io, { history: 'disk' }, async (backend) => {
    // The issuer is asked first: a typo is reported now, with the URL and the cause, not at the first login.
    let found: DiscoveryResult | undefined;
    // A provider without discovery (GitHub) has nothing to ask: its endpoints are the preset's.
    if (values['no-check'] !== true && input.settings.discovery !== false) {
      const discovered = await backend.discover({ issuer: input.settings.issuer });
      if (!discovered.ok) {
        const { code, message, detail } = discovered.error;
        throw new TokenscopeError(
          code,
          `discovery of ${input.settings.issuer} failed: ${message}; nothing saved (--no-check saves without asking the issuer)`,
          detail,
        );
      }
      found = discovered.value;
    }
    const saved = unwrap(await backend.saveProfile(input));
    if (json) {
      io.stdout(
        `${JSON.stringify(found ? { ...saved, discovery: { issuer: found.issuer, supports: found.supports } } : saved, null, 2)}\n`,
      );
      return EXIT_OK;
    }
    if (found) io.stdout(discoveryText(found));
    else if (input.settings.discovery === false) io.stdout('no discovery: the endpoints are set in the profile\n');
    else io.stdout('not checked with the issuer (--no-check)\n');
    const preset = typeof values['preset'] === 'string' ? findPreset(values['preset']) : undefined;
    for (const note of preset?.notes ?? []) io.stdout(`${preset?.name ?? ''}: ${note}\n`);
    io.stdout(`saved profile "${saved.name}" (${saved.id})\n`);
    if (saved.settings.dpopJkt) io.stdout(`DPoP key thumbprint (jkt): ${saved.settings.dpopJkt}\n`);
    if (saved.settings.publicJwk)
      io.stdout(`public key to register with the server:\n${JSON.stringify(saved.settings.publicJwk)}\n`);
    return EXIT_OK;
  });
}

async function list(rest: readonly string[], io: CliIo): Promise<number> {
  const json = parseOptions(rest, { json: FLAG }).values.json === true;
  return withBackend(io, { history: 'disk' }, async (backend) => {
    const profiles = unwrap(await backend.listProfiles());
    if (json) {
      io.stdout(`${JSON.stringify(profiles, null, 2)}\n`);
    } else {
      for (const p of profiles) {
        io.stdout(
          `${p.name}\n  id ${p.id}\n  issuer ${p.settings.issuer}${p.settings.demo ? ' (local demo: its port is set when it starts)' : ''}\n  client ${p.settings.clientId} (${p.settings.authMethod})  scope "${p.settings.scope}"\n` +
            `  par ${p.settings.par}: push the authorization request ${PAR_MODE_WORDS[p.settings.par]}\n` +
            `  dpop ${p.settings.dpop ? `on (key thumbprint ${p.settings.dpopJkt ?? 'not made yet'})` : 'off'}  auto-refresh ${p.settings.autoRefresh ? 'on' : 'off'}\n`,
        );
      }
    }
    return EXIT_OK;
  });
}

/** `profile delete ID|NAME`: the contract's deleteProfile; the profile's tokens stay in the history. */
async function remove(rest: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(rest, { json: FLAG }, true);
  const nameOrId = positionals.join(' ').trim();
  if (!nameOrId) throw badInput('usage: tokenscope profile delete ID|NAME [--json]');
  return withBackend(io, { history: 'disk' }, async (backend) => {
    const profile = await findProfile(backend, nameOrId);
    const { deleted } = unwrap(await backend.deleteProfile({ id: profile.id }));
    if (!deleted) throw new TokenscopeError('ERR_NOT_FOUND', `no profile ${profile.id}`);
    io.stdout(
      values.json === true
        ? `${JSON.stringify({ id: profile.id, name: profile.name, deleted })}\n`
        : `deleted profile "${profile.name}" (${profile.id}); its tokens stay in the history\n`,
    );
    return EXIT_OK;
  });
}

const SUBCOMMANDS = new Map<string, (rest: readonly string[], io: CliIo) => Promise<number>>([
  ['add', add],
  ['list', list],
  ['delete', remove],
]);

export const profileCommand: Command = {
  name: 'profile',
  summary: 'add, list or delete OAuth client profiles (issuer, client, authentication, scopes)',
  usage:
    'tokenscope profile add NAME --issuer URL --client-id ID [--client-secret S] [--auth-method M] [--scope "…"] [--redirect-port N]\n' +
    '                          [--redirect-host 127.0.0.1|::1]\n' +
    '                          [--param key=value]... [--token-param key=value]... [--generate-key ES256|RS256|PS256|EdDSA] [--private-key PEM|JWK]\n' +
    '                          [--par auto|always|never] [--dpop]\n' +
    '                          [--preset auth0|okta|entra|google|keycloak|cognito|github [--fill key=value]...] [--no-check] [--json]\n' +
    '       tokenscope profile list [--json]\n' +
    '       tokenscope profile delete ID|NAME [--json]\n' +
    '  add asks the issuer for its metadata (OpenID Connect / RFC 8414 discovery) and saves nothing if that fails;\n' +
    '  --no-check saves without asking. --preset fills the issuer, scopes and parameters a provider needs; --fill gives\n' +
    '  its placeholders (auth0: domain, audience; okta: domain, authServer; entra: tenant, apiAppId; keycloak: baseUrl,\n' +
    '  realm; cognito: region, userPoolId). --par: push the authorization request (RFC 9126) when the server advertises\n' +
    '  it (auto, the default), always, or never. --dpop: bind the tokens to a key pair of the profile (RFC 9449).',
  async run(args, io) {
    const [sub, ...rest] = args;
    const subcommand = sub === undefined ? undefined : SUBCOMMANDS.get(sub);
    if (!subcommand) throw badInput('use `tokenscope profile add`, `profile list` or `profile delete`');
    return subcommand(rest, io);
  },
};

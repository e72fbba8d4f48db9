/** `tokenscope profile add|list`: OAuth client profiles from a terminal. */
import {
  CLIENT_AUTH_METHODS,
  KEY_ALGORITHMS,
  type ClientAuthMethod,
  type KeyAlgorithm,
  type ProfileInput,
} from '../../shared/profile.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { Command } from '../io.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { badInput, FLAG, parseOptions, strings, STRINGS } from '../args.ts';
import { unwrap, withBackend } from '../backend.ts';

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
  ...strings('private-key'),
  param: STRINGS,
  'token-param': STRINGS,
  par: FLAG,
  json: FLAG,
};

/** The IPv6 loopback is accepted bare or bracketed; the profile keeps the URL form. */
const REDIRECT_HOSTS = new Map<string, '127.0.0.1' | '[::1]'>([
  ['127.0.0.1', '127.0.0.1'],
  ['::1', '[::1]'],
  ['[::1]', '[::1]'],
]);

export function profileInputFrom(name: string, values: Record<string, string | boolean | string[] | undefined>): ProfileInput {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const issuer = str('issuer');
  const clientId = str('client-id');
  if (!issuer || !clientId)
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'profile add needs --issuer URL and --client-id ID');
  const authMethod =
    str('auth-method') ??
    (str('client-secret') ? 'client_secret_basic' : str('generate-key') || str('private-key') ? 'private_key_jwt' : 'none');
  if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(authMethod)) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', `--auth-method is one of ${CLIENT_AUTH_METHODS.join(', ')}`);
  }
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
  const secret = str('client-secret');
  const privateKey = str('private-key');
  return {
    name,
    settings: {
      issuer,
      clientId,
      authMethod: authMethod as ClientAuthMethod,
      ...(str('scope') !== undefined ? { scope: str('scope') } : {}),
      ...(port !== undefined ? { redirectPort: Number(port) } : {}),
      ...(redirectHost !== undefined ? { redirectHost } : {}),
      authorizationParams: keyValues(values['param'] as string[] | undefined, 'param'),
      tokenParams: keyValues(values['token-param'] as string[] | undefined, 'token-param'),
      ...(values['par'] === true ? { usePar: true } : {}),
    },
    ...(secret !== undefined ? { clientSecret: secret } : {}),
    ...(generate !== undefined
      ? { privateKey: { generate: generate as KeyAlgorithm } }
      : privateKey !== undefined
        ? { privateKey }
        : {}),
  };
}

export const profileCommand: Command = {
  name: 'profile',
  summary: 'add or list OAuth client profiles (issuer, client, authentication, scopes)',
  usage:
    'tokenscope profile add NAME --issuer URL --client-id ID [--client-secret S] [--auth-method M] [--scope "…"] [--redirect-port N]\n' +
    '                          [--redirect-host 127.0.0.1|::1]\n' +
    '                          [--param key=value]... [--token-param key=value]... [--generate-key ES256|RS256|PS256|EdDSA] [--private-key PEM|JWK] [--par] [--json]\n' +
    '       tokenscope profile list [--json]',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'list') {
      const json = parseOptions(rest, { json: FLAG }).values.json === true;
      return withBackend(io, { history: 'disk' }, async (backend) => {
        const profiles = unwrap(await backend.listProfiles());
        if (json) {
          io.stdout(`${JSON.stringify(profiles, null, 2)}\n`);
        } else {
          for (const p of profiles) {
            io.stdout(
              `${p.name}\n  id ${p.id}\n  issuer ${p.settings.issuer}${p.settings.demo ? ' (local demo: its port is set when it starts)' : ''}\n  client ${p.settings.clientId} (${p.settings.authMethod})  scope "${p.settings.scope}"\n`,
            );
          }
        }
        return EXIT_OK;
      });
    }
    if (sub === 'add') {
      const { values, positionals } = parseOptions(rest, ADD_OPTIONS, true);
      const name = positionals.join(' ').trim();
      if (!name) throw badInput('profile add needs a NAME');
      const input = profileInputFrom(name, values);
      return withBackend(io, { history: 'disk' }, async (backend) => {
        const saved = unwrap(await backend.saveProfile(input));
        if (values.json === true) io.stdout(`${JSON.stringify(saved, null, 2)}\n`);
        else {
          io.stdout(`saved profile "${saved.name}" (${saved.id})\n`);
          if (saved.settings.publicJwk)
            io.stdout(`public key to register with the server:\n${JSON.stringify(saved.settings.publicJwk)}\n`);
        }
        return EXIT_OK;
      });
    }
    throw badInput('use `tokenscope profile add` or `tokenscope profile list`');
  },
};

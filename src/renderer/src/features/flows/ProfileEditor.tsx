/** Edit an OAuth client profile; Discover fills the endpoints from the issuer's metadata. */
import { useState } from 'react';
import {
  CLIENT_AUTH_METHODS,
  DEFAULT_PROFILE_SETTINGS,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  normalizeProfileSettings,
  type ClientAuthMethod,
  type ProfileInput,
  type ProfileView,
} from '../../../../shared/profile.ts';
import type { DiscoveryResult } from '../../../../shared/oauth.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { useAction } from '../../ui/use-action.ts';
import { CheckboxField, RadioField, SelectField, TextField } from '../../ui/FormFields.tsx';

interface Draft {
  name: string;
  issuer: string;
  discovery: boolean;
  clientId: string;
  authMethod: ClientAuthMethod;
  clientSecret: string;
  scope: string;
  redirectHost: '127.0.0.1' | '[::1]';
  redirectPort: string;
  usePar: boolean;
  primaryToken: 'access_token' | 'id_token';
  autoRefresh: boolean;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  /** Extra parameters, one `key=value` per line. */
  authorizationParams: string;
  tokenParams: string;
  /** private_key_jwt: generate a key pair with this algorithm, or paste a PEM / JWK. */
  keyAlg: KeyAlgorithm;
  pastedKey: string;
  keyAction: 'keep' | 'generate' | 'paste';
}

function draftOf(p: ProfileView | null): Draft {
  const s = p?.settings;
  return {
    name: p?.name ?? '',
    issuer: s?.issuer ?? '',
    discovery: s?.discovery ?? true,
    clientId: s?.clientId ?? '',
    authMethod: s?.authMethod ?? 'none',
    clientSecret: '',
    scope: s?.scope ?? DEFAULT_PROFILE_SETTINGS.scope,
    redirectHost: s?.redirectHost ?? '127.0.0.1',
    redirectPort: String(s?.redirectPort ?? 0),
    usePar: s?.usePar ?? false,
    primaryToken: s?.primaryToken ?? 'access_token',
    autoRefresh: s?.autoRefresh ?? false,
    tokenEndpoint: s?.endpoints?.tokenEndpoint ?? '',
    authorizationEndpoint: s?.endpoints?.authorizationEndpoint ?? '',
    authorizationParams: paramsText(s?.authorizationParams),
    tokenParams: paramsText(s?.tokenParams),
    keyAlg: 'ES256',
    pastedKey: '',
    keyAction: p?.hasPrivateKey ? 'keep' : 'generate',
  };
}

function paramsText(params: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** `key=value` lines to a record; a line without `=` or with an empty key is a problem, not silently dropped. */
export function parseParams(text: string): { params: Record<string, string>; problem?: string } {
  const params: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { params, problem: `line ${String(i + 1)}: write key=value (got "${line.slice(0, 40)}")` };
    params[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { params };
}

const REDIRECT_HOSTS = [
  ['127.0.0.1', '127.0.0.1'],
  ['[::1]', '[::1] (IPv6)'],
] as const;
const PRIMARY_TOKENS = [
  ['access_token', 'access token'],
  ['id_token', 'ID token'],
] as const;

export function ProfileEditor({ profile, onSaved }: { profile: ProfileView | null; onSaved: (p: ProfileView) => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(profile));
  const [discovered, discover] = useAction((issuer: string) => api.discover({ issuer }));
  const [saved, save] = useAction(async (input: ProfileInput) => {
    const r = await api.saveProfile(input);
    if (r.ok) onSaved(r.value);
    return r;
  });
  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => setD((x) => ({ ...x, [k]: v }));
  const authParams = parseParams(d.authorizationParams);
  const tokenParams = parseParams(d.tokenParams);
  const settings = {
    issuer: d.issuer.trim(),
    clientId: d.clientId.trim(),
    discovery: d.discovery,
    authMethod: d.authMethod,
    scope: d.scope,
    redirectHost: d.redirectHost,
    redirectPort: Number(d.redirectPort),
    usePar: d.usePar,
    primaryToken: d.primaryToken,
    autoRefresh: d.autoRefresh,
    authorizationParams: authParams.params,
    tokenParams: tokenParams.params,
    ...(d.discovery
      ? {}
      : {
          endpoints: {
            ...(d.tokenEndpoint ? { tokenEndpoint: d.tokenEndpoint } : {}),
            ...(d.authorizationEndpoint ? { authorizationEndpoint: d.authorizationEndpoint } : {}),
          },
        }),
  };
  const problems = [
    ...normalizeProfileSettings(settings).problems,
    ...(authParams.problem ? [{ field: 'authorizationParams', message: authParams.problem }] : []),
    ...(tokenParams.problem ? [{ field: 'tokenParams', message: tokenParams.problem }] : []),
  ];
  const problemFor = (f: string): string | undefined =>
    problems.find((p) => p.field === f || p.field.startsWith(`${f}.`))?.message;
  const [touched, setTouched] = useState(false);
  const readOnly = profile?.settings.demo === true;
  const needsSecret =
    d.authMethod === 'client_secret_basic' || d.authMethod === 'client_secret_post' || d.authMethod === 'client_secret_jwt';

  const submit = (): void => {
    setTouched(true);
    if (problems.length > 0 || d.name.trim() === '') return;
    void save({
      ...(profile ? { id: profile.id } : {}),
      name: d.name.trim(),
      settings,
      ...(needsSecret && d.clientSecret ? { clientSecret: d.clientSecret } : {}),
      ...(d.authMethod === 'private_key_jwt' && d.keyAction === 'generate' ? { privateKey: { generate: d.keyAlg } } : {}),
      ...(d.authMethod === 'private_key_jwt' && d.keyAction === 'paste' && d.pastedKey.trim() ? { privateKey: d.pastedKey } : {}),
    });
  };

  const err = (f: string) => {
    const m = touched ? problemFor(f) : undefined;
    return m ? (
      <span className="field-error" role="alert">
        {m}
      </span>
    ) : null;
  };

  return (
    <form
      className="form profile-form"
      aria-label="Profile"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {readOnly && (
        <p className="muted small">The demo issuer's profile is managed by Tokenscope: look, discover, but it cannot be saved.</p>
      )}
      <fieldset className="plain">
        <div className="form-row">
          <TextField
            label="Name"
            value={d.name}
            onChange={(value) => set('name', value)}
            required
            error={
              touched &&
              d.name.trim() === '' && (
                <span className="field-error" role="alert">
                  a name is required
                </span>
              )
            }
          />
        </div>
        <div className="form-row">
          <TextField
            label="Issuer URL"
            mono
            value={d.issuer}
            onChange={(value) => set('issuer', value)}
            placeholder="https://login.example.com"
            spellCheck={false}
            error={err('issuer')}
          />
          <button
            type="button"
            className="btn align-end"
            disabled={d.issuer.trim() === '' || discovered.state === 'busy'}
            onClick={() => void discover(d.issuer.trim())}
          >
            {discovered.state === 'busy' ? 'Discovering…' : 'Discover'}
          </button>
        </div>
        <ActionResult
          action={discovered}
          busyText="Reading the issuer's metadata…"
          render={(v) => <DiscoverySummary value={v} />}
        />
        <CheckboxField checked={d.discovery} onChange={(checked) => set('discovery', checked)}>
          Use discovery (otherwise type the endpoints)
        </CheckboxField>
        {!d.discovery && (
          <div className="form-row">
            <TextField
              label="Authorization endpoint"
              mono
              value={d.authorizationEndpoint}
              onChange={(value) => set('authorizationEndpoint', value)}
            />
            <TextField
              label="Token endpoint"
              mono
              value={d.tokenEndpoint}
              onChange={(value) => set('tokenEndpoint', value)}
              error={err('endpoints')}
            />
          </div>
        )}
        <div className="form-row">
          <TextField
            label="Client ID"
            mono
            value={d.clientId}
            onChange={(value) => set('clientId', value)}
            spellCheck={false}
            error={err('clientId')}
          />
          <SelectField
            label="Client authentication"
            value={d.authMethod}
            onChange={(method) => set('authMethod', method)}
            options={CLIENT_AUTH_METHODS.map(
              (method) => [method, method === 'none' ? 'none (public client, PKCE)' : method] as const,
            )}
          />
        </div>
        {needsSecret && (
          <TextField
            label={`Client secret ${profile?.hasClientSecret ? '(stored; leave empty to keep it)' : ''}`}
            layout="field"
            type="password"
            autoComplete="off"
            value={d.clientSecret}
            onChange={(value) => set('clientSecret', value)}
          />
        )}
        {d.authMethod === 'private_key_jwt' && (
          <fieldset className="field">
            <legend className="label">Private key (signs the client assertion; stored encrypted)</legend>
            {profile?.hasPrivateKey && (
              <RadioField name="key-action" checked={d.keyAction === 'keep'} onSelect={() => set('keyAction', 'keep')}>
                Keep the stored key
              </RadioField>
            )}
            <RadioField name="key-action" checked={d.keyAction === 'generate'} onSelect={() => set('keyAction', 'generate')}>
              Generate a new key pair
              <select
                className="input inline-select"
                aria-label="Key algorithm"
                value={d.keyAlg}
                onChange={(e) => set('keyAlg', e.target.value as KeyAlgorithm)}
              >
                {KEY_ALGORITHMS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </RadioField>
            <RadioField name="key-action" checked={d.keyAction === 'paste'} onSelect={() => set('keyAction', 'paste')}>
              Paste a private key (PEM PKCS#8 or JWK)
            </RadioField>
            {d.keyAction === 'paste' && (
              <textarea
                className="input mono"
                rows={4}
                aria-label="Private key"
                value={d.pastedKey}
                onChange={(e) => set('pastedKey', e.target.value)}
                spellCheck={false}
                autoComplete="off"
              />
            )}
            {profile?.settings.publicJwk && (
              <details open>
                <summary>Public JWK to register with the server</summary>
                <pre className="mono json" data-testid="public-jwk">
                  {JSON.stringify(profile.settings.publicJwk, null, 2)}
                </pre>
              </details>
            )}
          </fieldset>
        )}
        <div className="form-row">
          <TextField label="Scopes (space-separated)" mono value={d.scope} onChange={(value) => set('scope', value)} />
          <TextField
            label="Redirect port (0 = any)"
            layout="field narrow"
            inputMode="numeric"
            value={d.redirectPort}
            onChange={(value) => set('redirectPort', value)}
            error={err('redirectPort')}
          />
          <SelectField
            label="Redirect host"
            layout="field narrow"
            value={d.redirectHost}
            onChange={(host) => set('redirectHost', host)}
            options={REDIRECT_HOSTS}
          />
          <SelectField
            label="The token is the"
            value={d.primaryToken}
            onChange={(kind) => set('primaryToken', kind)}
            options={PRIMARY_TOKENS}
          />
        </div>
        <div className="form-row">
          <TextField
            label="Extra authorization parameters (key=value per line)"
            mono
            rows={3}
            value={d.authorizationParams}
            onChange={(value) => set('authorizationParams', value)}
            placeholder={'audience=https://api.example.com\nprompt=consent\nlogin_hint=user@example.com'}
            spellCheck={false}
            error={err('authorizationParams')}
          />
          <TextField
            label="Extra token-request parameters (key=value per line)"
            mono
            rows={3}
            value={d.tokenParams}
            onChange={(value) => set('tokenParams', value)}
            placeholder="resource=https://api.example.com"
            spellCheck={false}
            error={err('tokenParams')}
          />
        </div>
        <CheckboxField checked={d.usePar} onChange={(checked) => set('usePar', checked)}>
          Push the authorization request (PAR, RFC 9126)
        </CheckboxField>
        <CheckboxField checked={d.autoRefresh} onChange={(checked) => set('autoRefresh', checked)}>
          Refresh automatically shortly before expiry
        </CheckboxField>
        <div className="actions">
          <button type="submit" className="btn primary" disabled={readOnly || saved.state === 'busy'}>
            {saved.state === 'busy' ? 'Saving…' : 'Save profile'}
          </button>
        </div>
      </fieldset>
      <ActionResult action={saved} busyText="Saving…" render={() => <span>Saved.</span>} />
    </form>
  );
}

function DiscoverySummary({ value }: { value: DiscoveryResult }) {
  const s = value.supports;
  const rows: [string, boolean][] = [
    ['PKCE S256', s.pkceS256],
    ['PAR', s.par],
    ['device flow', s.deviceCode],
    ['client credentials', s.clientCredentials],
    ['revocation', s.revocation],
    ['introspection', s.introspection],
    ['userinfo', s.userinfo],
    ['RFC 9207 iss', s.issParameter],
  ];
  return (
    <div data-testid="discovery-result">
      <p>
        Issuer <code>{value.issuer}</code> supports:
      </p>
      <ul className="support-list">
        {rows.map(([label, yes]) => (
          <li key={label} className={yes ? 'text-ok' : 'muted'}>
            {yes ? '✓' : '✗'} {label}
          </li>
        ))}
      </ul>
    </div>
  );
}

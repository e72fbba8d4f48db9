/** Edit an OAuth client profile; Discover fills the endpoints from the issuer's metadata. */
import { useState } from 'react';
import {
  CLIENT_AUTH_METHODS,
  DEFAULT_PROFILE_SETTINGS,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type ManualEndpoints,
  type ParMode,
  PAR_MODE_WORDS,
  PAR_MODES,
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
import type { PresetSettings } from '../../../../shared/presets/apply.ts';
import { PresetPicker } from './PresetPicker.tsx';

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
  par: ParMode;
  dpop: boolean;
  primaryToken: 'access_token' | 'id_token';
  autoRefresh: boolean;
  /** Without discovery: every endpoint the profile can name (empty: none). */
  endpoints: Record<keyof ManualEndpoints, string>;
  /** Extra parameters, one `key=value` per line. */
  authorizationParams: string;
  tokenParams: string;
  /** private_key_jwt: generate a key pair with this algorithm, or paste a PEM / JWK. */
  keyAlg: KeyAlgorithm;
  pastedKey: string;
  keyAction: 'keep' | 'generate' | 'paste';
}

function draftOf(profile: ProfileView | null): Draft {
  const settings = profile?.settings;
  return {
    name: profile ? (settings?.demo ? `${profile.name} (copy)` : profile.name) : '',
    issuer: settings?.issuer ?? '',
    discovery: settings?.discovery ?? true,
    clientId: settings?.clientId ?? '',
    authMethod: settings?.authMethod ?? 'none',
    clientSecret: '',
    scope: settings?.scope ?? DEFAULT_PROFILE_SETTINGS.scope,
    redirectHost: settings?.redirectHost ?? '127.0.0.1',
    redirectPort: String(settings?.redirectPort ?? 0),
    par: settings?.par ?? DEFAULT_PROFILE_SETTINGS.par,
    dpop: settings?.dpop ?? false,
    primaryToken: settings?.primaryToken ?? 'access_token',
    autoRefresh: settings?.autoRefresh ?? false,
    endpoints: endpointsDraft(settings?.endpoints),
    authorizationParams: paramsText(settings?.authorizationParams),
    tokenParams: paramsText(settings?.tokenParams),
    keyAlg: 'ES256',
    pastedKey: '',
    keyAction: profile?.hasPrivateKey ? 'keep' : 'generate',
  };
}

/** A provider preset's settings over the draft: the issuer, discovery or its endpoints, scopes, parameters, authentication. */
function withPreset(draft: Draft, preset: PresetSettings): Draft {
  return {
    ...draft,
    issuer: preset.issuer,
    discovery: preset.discovery,
    scope: preset.scope,
    authMethod: preset.authMethod,
    authorizationParams: paramsText(preset.authorizationParams),
    // A preset that names its endpoints names all it has (GitHub: device authorization too); the rest are cleared.
    endpoints: preset.endpoints ? endpointsDraft(preset.endpoints) : draft.endpoints,
  };
}

/** The endpoints a profile without discovery can name, in the form's order; the first two are always shown. */
const ENDPOINT_FIELDS: readonly (readonly [keyof ManualEndpoints, string])[] = [
  ['authorizationEndpoint', 'Authorization endpoint'],
  ['tokenEndpoint', 'Token endpoint'],
  ['deviceAuthorizationEndpoint', 'Device authorization endpoint'],
  ['pushedAuthorizationRequestEndpoint', 'PAR endpoint'],
  ['revocationEndpoint', 'Revocation endpoint'],
  ['introspectionEndpoint', 'Introspection endpoint'],
  ['userinfoEndpoint', 'Userinfo endpoint'],
  ['jwksUri', 'JWKS URI'],
];

function endpointsDraft(endpoints: ManualEndpoints | undefined): Record<keyof ManualEndpoints, string> {
  return Object.fromEntries(ENDPOINT_FIELDS.map(([key]) => [key, endpoints?.[key] ?? ''])) as Record<
    keyof ManualEndpoints,
    string
  >;
}

/** The draft's endpoints as settings: the filled ones, trimmed. */
function endpointsOf(draft: Draft['endpoints']): ManualEndpoints {
  return Object.fromEntries(ENDPOINT_FIELDS.map(([key]) => [key, draft[key].trim()] as const).filter(([, url]) => url !== ''));
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
const PAR_CHOICES = PAR_MODES.map((mode) => [mode, PAR_MODE_WORDS[mode]] as const);
const PRIMARY_TOKENS = [
  ['access_token', 'access token'],
  ['id_token', 'ID token'],
] as const;

export function ProfileEditor({ profile, onSaved }: { profile: ProfileView | null; onSaved: (p: ProfileView) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(profile));
  const [discovered, discover] = useAction((issuer: string) => api.discover({ issuer }));
  const [saved, save] = useAction(async (input: ProfileInput) => {
    const r = await api.saveProfile(input);
    if (r.ok) onSaved(r.value);
    return r;
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((current) => ({ ...current, [key]: value }));
  const authParams = parseParams(draft.authorizationParams);
  const tokenParams = parseParams(draft.tokenParams);
  const settings = {
    issuer: draft.issuer.trim(),
    clientId: draft.clientId.trim(),
    discovery: draft.discovery,
    authMethod: draft.authMethod,
    scope: draft.scope,
    redirectHost: draft.redirectHost,
    redirectPort: Number(draft.redirectPort),
    par: draft.par,
    dpop: draft.dpop,
    primaryToken: draft.primaryToken,
    autoRefresh: draft.autoRefresh,
    authorizationParams: authParams.params,
    tokenParams: tokenParams.params,
    ...(draft.discovery
      ? {}
      : {
          endpoints: endpointsOf(draft.endpoints),
        }),
  };
  const problems = [
    ...normalizeProfileSettings(settings).problems,
    ...(authParams.problem ? [{ field: 'authorizationParams', message: authParams.problem }] : []),
    ...(tokenParams.problem ? [{ field: 'tokenParams', message: tokenParams.problem }] : []),
  ];
  const problemFor = (field: string): string | undefined =>
    problems.find((problem) => problem.field === field || problem.field.startsWith(`${field}.`))?.message;
  const [touched, setTouched] = useState(false);
  // The demo issuer's profiles are managed by Tokenscope: saving one makes an editable copy.
  const asCopy = profile?.settings.demo === true;
  const needsSecret =
    draft.authMethod === 'client_secret_basic' ||
    draft.authMethod === 'client_secret_post' ||
    draft.authMethod === 'client_secret_jwt';

  const submit = (): void => {
    setTouched(true);
    if (problems.length > 0 || draft.name.trim() === '') return;
    void save({
      ...(profile && !asCopy ? { id: profile.id } : {}),
      name: draft.name.trim(),
      settings,
      ...(needsSecret && draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
      ...(draft.authMethod === 'private_key_jwt' && draft.keyAction === 'generate'
        ? { privateKey: { generate: draft.keyAlg } }
        : {}),
      ...(draft.authMethod === 'private_key_jwt' && draft.keyAction === 'paste' && draft.pastedKey.trim()
        ? { privateKey: draft.pastedKey }
        : {}),
    });
  };

  const fieldError = (field: string) => {
    const message = touched ? problemFor(field) : undefined;
    return message ? (
      <span className="field-error" role="alert">
        {message}
      </span>
    ) : null;
  };

  const endpointField = ([key, label]: readonly [keyof ManualEndpoints, string]) => (
    <TextField
      key={key}
      label={label}
      mono
      value={draft.endpoints[key]}
      onChange={(value) => set('endpoints', { ...draft.endpoints, [key]: value })}
      error={fieldError(`endpoints.${key}`)}
    />
  );

  return (
    <form
      className="form profile-form"
      aria-label="Profile"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {asCopy && (
        <p className="muted small" data-testid="demo-copy-note">
          The demo issuer's profiles are managed by Tokenscope: saving makes a new profile, a copy you can change and delete
          {needsSecret ? ' (type the client secret again: it is not copied)' : ''}.
        </p>
      )}
      <PresetPicker onApply={(preset) => setDraft((current) => withPreset(current, preset))} />
      <fieldset className="plain">
        <div className="form-row">
          <TextField
            label="Name"
            value={draft.name}
            onChange={(value) => set('name', value)}
            required
            error={
              touched &&
              draft.name.trim() === '' && (
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
            value={draft.issuer}
            onChange={(value) => set('issuer', value)}
            placeholder="https://login.example.com"
            spellCheck={false}
            error={fieldError('issuer')}
          />
          <button
            type="button"
            className="btn align-end"
            disabled={draft.issuer.trim() === '' || discovered.state === 'busy'}
            onClick={() => void discover(draft.issuer.trim())}
          >
            {discovered.state === 'busy' ? 'Discovering…' : 'Discover'}
          </button>
        </div>
        <ActionResult
          action={discovered}
          busyText="Reading the issuer's metadata…"
          render={(v) => <DiscoverySummary value={v} />}
        />
        <CheckboxField checked={draft.discovery} onChange={(checked) => set('discovery', checked)}>
          Use discovery (otherwise type the endpoints)
        </CheckboxField>
        {!draft.discovery && (
          <>
            <div className="form-row">{ENDPOINT_FIELDS.slice(0, 2).map(endpointField)}</div>
            <details className="more-endpoints" open={ENDPOINT_FIELDS.slice(2).some(([key]) => draft.endpoints[key] !== '')}>
              <summary>More endpoints (device, PAR, revocation, introspection, userinfo, JWKS)</summary>
              <div className="form-row">{ENDPOINT_FIELDS.slice(2).map(endpointField)}</div>
            </details>
          </>
        )}
        <div className="form-row">
          <TextField
            label="Client ID"
            mono
            value={draft.clientId}
            onChange={(value) => set('clientId', value)}
            spellCheck={false}
            error={fieldError('clientId')}
          />
          <SelectField
            label="Client authentication"
            value={draft.authMethod}
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
            value={draft.clientSecret}
            onChange={(value) => set('clientSecret', value)}
          />
        )}
        {draft.authMethod === 'private_key_jwt' && (
          <fieldset className="field">
            <legend className="label">Private key (signs the client assertion; stored encrypted)</legend>
            {profile?.hasPrivateKey && (
              <RadioField name="key-action" checked={draft.keyAction === 'keep'} onSelect={() => set('keyAction', 'keep')}>
                Keep the stored key
              </RadioField>
            )}
            <RadioField name="key-action" checked={draft.keyAction === 'generate'} onSelect={() => set('keyAction', 'generate')}>
              Generate a new key pair
              <select
                className="input inline-select"
                aria-label="Key algorithm"
                value={draft.keyAlg}
                onChange={(e) => set('keyAlg', e.target.value as KeyAlgorithm)}
              >
                {KEY_ALGORITHMS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </RadioField>
            <RadioField name="key-action" checked={draft.keyAction === 'paste'} onSelect={() => set('keyAction', 'paste')}>
              Paste a private key (PEM PKCS#8 or JWK)
            </RadioField>
            {draft.keyAction === 'paste' && (
              <textarea
                className="input mono"
                rows={4}
                aria-label="Private key"
                value={draft.pastedKey}
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
          <TextField label="Scopes (space-separated)" mono value={draft.scope} onChange={(value) => set('scope', value)} />
          <TextField
            label="Redirect port (0 = any)"
            layout="field narrow"
            inputMode="numeric"
            value={draft.redirectPort}
            onChange={(value) => set('redirectPort', value)}
            error={fieldError('redirectPort')}
          />
          <SelectField
            label="Redirect host"
            layout="field narrow"
            value={draft.redirectHost}
            onChange={(host) => set('redirectHost', host)}
            options={REDIRECT_HOSTS}
          />
          <SelectField
            label="The token is the"
            value={draft.primaryToken}
            onChange={(kind) => set('primaryToken', kind)}
            options={PRIMARY_TOKENS}
          />
        </div>
        <div className="form-row">
          <TextField
            label="Extra authorization parameters (key=value per line)"
            mono
            rows={3}
            value={draft.authorizationParams}
            onChange={(value) => set('authorizationParams', value)}
            placeholder={'audience=https://api.example.com\nprompt=consent\nlogin_hint=user@example.com'}
            spellCheck={false}
            error={fieldError('authorizationParams')}
          />
          <TextField
            label="Extra token-request parameters (key=value per line)"
            mono
            rows={3}
            value={draft.tokenParams}
            onChange={(value) => set('tokenParams', value)}
            placeholder="resource=https://api.example.com"
            spellCheck={false}
            error={fieldError('tokenParams')}
          />
        </div>
        <SelectField
          label="Push the authorization request (PAR, RFC 9126)"
          value={draft.par}
          onChange={(mode) => set('par', mode)}
          options={PAR_CHOICES}
          testId="profile-par"
        />
        <CheckboxField checked={draft.dpop} onChange={(checked) => set('dpop', checked)}>
          DPoP: bind the tokens to a key pair of this profile (RFC 9449)
        </CheckboxField>
        {profile?.settings.dpopJkt && (
          <p className="hint" data-testid="dpop-jkt">
            DPoP key thumbprint (jkt): <code>{profile.settings.dpopJkt}</code>
            {draft.dpop ? '' : ' — kept while DPoP is off, for tokens bound to it'}
          </p>
        )}
        <CheckboxField checked={draft.autoRefresh} onChange={(checked) => set('autoRefresh', checked)}>
          Refresh automatically shortly before expiry
        </CheckboxField>
        <div className="actions">
          <button type="submit" className="btn primary" disabled={saved.state === 'busy'}>
            {saved.state === 'busy' ? 'Saving…' : asCopy ? 'Save as a new profile' : 'Save profile'}
          </button>
        </div>
      </fieldset>
      <ActionResult action={saved} busyText="Saving…" render={() => <span>Saved.</span>} />
    </form>
  );
}

function DiscoverySummary({ value }: { value: DiscoveryResult }) {
  const supports = value.supports;
  const rows: [string, boolean][] = [
    ['PKCE S256', supports.pkceS256],
    ['PAR', supports.par],
    ['DPoP', supports.dpop],
    ['device flow', supports.deviceCode],
    ['client credentials', supports.clientCredentials],
    ['token exchange', supports.tokenExchange],
    ['revocation', supports.revocation],
    ['introspection', supports.introspection],
    ['userinfo', supports.userinfo],
    ['RFC 9207 iss', supports.issParameter],
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

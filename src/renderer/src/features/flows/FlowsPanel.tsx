/** Get tokens: pick or edit a profile, then log in through the browser, run the device flow, or use client credentials. */
import { useState } from 'react';
import type { ProfileView } from '../../../../shared/profile.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { SafeText } from '../../ui/SafeText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useResult } from '../../ui/use-result.ts';
import { FlowProgress, GrantTokens } from './FlowProgress.tsx';
import { ProfileEditor } from './ProfileEditor.tsx';
import { isRunning, startDevice, startProfileLogin, useFlow } from './flow-store.ts';

export function FlowsPanel() {
  const [profiles, reload] = useResult(() => api.listProfiles(), []);
  const [selected, setSelected] = useState<string | null>(null);
  const list = profiles.state === 'ok' ? profiles.value : [];
  const current =
    selected === 'new' ? null : (list.find((p) => p.id === selected) ?? list.find((p) => p.settings.demo) ?? list[0] ?? null);
  const editing = selected === 'new' || current !== null;

  return (
    <section className="flows-screen" aria-labelledby="flows-title">
      <div className="screen-head">
        <h2 id="flows-title">Get tokens</h2>
      </div>
      {profiles.state === 'error' && <ErrorBanner error={profiles.error} />}
      <div className="flows-layout">
        <nav className="profile-list" aria-label="Profiles">
          <h3>Profiles</h3>
          <ul>
            {list.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={`profile-item ${current?.id === p.id && selected !== 'new' ? 'on' : ''}`}
                  aria-current={current?.id === p.id && selected !== 'new' ? 'true' : undefined}
                  onClick={() => setSelected(p.id)}
                >
                  <span className="profile-name">
                    <SafeText text={p.name} />
                  </span>
                  <span className="muted small break">
                    <SafeText text={p.settings.issuer || 'starts on demand'} />
                  </span>
                  {p.settings.demo && <span className="chip chip-demo">local demo</span>}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="btn" onClick={() => setSelected('new')}>
            + New profile
          </button>
        </nav>
        <div className="flows-main">
          {!editing && profiles.state === 'ok' && (
            <p className="muted">No profile yet: create one, or use the demo issuer from the Tokens screen.</p>
          )}
          {null}
          {current && selected !== 'new' && <RunFlows key={current.id} profile={current} />}
          {editing && (
            <details className="card" open={selected === 'new'}>
              <summary>{selected === 'new' ? 'New profile' : 'Edit profile'}</summary>
              <ProfileEditor
                key={selected === 'new' ? 'new' : (current?.id ?? 'none')}
                profile={selected === 'new' ? null : current}
                onSaved={(p) => {
                  reload();
                  setSelected(p.id);
                }}
              />
            </details>
          )}
        </div>
      </div>
    </section>
  );
}

function RunFlows({ profile }: { profile: ProfileView }) {
  const login = useFlow(`login:${profile.id}`);
  const device = useFlow(`device:${profile.id}`);
  const [cc, runCc] = useAction((id: string) => api.clientCredentials({ profileId: id }));
  const confidential = profile.settings.authMethod !== 'none';

  return (
    <div className="card run-flows">
      <h3>
        <SafeText text={profile.name} />
      </h3>
      <p className="muted small">
        client <code>{profile.settings.clientId}</code> · {profile.settings.authMethod} · scopes{' '}
        <code>{profile.settings.scope}</code>
      </p>
      <div className="flow-block">
        <h4>Authorization code + PKCE (browser)</h4>
        <p className="muted small">
          Opens the login page in your browser; Tokenscope listens on a loopback port for the redirect.
        </p>
        <button
          type="button"
          className="btn primary"
          onClick={() => void startProfileLogin(profile.id, profile.name)}
          disabled={isRunning(login)}
          data-testid="start-login"
        >
          {isRunning(login) ? 'Logging in…' : 'Log in'}
        </button>
        <FlowProgress view={login} />
      </div>
      <div className="flow-block">
        <h4>Device authorization (RFC 8628)</h4>
        <p className="muted small">For when the browser is on another device: enter the code there.</p>
        <button
          type="button"
          className="btn"
          onClick={() => void startDevice(profile.id, profile.name)}
          disabled={isRunning(device)}
          data-testid="start-device"
        >
          Start device flow
        </button>
        <FlowProgress view={device} />
      </div>
      <div className="flow-block">
        <h4>Client credentials</h4>
        <p className="muted small">
          {confidential
            ? 'A token for the client itself, no user involved.'
            : 'Needs a confidential client (a client secret or a private key).'}
        </p>
        <button
          type="button"
          className="btn"
          onClick={() => void runCc(profile.id)}
          disabled={!confidential || cc.state === 'busy'}
          data-testid="start-client-credentials"
        >
          {cc.state === 'busy' ? 'Requesting…' : 'Get a client token'}
        </button>
        <ActionResult action={cc} busyText="Calling the token endpoint…" render={(v) => <GrantTokens result={v} />} />
      </div>
    </div>
  );
}

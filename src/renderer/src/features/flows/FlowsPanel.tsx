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
import { isRunning, startDevice, startProfileLogin, useFlow, type FlowView } from './flow-store.ts';

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

/** A flow the user starts with one button, its progress under it. */
function BrowserFlowBlock({
  title,
  description,
  view,
  primary,
  label,
  busyLabel,
  testId,
  onStart,
}: {
  title: string;
  description: string;
  view: FlowView | undefined;
  primary?: boolean;
  label: string;
  busyLabel: string;
  testId: string;
  onStart: () => void;
}) {
  const running = isRunning(view);
  return (
    <div className="flow-block">
      <h4>{title}</h4>
      <p className="muted small">{description}</p>
      <button type="button" className={primary ? 'btn primary' : 'btn'} onClick={onStart} disabled={running} data-testid={testId}>
        {running ? busyLabel : label}
      </button>
      <FlowProgress view={view} />
    </div>
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
      <BrowserFlowBlock
        title="Authorization code + PKCE (browser)"
        description="Opens the login page in your browser; Tokenscope listens on a loopback port for the redirect."
        view={login}
        primary
        label="Log in"
        busyLabel="Logging in…"
        testId="start-login"
        onStart={() => void startProfileLogin(profile.id, profile.name)}
      />
      <BrowserFlowBlock
        title="Device authorization (RFC 8628)"
        description="For when the browser is on another device: enter the code there."
        view={device}
        label="Start device flow"
        busyLabel="Start device flow"
        testId="start-device"
        onStart={() => void startDevice(profile.id, profile.name)}
      />
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

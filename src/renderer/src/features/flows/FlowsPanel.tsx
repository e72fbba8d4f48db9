/** Get tokens: pick or edit a profile, then log in through the browser, run the device flow, or use client credentials. */
import { useState } from 'react';
import type { ProfileView } from '../../../../shared/profile.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { ConfirmDialog, Dialog } from '../../ui/Dialog.tsx';
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
  /** The profile editor dialog: a new profile, or the id of the one being edited (kept open after a save). */
  const [editing, setEditing] = useState<{ id: string | null; session: number } | null>(null);
  const list = profiles.state === 'ok' ? profiles.value : [];
  const current = list.find((p) => p.id === selected) ?? list.find((p) => p.settings.demo) ?? list[0] ?? null;
  const edited = editing?.id ? (list.find((p) => p.id === editing.id) ?? null) : null;
  const openEditor = (id: string | null): void => setEditing({ id, session: Date.now() });

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
                  className={`profile-item ${current?.id === p.id ? 'on' : ''}`}
                  aria-current={current?.id === p.id ? 'true' : undefined}
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
          <button type="button" className="btn" onClick={() => openEditor(null)}>
            + New profile
          </button>
        </nav>
        <div className="flows-main">
          {!current && profiles.state === 'ok' && (
            <p className="muted">No profile yet: create one, or use the demo issuer from the Tokens screen.</p>
          )}
          {current && (
            <RunFlows
              key={current.id}
              profile={current}
              onEdit={() => openEditor(current.id)}
              onDeleted={() => {
                setSelected(null);
                reload();
              }}
            />
          )}
        </div>
      </div>
      {editing && (
        <Dialog
          title={edited ? (edited.settings.demo ? 'A copy of the demo profile' : 'Edit profile') : 'New profile'}
          testId="profile-dialog"
          onClose={() => setEditing(null)}
        >
          <ProfileEditor
            key={editing.session}
            profile={edited}
            onSaved={(p) => {
              reload();
              setSelected(p.id);
              setEditing({ id: p.id, session: editing.session });
            }}
          />
        </Dialog>
      )}
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

function RunFlows({ profile, onEdit, onDeleted }: { profile: ProfileView; onEdit: () => void; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [deleted, runDelete] = useAction(async (id: string) => {
    const r = await api.deleteProfile({ id });
    if (r.ok) onDeleted();
    return r;
  });
  const login = useFlow(`login:${profile.id}`);
  const device = useFlow(`device:${profile.id}`);
  const [cc, runCc] = useAction((id: string) => api.clientCredentials({ profileId: id }));
  const confidential = profile.settings.authMethod !== 'none';

  return (
    <div className="card run-flows">
      <div className="run-flows-head">
        <h3>
          <SafeText text={profile.name} />
        </h3>
        <div className="actions">
          <button type="button" className="btn" onClick={onEdit} data-testid="edit-profile">
            {profile.settings.demo ? 'Edit a copy…' : 'Edit profile…'}
          </button>
          {!profile.settings.demo && (
            <button
              type="button"
              className="btn danger-outline"
              onClick={() => setConfirming(true)}
              disabled={deleted.state === 'busy'}
              data-testid="delete-profile"
            >
              Delete profile…
            </button>
          )}
        </div>
      </div>
      {deleted.state === 'error' && <ErrorBanner error={deleted.error} />}
      {confirming && (
        <ConfirmDialog
          title={`Delete the profile "${profile.name}"?`}
          message={
            <p>
              Only the profile (its client settings and stored secrets) is deleted; the tokens it obtained stay in the history.
            </p>
          }
          confirmLabel="Delete profile"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void runDelete(profile.id);
          }}
        />
      )}
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

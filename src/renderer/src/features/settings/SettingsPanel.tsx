/** How Tokenscope keeps secrets here, where the history lives, the theme, and wiping everything. */
import { useState } from 'react';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { ProtectionSettings } from './ProtectionChoice.tsx';
import { useTheme, type ThemeChoice } from '../../ui/theme.ts';
import { useAction } from '../../ui/use-action.ts';
import { useResult } from '../../ui/use-result.ts';

const THEMES: readonly { id: ThemeChoice; label: string }[] = [
  { id: 'system', label: 'Follow the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

export function SettingsPanel() {
  const [theme, setTheme] = useTheme();
  const [info] = useResult(() => api.appInfo(), []);
  const [status, reloadStatus] = useResult(() => api.storageStatus(), []);
  const [confirmWipe, setConfirmWipe] = useState(false);
  const [wipe, runWipe] = useAction(async (_: null) => {
    const r = await api.wipeHistory();
    reloadStatus();
    return r;
  });

  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>

      <h3>Secrets at rest</h3>
      {status.state === 'ok' ? (
        <div data-testid="storage-status">
          <p>
            Token values, client secrets and keys are encrypted (AES-256-GCM) with a data key protected by{' '}
            <strong>{status.value.keyBackend}</strong>
            {status.value.protection === 'session' ? ' (held only in memory for this session)' : ''}.
          </p>
          <ProtectionSettings status={status.value} onChanged={reloadStatus} />
          {status.value.unreadableCount > 0 && (
            <p className="flag warn">
              {status.value.unreadableCount} token{status.value.unreadableCount === 1 ? '' : 's'} cannot be decrypted with this
              key (the history was moved or the key lost): log in again to re-obtain them.
            </p>
          )}
          <dl className="facts">
            <dt>Tokens</dt>
            <dd>{status.value.tokenCount}</dd>
            <dt>Database</dt>
            <dd className="mono break">
              {status.value.protection === 'session' ? 'in memory (this session only)' : status.value.databasePath}
            </dd>
            <dt>Schema</dt>
            <dd>
              v{status.value.schemaVersion} · SQLite {status.value.sqliteVersion}
            </dd>
          </dl>
        </div>
      ) : status.state === 'error' ? (
        <ErrorBanner error={status.error} />
      ) : (
        <p className="muted">Loading…</p>
      )}

      <h3>Data location</h3>
      {info.state === 'ok' && (
        <p>
          <code className="mono break" data-testid="data-dir">
            {info.value.dataDir}
          </code>{' '}
          <span className="muted small">({info.value.mode} mode; set TOKENSCOPE_DATA_DIR to move it)</span>
        </p>
      )}

      <h3 id="theme-title">Theme</h3>
      <div role="radiogroup" aria-labelledby="theme-title" className="theme-choice">
        {THEMES.map((t) => (
          <label key={t.id} className="radio inline">
            <input type="radio" name="theme" value={t.id} checked={theme === t.id} onChange={() => setTheme(t.id)} /> {t.label}
          </label>
        ))}
      </div>

      <h3>Automatic refresh</h3>
      <p className="muted">
        Off by default. Turn it on per profile (Flows → Edit profile…; for a demo profile, Edit a copy… and use the copy): the
        token is refreshed shortly before it expires while Tokenscope runs.
      </p>

      <h3>Wipe history</h3>
      <p className="muted">
        Deletes every token, grant, event and logged request from this computer. Tokens stay valid at their servers until they
        expire or are revoked.
      </p>
      <button
        type="button"
        className="btn danger-outline"
        onClick={() => setConfirmWipe(true)}
        disabled={wipe.state === 'busy'}
        data-testid="wipe"
      >
        Wipe history…
      </button>
      <ActionResult action={wipe} busyText="Wiping…" render={(v) => <span>Deleted {v.deletedTokens} tokens.</span>} />
      {confirmWipe && (
        <ConfirmDialog
          title="Wipe the whole history?"
          message={<p>Every stored token and its events are deleted and the database is compacted. This cannot be undone.</p>}
          confirmLabel="Wipe everything"
          danger
          onCancel={() => setConfirmWipe(false)}
          onConfirm={() => {
            setConfirmWipe(false);
            void runWipe(null);
          }}
        />
      )}
    </section>
  );
}

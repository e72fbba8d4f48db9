/**
 * Where the key that protects tokens is weak (Linux without a keyring: safeStorage `basic_text`), the
 * user chooses between keeping tokens for this session only and storing them with weak protection.
 * Until they choose, nothing is written to disk. `ProtectionPrompt` asks at the top of every screen;
 * `ProtectionSettings` shows and changes the choice in Settings.
 */
import { useState } from 'react';
import type { HistoryStatus, ProtectionChoice as Choice, SetProtectionResult } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { PassphraseChange } from './PassphraseChange.tsx';
import { useAction } from '../../ui/use-action.ts';
import { useResult } from '../../ui/use-result.ts';

function useSetProtection(onDone: (r: SetProtectionResult) => void) {
  return useAction(async (request: { choice: Choice; wipeDisk?: boolean }) => {
    const r = await api.setProtection(request);
    if (r.ok) onDone(r.value);
    return r;
  });
}

function ChoiceButtons(props: {
  readonly current: HistoryStatus['protection'] | null;
  readonly busy: boolean;
  readonly onChoose: (choice: Choice) => void;
}) {
  return (
    <div className="actions">
      <button
        type="button"
        className={`btn ${props.current === 'session' ? '' : 'primary'}`}
        disabled={props.busy || props.current === 'session'}
        onClick={() => props.onChoose('session')}
        data-testid="protection-session"
      >
        Keep tokens for this session only
      </button>
      <button
        type="button"
        className="btn danger-outline"
        disabled={props.busy || props.current === 'weak'}
        onClick={() => props.onChoose('weak')}
        data-testid="protection-weak"
      >
        Store them with weak protection
      </button>
    </div>
  );
}

/** Shown above every screen while the choice is pending; gone once the user has chosen. */
export function ProtectionPrompt() {
  const [status, reload] = useResult(() => api.storageStatus(), []);
  const [action, choose] = useSetProtection(() => reload());
  if (status.state !== 'ok' || !status.value.choiceNeeded) return null;
  return (
    <section className="warning-banner" role="alert" aria-labelledby="protection-title" data-testid="protection-prompt">
      <h2 id="protection-title" className="banner-title">
        No secure keychain on this system
      </h2>
      <p>
        Tokenscope cannot protect your tokens with the system&apos;s keychain here (
        <code className="mono">{status.value.diskKeyBackend}</code>). Until you choose, tokens are kept in memory for this session
        only.
      </p>
      <ChoiceButtons current={null} busy={action.state === 'busy'} onChoose={(choice) => void choose({ choice })} />
      <ActionResult action={action} busyText="Switching…" render={() => <span>Saved.</span>} />
    </section>
  );
}

/**
 * Settings → Secrets at rest: what protects the history, in the back end's words (the same the CLI prints), and,
 * where Electron found no keychain, the way to change it.
 */
export function ProtectionSettings(props: { readonly status: HistoryStatus; readonly onChanged: () => void }) {
  const { status } = props;
  const name = status.protectionName;
  const [wipeDisk, setWipeDisk] = useState(false);
  const [action, choose] = useSetProtection(() => props.onChanged());
  return (
    <div
      data-testid="protection-settings"
      data-protection={name.kind}
      className={name.weak ? 'warning-banner' : name.kind === 'memory' ? 'info-box' : undefined}
    >
      <p>
        <strong>Protection: {name.label}.</strong> {name.summary} Token values, client secrets and keys are encrypted
        (AES-256-GCM) with the data key.
      </p>
      <PassphraseChange status={status} onChanged={props.onChanged} />
      {status.protection !== 'disk' && (
        <>
          <p className="muted small">
            Choose how to keep tokens (on disk the key could only go to <code className="mono">{status.diskKeyBackend}</code>):
          </p>
          <ChoiceButtons
            current={status.choiceNeeded ? null : status.protection}
            busy={action.state === 'busy'}
            onChoose={(choice) => void choose(choice === 'session' ? { choice, wipeDisk } : { choice })}
          />
          {status.protection === 'weak' && (
            <label className="checkbox">
              <input
                type="checkbox"
                checked={wipeDisk}
                onChange={(e) => setWipeDisk(e.target.checked)}
                data-testid="protection-wipe"
              />{' '}
              When switching to session only, also wipe the tokens already stored on disk
            </label>
          )}
          <ActionResult
            action={action}
            busyText="Switching…"
            render={(v) => (
              <span>
                Now: {v.status.protection === 'weak' ? 'weak protection' : 'session only'}.
                {v.carriedOver > 0 ? ` ${String(v.carriedOver)} tokens from this session were kept.` : ''}
                {v.wipedFromDisk > 0 ? ` ${String(v.wipedFromDisk)} tokens were wiped from disk.` : ''}
              </span>
            )}
          />
        </>
      )}
    </div>
  );
}

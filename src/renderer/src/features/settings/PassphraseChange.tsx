/**
 * Settings → Secrets at rest: change the history's passphrase (or protect a key-file history with one). Whether it can
 * work here, and what it does, is the back end's `passphraseChange` (the same words as `tokenscope passphrase change`).
 */
import { useState } from 'react';
import type { HistoryStatus } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { TextField } from '../../ui/FormFields.tsx';
import { useAction } from '../../ui/use-action.ts';

export function PassphraseChange(props: { readonly status: HistoryStatus; readonly onChanged: () => void }) {
  const { passphraseChange } = props.status;
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [action, change, reset] = useAction(async (newPassphrase: string) => {
    const r = await api.changePassphrase({ newPassphrase });
    if (r.ok) {
      setPassphrase('');
      setAgain('');
      props.onChanged();
    }
    return r;
  });
  if (!passphraseChange.available) return null;
  const fromKeyFile = props.status.keyProtection === 'key-file';
  const mismatch = again !== '' && again !== passphrase;
  return (
    <form
      className="field"
      data-testid="passphrase-change"
      onSubmit={(e) => {
        e.preventDefault();
        if (!mismatch) void change(passphrase);
      }}
    >
      <h4>{fromKeyFile ? 'Protect with a passphrase' : 'Change the passphrase'}</h4>
      <p className="muted small">{passphraseChange.says}</p>
      <TextField
        label="New passphrase (8 characters or more)"
        layout="field"
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(v) => {
          setPassphrase(v);
          reset();
        }}
      />
      <TextField
        label="New passphrase again"
        layout="field"
        type="password"
        autoComplete="new-password"
        value={again}
        onChange={setAgain}
        error={
          mismatch && (
            <span className="field-error" role="alert">
              the two passphrases differ
            </span>
          )
        }
      />
      <div className="actions">
        <button
          type="submit"
          className="btn"
          disabled={passphrase === '' || again !== passphrase || action.state === 'busy'}
          data-testid="passphrase-change-submit"
        >
          {fromKeyFile ? 'Protect with this passphrase' : 'Change passphrase'}
        </button>
      </div>
      <ActionResult action={action} busyText="Re-wrapping the data key…" render={(v) => <span>Done: {v.message}.</span>} />
    </form>
  );
}

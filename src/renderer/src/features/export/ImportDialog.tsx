/** Import a file (bundle, encrypted bundle, any of the six formats, JSON lines) and show what happened to each record. */
import { TransferProgress, useTransferProgress } from './TransferProgress.tsx';
import { useEffect, useState } from 'react';
import type { ImportOutcome, ImportRequest } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { FormDialog } from '../../ui/FormDialog.tsx';
import { SafeText } from '../../ui/SafeText.tsx';
import { useAction } from '../../ui/use-action.ts';
import { TableHead } from '../../ui/TableHead.tsx';
import { CheckboxField, TextField } from '../../ui/FormFields.tsx';

const MAX_FILE_BYTES = 3 * 1024 * 1024;

const OUTCOME_TEXT: Record<ImportOutcome, string> = {
  imported: 'imported',
  duplicate: 'already present',
  rejected: 'rejected',
  'not-saved': 'not saved',
};

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [skipBad, setSkipBad] = useState(false);
  const [tooLarge, setTooLarge] = useState(false);
  const [action, run, reset] = useAction(async (req: ImportRequest) => {
    const r = await api.importTokens(req);
    if (r.ok && r.value.committed) onImported();
    return r;
  });
  const progress = useTransferProgress('import-progress', action.state === 'busy');
  // A report describes the file and options it was made with: any change clears it.
  useEffect(() => reset(), [file, passphrase, skipBad, reset]);

  const submit = async (): Promise<void> => {
    if (!file) return;
    const content = await file.text();
    void run({ content, fileName: file.name, skipBad, ...(passphrase ? { passphrase } : {}) });
  };

  return (
    <FormDialog
      title={'Import tokens'}
      testId="import-dialog"
      onClose={onClose}
      onSubmit={() => void submit()}
      canSubmit={file !== null && !tooLarge}
      submitLabel="Import"
      busyLabel="Importing…"
      action={action}
      busyText="Reading and checking every record…"
      renderResult={(v) => (
        <div data-testid="import-report">
          <p>
            Read as <code>{v.detected}</code>.{' '}
            {v.committed ? 'Saved.' : 'Nothing was saved: bad records stopped the import (all or nothing).'}
          </p>
          <ul className="import-counts">
            <li>
              <strong data-testid="import-imported">{v.imported}</strong> imported
            </li>
            {!v.committed && (
              <li>
                <strong data-testid="import-not-saved">{v.notSaved}</strong> good but not saved
              </li>
            )}
            <li>
              <strong data-testid="import-duplicates">{v.duplicates}</strong> already present
            </li>
            <li>
              <strong data-testid="import-rejected">{v.rejected}</strong> rejected
            </li>
          </ul>
          {v.records.length > 0 && (
            <table className="simple-table" data-testid="import-records">
              <TableHead columns={['Record', 'Outcome', 'Reason']} />
              <tbody>
                {v.records.slice(0, 200).map((r) => (
                  <tr key={r.index} data-outcome={r.outcome}>
                    <td>{r.index + 1}</td>
                    <td>{OUTCOME_TEXT[r.outcome]}</td>
                    <td>
                      {r.code && <code>{r.code}</code>} <SafeText text={r.message ?? ''} />
                      {r.fieldNotes && r.fieldNotes.length > 0 && (
                        <ul className="field-notes small" data-testid="import-field-notes">
                          {r.fieldNotes.map((n) => (
                            <li key={n.field} data-field={n.field} data-kept={n.kept ? 'yes' : 'no'}>
                              <code>{n.field}</code> <SafeText text={n.why} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {v.records.length > 200 && (
            <p className="muted small">The first 200 records are listed; the counts above cover the whole file.</p>
          )}
        </div>
      )}
    >
      <label className="field">
        <span className="label">
          File: a Tokenscope bundle (plain or encrypted), a token in any of the six formats (one object or an array), or JSON
          lines
        </span>
        <input
          className="input"
          type="file"
          accept=".json,.jsonl,.jwe,.txt,application/json"
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            setTooLarge(f !== null && f.size > MAX_FILE_BYTES);
          }}
        />
      </label>
      {tooLarge && (
        <p className="error-banner" role="alert">
          <code className="error-code">ERR_FILE_TOO_LARGE</code> this file is larger than browser mode can upload (
          {String(MAX_FILE_BYTES / 1024 / 1024)} MiB): use <code>tokenscope import FILE</code>
        </p>
      )}
      <TextField
        label="Passphrase (encrypted bundles only)"
        layout="field"
        type="password"
        autoComplete="off"
        value={passphrase}
        onChange={setPassphrase}
      />
      <CheckboxField checked={skipBad} onChange={setSkipBad}>
        Import the good records and skip bad ones (otherwise: all or nothing)
      </CheckboxField>
      <TransferProgress type="import-progress" progress={progress} />
    </FormDialog>
  );
}

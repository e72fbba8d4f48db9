/** Export the history (or some tokens) in a format, with a redaction and an optional passphrase; the back end picks the file. */
import { useEffect, useState } from 'react';
import { FORMAT_IDS } from '../../../../shared/formats/types.ts';
import { REDACTIONS, type ExportRequest, type ExportResult, type Redaction } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { FormDialog } from '../../ui/FormDialog.tsx';
import { useAction } from '../../ui/use-action.ts';
import { CheckboxField, RadioField, SelectField, TextField } from '../../ui/FormFields.tsx';
import { TransferProgress, useTransferProgress } from './TransferProgress.tsx';
import { maskValue } from '../../../../shared/mask.ts';

const FORMATS: readonly { id: string; label: string }[] = [
  { id: 'bundle', label: 'Tokenscope bundle (everything, lossless)' },
  { id: 'csv', label: 'CSV (one row per token)' },
  { id: 'env', label: '.env lines' },
  ...FORMAT_IDS.map((f) => ({ id: f, label: `${f} (JSON array)` })),
];

const REDACTION_LABEL: Record<Redaction, string> = {
  full: 'Full values (the file holds live secrets)',
  // The mask itself, of a made-up 43-character value: the label can never show another format than the export writes.
  masked: `Masked (no character of a value: ${maskValue('x'.repeat(43))})`,
  hash: 'Hashes only (SHA-256)',
};

/** Browser mode: the back end handed the file back; the browser saves it (its downloads folder or its own dialog). */
function saveInBrowser(download: NonNullable<ExportResult['download']>): void {
  const url = URL.createObjectURL(new Blob([download.text], { type: download.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = download.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ExportDialog({ ids, onClose }: { ids?: readonly string[]; onClose: () => void }) {
  const [format, setFormat] = useState('bundle');
  const [redact, setRedact] = useState<Redaction>('masked');
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [action, run, reset] = useAction(async (req: ExportRequest) => {
    const r = await api.exportTokens(req);
    if (r.ok && r.value.download) saveInBrowser(r.value.download);
    return r;
  });
  const progress = useTransferProgress('export-progress', action.state === 'busy');
  const encrypting = format === 'bundle' && encrypt;
  const tooShort = encrypting && passphrase.length < 8;
  const mismatch = encrypting && !tooShort && confirmation !== passphrase;
  // A result describes the options it was made with: any change clears it.
  useEffect(() => reset(), [format, redact, encrypt, passphrase, confirmation, reset]);

  const submit = (): void => {
    const req: ExportRequest = {
      format,
      redact,
      ...(ids ? { ids } : {}),
      ...(format === 'bundle' && encrypt ? { encrypt: true, passphrase } : {}),
    };
    void run(req);
  };

  return (
    <FormDialog
      title={ids ? `Export ${String(ids.length)} token${ids.length === 1 ? '' : 's'}` : 'Export the history'}
      testId="export-dialog"
      onClose={onClose}
      onSubmit={submit}
      canSubmit={!tooShort && !mismatch}
      submitLabel="Export"
      busyLabel="Exporting…"
      action={action}
      busyText="Writing the file…"
      renderResult={(v) => (
        <p data-testid="export-result">
          Wrote <strong data-testid="export-summary">{v.summary}</strong> ({v.bytes} bytes{v.encrypted ? ', encrypted' : ''})
          {v.download ? ': your browser saves it as ' : ' to '}
          <code className="mono break" data-testid="export-path">
            {v.path}
          </code>
          {v.download && (
            <>
              {' '}
              <button
                type="button"
                className="btn ghost small download-link"
                onClick={() => v.download && saveInBrowser(v.download)}
              >
                Save again
              </button>
            </>
          )}
          {v.notRepresentable && v.notRepresentable.length > 0 && (
            <span className="muted small"> · this format cannot hold: {v.notRepresentable.join(', ')}</span>
          )}
        </p>
      )}
    >
      <SelectField
        label="Format"
        value={format}
        onChange={setFormat}
        options={FORMATS.map((f) => [f.id, f.label] as const)}
        testId="export-format"
      />
      <fieldset className="field">
        <legend className="label">Token values</legend>
        {REDACTIONS.map((r) => (
          <RadioField key={r} name="redact" checked={redact === r} onSelect={() => setRedact(r)}>
            {REDACTION_LABEL[r]}
          </RadioField>
        ))}
      </fieldset>
      {format === 'bundle' && (
        <div className="field">
          <CheckboxField checked={encrypt} onChange={setEncrypt}>
            Encrypt with a passphrase (JWE, PBES2)
          </CheckboxField>
          {encrypt && (
            <>
              <TextField
                label="Passphrase (8 characters or more)"
                layout="field"
                type="password"
                autoComplete="new-password"
                value={passphrase}
                onChange={setPassphrase}
              />
              <TextField
                label="Passphrase again"
                layout="field"
                type="password"
                autoComplete="new-password"
                value={confirmation}
                onChange={setConfirmation}
                error={
                  mismatch &&
                  confirmation !== '' && (
                    <span className="field-error" role="alert">
                      the two passphrases differ
                    </span>
                  )
                }
              />
            </>
          )}
        </div>
      )}
      <TransferProgress type="export-progress" progress={progress} />
      <p className="muted small">
        In the desktop app you choose where the file goes (written with owner-only permissions); in browser mode your browser
        downloads it and Tokenscope keeps no copy.
      </p>
    </FormDialog>
  );
}

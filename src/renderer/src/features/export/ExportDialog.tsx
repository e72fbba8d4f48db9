/** Export the history (or some tokens) in a format, with a redaction and an optional passphrase; the back end picks the file. */
import { useState } from 'react';
import { FORMAT_IDS } from '../../../../shared/formats/types.ts';
import { REDACTIONS, type ExportRequest, type Redaction } from '../../../../shared/model.ts';
import { api } from '../../api-client.ts';
import { FormDialog } from '../../ui/FormDialog.tsx';
import { useAction } from '../../ui/use-action.ts';
import { CheckboxField, RadioField, SelectField, TextField } from '../../ui/FormFields.tsx';

const FORMATS: readonly { id: string; label: string }[] = [
  { id: 'bundle', label: 'Tokenscope bundle (everything, lossless)' },
  { id: 'csv', label: 'CSV (one row per token)' },
  { id: 'env', label: '.env lines' },
  ...FORMAT_IDS.map((f) => ({ id: f, label: `${f} (JSON array)` })),
];

const REDACTION_LABEL: Record<Redaction, string> = {
  full: 'Full values (the file holds live secrets)',
  masked: 'Masked (eyJhbG…9xQ)',
  hash: 'Hashes only (SHA-256)',
};

export function ExportDialog({ ids, onClose }: { ids?: readonly string[]; onClose: () => void }) {
  const [format, setFormat] = useState('bundle');
  const [redact, setRedact] = useState<Redaction>('masked');
  const [encrypt, setEncrypt] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [action, run] = useAction((req: ExportRequest) => api.exportTokens(req));
  const tooShort = encrypt && passphrase.length < 8;

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
      canSubmit={!tooShort}
      submitLabel="Export"
      busyLabel="Exporting…"
      action={action}
      busyText="Writing the file…"
      renderResult={(v) => (
        <p data-testid="export-result">
          Wrote {v.tokenCount} token{v.tokenCount === 1 ? '' : 's'} ({v.bytes} bytes{v.encrypted ? ', encrypted' : ''}) to{' '}
          <code className="mono break" data-testid="export-path">
            {v.path}
          </code>
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
            <TextField
              label="Passphrase (8 characters or more)"
              layout="field"
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={setPassphrase}
            />
          )}
        </div>
      )}
      <p className="muted small">
        The file is written with owner-only permissions. In the desktop app you choose where; in browser mode Tokenscope writes it
        to its data folder and shows the path.
      </p>
    </FormDialog>
  );
}

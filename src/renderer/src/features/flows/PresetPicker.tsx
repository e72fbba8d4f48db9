/** Provider presets in the profile form: pick a provider, give its placeholders, and the form is filled (src/shared/presets). */
import { useState } from 'react';
import { applyPreset, type PresetSettings } from '../../../../shared/presets/apply.ts';
import { PROVIDER_PRESETS, type PresetId } from '../../../../shared/presets/providers.ts';
import { SelectField, TextField } from '../../ui/FormFields.tsx';

const CHOICES = [['', 'none (type everything)'], ...PROVIDER_PRESETS.map((p) => [p.id, p.name] as const)] as const;

export function PresetPicker({ onApply }: { onApply: (settings: PresetSettings) => void }) {
  const [id, setId] = useState<PresetId | ''>('');
  const [values, setValues] = useState<Record<string, string>>({});
  const preset = PROVIDER_PRESETS.find((p) => p.id === id);
  const applied = preset ? applyPreset(preset, values) : undefined;
  return (
    <fieldset className="plain preset-picker" data-testid="preset-picker">
      <div className="form-row">
        <SelectField
          label="Provider preset"
          value={id}
          onChange={(next) => {
            setId(next);
            setValues({});
          }}
          options={CHOICES}
          testId="preset-select"
        />
      </div>
      {preset && applied && (
        <>
          {preset.placeholders.length > 0 && (
            <div className="form-row">
              {preset.placeholders.map((p) => (
                <TextField
                  key={p.key}
                  label={`${p.label}${p.optional ? ' (optional)' : ''}`}
                  mono
                  value={values[p.key] ?? ''}
                  onChange={(value) => setValues((current) => ({ ...current, [p.key]: value }))}
                  placeholder={p.example}
                  spellCheck={false}
                />
              ))}
            </div>
          )}
          <ul className="small preset-notes" data-testid="preset-notes">
            {preset.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
          <button
            type="button"
            className="btn"
            disabled={applied.missing.length > 0}
            onClick={() => onApply(applied.settings)}
            data-testid="preset-apply"
          >
            Fill the form for {preset.name}
          </button>
          {applied.missing.length > 0 && <span className="small muted"> Still needed: {applied.missing.join('; ')}</span>}
        </>
      )}
    </fieldset>
  );
}

/** The form fields every editor uses: a labelled text input or text area, a labelled select, a checkbox line. */
import type { ReactNode } from 'react';

interface TextFieldProps {
  readonly label: ReactNode;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The label's layout class: 'field grow' (default), 'field', 'field narrow'. */
  readonly layout?: string;
  /** Monospace input (URLs, ids, parameters). */
  readonly mono?: boolean;
  /** A text area of this many rows instead of a one-line input. */
  readonly rows?: number;
  readonly type?: 'text' | 'password';
  readonly placeholder?: string;
  readonly inputMode?: 'numeric';
  readonly autoComplete?: string;
  readonly spellCheck?: boolean;
  readonly required?: boolean;
  /** A problem to show under the field (already decided by the caller), or nothing. */
  readonly error?: ReactNode;
}

export function TextField({ label, value, onChange, layout = 'field grow', mono, rows, error, ...input }: TextFieldProps) {
  const className = mono ? 'input mono' : 'input';
  return (
    <label className={layout}>
      <span className="label">{label}</span>
      {rows === undefined ? (
        <input className={className} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      ) : (
        <textarea className={className} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      )}
      {error}
    </label>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  layout = 'field',
  testId,
}: {
  label: ReactNode;
  value: T;
  /** Each option's value and what the list shows for it. */
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
  layout?: string;
  testId?: string;
}) {
  return (
    <label className={layout}>
      <span className="label">{label}</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CheckboxField({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {children}
    </label>
  );
}

/** One option of a radio group: the input and its text (and any control that belongs to the option). */
export function RadioField({
  name,
  checked,
  onSelect,
  children,
}: {
  name: string;
  checked: boolean;
  onSelect: () => void;
  children: ReactNode;
}) {
  return (
    <label className="radio">
      <input type="radio" name={name} checked={checked} onChange={onSelect} /> {children}
    </label>
  );
}

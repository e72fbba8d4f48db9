/** A canonical record's value as Compare shows it: times in ms with the local time, lifetimes in seconds. */
import { SafeText } from '../../ui/SafeText.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { asText } from '../../ui/value.ts';

export function CanonicalValue({ concept, value }: { concept: string; value: unknown }) {
  if (typeof value === 'number' && concept.endsWith('AtMs')) {
    return (
      <>
        {value} <span className="muted small">ms · {formatLocal(value)}</span>
      </>
    );
  }
  if (typeof value === 'number' && concept.endsWith('InS')) return <>{value} s</>;
  return <SafeText text={Array.isArray(value) ? value.join(' ') : asText(value)} />;
}

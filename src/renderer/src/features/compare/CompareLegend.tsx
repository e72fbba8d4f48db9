/** What every badge of the Compare table means, in words, and per format what this token's record cannot be held in. */
import type { FormatSummary } from '../../../../shared/formats/format-summary.ts';
import { SafeText } from '../../ui/SafeText.tsx';

/** Each badge the table can show, and what it means. */
const BADGES: readonly (readonly [badge: string, tone: string, meaning: string])[] = [
  ['value lost here', 'info', 'this format has no field for a value the token has: converting to it drops the value'],
  ['MISSING_REQUIRED', 'danger', 'the format requires this field and the token has no value for it'],
  ['DOC_TYPE_MISMATCH', 'warn', 'the documented type differs from what real servers send (the value is written as they do)'],
  ['UNIT_SUSPECT', 'warn', 'the number looks like the wrong unit (seconds where milliseconds are documented, or the reverse)'],
  ['NOT_REPRESENTABLE', 'warn', 'the value cannot be written in this field (for example a client id that is not numeric)'],
  ['INVALID_VALUE', 'danger', 'the value is not one the format allows here'],
  ['DERIVED_VALUE', 'info', 'computed from other fields (for example an expiry from issue time + lifetime), not stored as such'],
];

export function CompareLegend() {
  return (
    <details className="compare-legend" open>
      <summary className="label">What the badges mean</summary>
      <dl className="legend-list" data-testid="compare-legend">
        {BADGES.map(([badge, tone, meaning]) => (
          <div key={badge} className="legend-item">
            <dt>
              <span className={`flag ${tone}`}>{badge}</span>
            </dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** One line per format, from the back end's mapping: "Authlete AccessToken cannot hold: the access token, …". */
export function FormatSummaries({ formats }: { formats: readonly FormatSummary[] }) {
  return (
    <ul className="format-summaries" data-testid="format-summaries">
      {formats.map((f) => (
        <li key={f.format} data-format={f.format} className={f.cannotHold.length > 0 ? 'lossy' : 'lossless'}>
          <SafeText text={f.line} />
        </li>
      ))}
    </ul>
  );
}

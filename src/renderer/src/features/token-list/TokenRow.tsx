/**
 * One row of the virtualized token list. Memoized on plain values (the token object, its index and offset, whether
 * it is the active row, its profile's name), so a scroll step renders only the rows that came into view: the rows
 * that stay keep their props and React skips them. Clicks go through one stable `onPick(index)`.
 */
import { memo } from 'react';
import type { TokenSummary } from '../../../../shared/model.ts';
import { Countdown } from '../../ui/Countdown.tsx';
import { SafeText } from '../../ui/SafeText.tsx';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { formatLocal } from '../../ui/time-format.ts';

export const ROW_HEIGHT = 44;

const KIND_LABEL: Readonly<Record<string, string>> = {
  access_token: 'access',
  refresh_token: 'refresh',
  id_token: 'ID',
  unknown: 'unknown',
};

function shortIssuer(issuer: string | null): string {
  if (!issuer) return '—';
  try {
    const u = new URL(issuer);
    return u.host + (u.pathname === '/' ? '' : u.pathname);
  } catch {
    return issuer;
  }
}

export interface TokenRowProps {
  readonly token: TokenSummary;
  readonly index: number;
  /** Offset from the top of the list, px. */
  readonly start: number;
  readonly active: boolean;
  /** aria-setsize: the row count, -1 while more pages may come. */
  readonly setSize: number;
  /** The token's profile name, when it has one ("Demo issuer (local)" rather than a host and port). */
  readonly profileName: string | undefined;
  /** Stable across renders: the list makes the row active and opens it. */
  readonly onPick: (index: number) => void;
}

export const TokenRow = memo(function TokenRow({ token: t, index, start, active, setSize, profileName, onPick }: TokenRowProps) {
  return (
    <div
      id={`token-row-${t.id}`}
      className={`token-row ${active ? 'active' : ''}`}
      style={{ transform: `translateY(${String(start)}px)`, height: `${String(ROW_HEIGHT)}px` }}
      role="option"
      aria-selected={active}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-testid="token-row"
      data-token-id={t.id}
      data-kind={t.kind}
      onClick={() => onPick(index)}
    >
      <span className="cell kind">
        <span className={`kind-badge kind-${t.kind}`}>{KIND_LABEL[t.kind] ?? t.kind}</span>
      </span>
      <span className="cell issuer" title={t.issuer ?? undefined}>
        <SafeText text={profileName ?? shortIssuer(t.issuer)} />
      </span>
      <span className="cell subject">
        <SafeText text={t.subject ?? t.clientId ?? '—'} />
      </span>
      <span className="cell scopes">
        <SafeText text={t.scopes.join(' ') || '—'} />
      </span>
      <span className="cell issued">{t.issuedAtMs === null ? '—' : formatLocal(t.issuedAtMs).slice(0, 19)}</span>
      <span className="cell expires">
        <Countdown expiresAtMs={t.expiresAtMs} issuedAtMs={t.issuedAtMs} note={t.expiryNote} compact />
      </span>
      <span className="cell status">
        <StatusChip status={t.status} expiresAtMs={t.expiresAtMs} issuedAtMs={t.issuedAtMs} />
      </span>
    </div>
  );
});

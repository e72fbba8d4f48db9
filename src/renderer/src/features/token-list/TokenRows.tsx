/**
 * The token history as a virtualized listbox: only the rows in view are in the DOM (a million rows scroll
 * like ten), more pages load as the end comes near, and the keyboard moves an active row.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { TokenSummary } from '../../../../shared/model.ts';
import { Countdown } from '../../ui/Countdown.tsx';
import { SafeText } from '../../ui/SafeText.tsx';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { formatLocal } from '../../ui/time-format.ts';

export const ROW_HEIGHT = 44;

export interface TokenRowsProps {
  readonly items: readonly TokenSummary[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly onNeedMore: () => void;
  readonly activeIndex: number;
  readonly onActiveChange: (index: number) => void;
  readonly onOpen: (token: TokenSummary) => void;
  /** Shown to assistive technology as the list's name. */
  readonly label: string;
  /** Profile names by id, to show "Demo issuer (local)" rather than a host and port. */
  readonly profileNames?: ReadonlyMap<string, string>;
}

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

export function TokenRows({
  items,
  hasMore,
  loadingMore,
  onNeedMore,
  activeIndex,
  onActiveChange,
  onOpen,
  label,
  profileNames,
}: TokenRowsProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const count = items.length + (hasMore ? 1 : 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's functions are not memoizable; this component owns it
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 1000, height: 600 },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems[virtualItems.length - 1]?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastVisible >= items.length - 20) onNeedMore();
  }, [hasMore, loadingMore, lastVisible, items.length, onNeedMore]);

  const move = (index: number): void => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    onActiveChange(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + page),
      PageUp: () => move(activeIndex - page),
      Home: () => move(0),
      End: () => move(items.length - 1),
      Enter: () => {
        const t = items[activeIndex];
        if (t) onOpen(t);
      },
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  const active = items[activeIndex];
  return (
    <div
      ref={scroller}
      className="token-rows"
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={active ? `token-row-${active.id}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (activeIndex < 0 && items.length > 0) onActiveChange(0);
      }}
      data-testid="token-rows"
      data-row-count={items.length}
    >
      <div className="token-rows-inner" style={{ height: `${String(virtualizer.getTotalSize())}px` }}>
        {virtualItems.map((v) => {
          const t = items[v.index];
          const style = { transform: `translateY(${String(v.start)}px)`, height: `${String(ROW_HEIGHT)}px` };
          if (!t) {
            return (
              <div
                key="loader"
                className="token-row loader"
                style={style}
                role="option"
                aria-selected={false}
                aria-disabled="true"
                id="token-row-loader"
              >
                <span className="muted">Loading more…</span>
              </div>
            );
          }
          return (
            <div
              key={t.id}
              id={`token-row-${t.id}`}
              className={`token-row ${v.index === activeIndex ? 'active' : ''}`}
              style={style}
              role="option"
              aria-selected={v.index === activeIndex}
              aria-posinset={v.index + 1}
              aria-setsize={hasMore ? -1 : items.length}
              data-testid="token-row"
              data-token-id={t.id}
              data-kind={t.kind}
              onClick={() => {
                onActiveChange(v.index);
                onOpen(t);
              }}
            >
              <span className="cell kind">
                <span className={`kind-badge kind-${t.kind}`}>{KIND_LABEL[t.kind] ?? t.kind}</span>
              </span>
              <span className="cell issuer" title={t.issuer ?? undefined}>
                <SafeText text={(t.profileId ? profileNames?.get(t.profileId) : undefined) ?? shortIssuer(t.issuer)} />
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
        })}
      </div>
    </div>
  );
}

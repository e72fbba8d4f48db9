/**
 * The token history as a virtualized listbox: only the rows in view are in the DOM (a million rows scroll
 * like ten), more pages load as the end comes near, and the keyboard moves an active row.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import type { TokenSummary } from '../../../../shared/model.ts';
import { ROW_HEIGHT, TokenRow } from './TokenRow.tsx';

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

  // One click handler for every row, stable across renders (a new one would re-render every row): it reads the
  // latest items and handlers from a ref.
  const latest = useRef({ items, onActiveChange, onOpen });
  useEffect(() => {
    latest.current = { items, onActiveChange, onOpen };
  });
  const pick = useCallback((index: number) => {
    const { items: now, onActiveChange: activate, onOpen: openToken } = latest.current;
    const t = now[index];
    if (!t) return;
    activate(index);
    openToken(t);
  }, []);

  const setSize = hasMore ? -1 : items.length;
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
          if (!t) {
            return (
              <div
                key="loader"
                className="token-row loader"
                style={{ transform: `translateY(${String(v.start)}px)`, height: `${String(ROW_HEIGHT)}px` }}
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
            <TokenRow
              key={t.id}
              token={t}
              index={v.index}
              start={v.start}
              active={v.index === activeIndex}
              setSize={setSize}
              profileName={t.profileId ? profileNames?.get(t.profileId) : undefined}
              onPick={pick}
            />
          );
        })}
      </div>
    </div>
  );
}

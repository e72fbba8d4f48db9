// @vitest-environment jsdom
/** The history list renders only what is in view: 100,000 rows cost a screenful of DOM nodes. */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenStatus, TokenSummary } from '../../../src/shared/model.ts';
import { ROW_HEIGHT } from '../../../src/renderer/src/features/token-list/TokenRow.tsx';
import { TokenRows } from '../../../src/renderer/src/features/token-list/TokenRows.tsx';

const VIEWPORT = 600;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const STATUSES: readonly TokenStatus[] = ['active', 'expired', 'revoked', 'superseded'];

function makeTokens(n: number): TokenSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `tok-${String(i)}`,
    kind: i % 3 === 0 ? 'refresh_token' : 'access_token',
    format: 'jwt',
    issuer: 'https://issuer.test',
    subject: `user-${String(i)}`,
    clientId: 'client',
    scopes: ['openid'],
    issuedAtMs: T0,
    expiresAtMs: T0 + 3600_000,
    status: STATUSES[i % STATUSES.length] ?? 'active',
    grantId: null,
    profileId: null,
    createdAtMs: T0 - i,
    preview: 'eyJhbG…9xQ',
  }));
}

const originalHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  // jsdom does no layout: the scroll container reports the viewport the virtualizer needs.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEWPORT });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
});
afterAll(() => {
  if (originalHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', originalHeight);
});
afterEach(cleanup);

function Harness({
  items,
  onOpen,
  onNeedMore,
  hasMore = false,
}: {
  items: readonly TokenSummary[];
  onOpen: (t: TokenSummary) => void;
  onNeedMore?: () => void;
  hasMore?: boolean;
}) {
  const [active, setActive] = useState(-1);
  return (
    <TokenRows
      items={items}
      hasMore={hasMore}
      loadingMore={false}
      onNeedMore={onNeedMore ?? (() => undefined)}
      activeIndex={active}
      onActiveChange={setActive}
      onOpen={onOpen}
      label="Tokens"
    />
  );
}

describe('virtualized token list', () => {
  const tokens = makeTokens(100_000);

  it('puts only a screenful of the 100,000 rows in the DOM, with the full scroll height', () => {
    render(<Harness items={tokens} onOpen={() => undefined} />);
    const rows = screen.getAllByTestId('token-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.dataset['tokenId']).toBe('tok-0');
    const inner = screen.getByTestId('token-rows').firstElementChild as HTMLElement;
    expect(inner.style.height).toBe(`${String(100_000 * ROW_HEIGHT)}px`);
  });

  it('renders the rows at the scroll position and drops the ones scrolled away', () => {
    render(<Harness items={tokens} onOpen={() => undefined} />);
    const list = screen.getByTestId('token-rows');
    act(() => {
      list.scrollTop = 50_000 * ROW_HEIGHT;
      fireEvent.scroll(list);
    });
    const ids = screen.getAllByTestId('token-row').map((r) => r.dataset['tokenId']);
    expect(ids).toContain('tok-50000');
    expect(ids).not.toContain('tok-0');
    expect(ids.length).toBeLessThan(60);
  });

  it('renders on a scroll step only the rows that came into view (the rows that stay are not rendered again)', () => {
    // Each row reads its token's subject when it renders: count the reads per token.
    const reads = new Map<string, number>();
    const watched = tokens.slice(0, 2000).map(
      (t) =>
        new Proxy(t, {
          get(target, key, receiver) {
            if (key === 'subject') reads.set(target.id, (reads.get(target.id) ?? 0) + 1);
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
    );
    render(<Harness items={watched} onOpen={() => undefined} />);
    const list = screen.getByTestId('token-rows');
    const inView = screen.getAllByTestId('token-row').length;
    for (let step = 1; step <= 10; step++) {
      reads.clear();
      act(() => {
        list.scrollTop = step * 3 * ROW_HEIGHT;
        fireEvent.scroll(list);
      });
      const ids = screen.getAllByTestId('token-row').map((r) => r.dataset['tokenId']);
      // The view moved by three rows...
      expect(ids).toContain(`tok-${String(step * 3 + 13)}`);
      // ...and only those three (the virtualizer's overscan edge) were rendered, not the whole screenful.
      expect(reads.size).toBeLessThanOrEqual(3);
      expect(inView).toBeGreaterThan(10);
    }
  });

  it('moves with the keyboard: End reaches row 100,000, Enter opens it', () => {
    const onOpen = vi.fn();
    render(<Harness items={tokens} onOpen={onOpen} />);
    const list = screen.getByTestId('token-rows');
    act(() => list.focus());
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe('token-row-tok-1');
    fireEvent.keyDown(list, { key: 'End' });
    expect(list.getAttribute('aria-activedescendant')).toBe('token-row-tok-99999');
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'tok-99999' }));
  });

  it('asks for the next page when the end of what is loaded comes into view', () => {
    const onNeedMore = vi.fn();
    const few = makeTokens(10);
    render(<Harness items={few} hasMore onOpen={() => undefined} onNeedMore={onNeedMore} />);
    expect(onNeedMore).toHaveBeenCalled();
    expect(screen.getByText('Loading more…')).toBeTruthy();
  });
});

// @vitest-environment jsdom
/** The countdowns read one clock: moved by hand here, so expiry, "never" and millisecond mix-ups are pinned exactly. */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClaimsTable } from '../../../src/renderer/src/ui/ClaimsTable.tsx';
import { ClockProvider, createIntervalClock, createManualClock } from '../../../src/renderer/src/ui/clock.tsx';
import { Countdown, LifetimeBar } from '../../../src/renderer/src/ui/Countdown.tsx';
import { StatusChip } from '../../../src/renderer/src/ui/StatusChip.tsx';
import { describeExpiry, formatDuration, formatLocal, MAX_SANE_EPOCH_MS } from '../../../src/renderer/src/ui/time-format.ts';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Countdown with a fake clock', () => {
  it('counts down as the clock moves and turns amber, then red, then expired', () => {
    const clock = createManualClock(T0);
    render(
      <ClockProvider clock={clock}>
        <Countdown expiresAtMs={T0 + 60 * MIN} issuedAtMs={T0} />
      </ClockProvider>,
    );
    const el = screen.getByTestId('countdown');
    expect(el.dataset['state']).toBe('active');
    expect(el.textContent).toBe('expires in 1 h');
    act(() => clock.advance(4 * MIN + 12_000));
    expect(el.textContent).toBe('expires in 55 min 48 s');
    act(() => clock.set(T0 + 56 * MIN));
    expect(el.dataset['state']).toBe('expiring');
    act(() => clock.set(T0 + 59 * MIN + 30_000));
    expect(el.dataset['state']).toBe('critical');
    expect(el.textContent).toBe('expires in 30 s');
    act(() => clock.set(T0 + 63 * MIN));
    expect(el.dataset['state']).toBe('expired');
    expect(el.textContent).toBe('expired 3 minutes ago');
  });

  it('says "no expiry known" for a token without an expiry and draws no lifetime bar', () => {
    const clock = createManualClock(T0);
    render(
      <ClockProvider clock={clock}>
        <Countdown expiresAtMs={null} />
        <LifetimeBar expiresAtMs={null} issuedAtMs={T0} />
      </ClockProvider>,
    );
    expect(screen.getByTestId('countdown').dataset['state']).toBe('never');
    expect(screen.getByTestId('countdown').textContent).toBe('no expiry known');
    expect(screen.queryByTestId('lifetime-bar')).toBeNull();
  });

  it('flags an expiry that is a millisecond value read as seconds instead of printing a date in the year 50000', () => {
    const clock = createManualClock(T0);
    const msReadAsSeconds = (T0 + MIN) * 1000;
    render(
      <ClockProvider clock={clock}>
        <Countdown expiresAtMs={msReadAsSeconds} issuedAtMs={T0} />
      </ClockProvider>,
    );
    const el = screen.getByTestId('countdown');
    expect(el.dataset['state']).toBe('suspect');
    expect(el.textContent).toMatch(/milliseconds/);
    expect(el.textContent).not.toMatch(/NaN|Infinity|Invalid/);
  });

  it('marks a 13-digit time claim as milliseconds in a seconds field and still shows its date', () => {
    const clock = createManualClock(T0);
    render(
      <ClockProvider clock={clock}>
        <ClaimsTable title="Payload" where="payload" claims={{ exp: T0 + 5 * MIN, iat: 'yesterday' }} testId="claims" />
      </ClockProvider>,
    );
    const exp = screen.getByTestId('claims').querySelector('tr[data-claim="exp"]');
    expect(exp?.textContent).toMatch(/looks like milliseconds in a seconds field/);
    expect(exp?.textContent).toContain('in 5 min');
    const iat = screen.getByTestId('claims').querySelector('tr[data-claim="iat"]');
    expect(iat?.textContent).toMatch(/not a valid time/);
  });

  it('moves the lifetime bar with the clock', () => {
    const clock = createManualClock(T0);
    render(
      <ClockProvider clock={clock}>
        <LifetimeBar expiresAtMs={T0 + 10 * MIN} issuedAtMs={T0} />
      </ClockProvider>,
    );
    const bar = screen.getByTestId('lifetime-bar');
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    act(() => clock.advance(5 * MIN));
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.className).toContain('lifetime-expiring');
    act(() => clock.advance(4 * MIN + 50_000));
    expect(bar.className).toContain('lifetime-critical');
  });

  it('shows "expiring soon" on an active token close to its expiry, from the same clock', () => {
    const clock = createManualClock(T0);
    render(
      <ClockProvider clock={clock}>
        <StatusChip status="active" expiresAtMs={T0 + 4 * MIN} issuedAtMs={T0 - 56 * MIN} />
      </ClockProvider>,
    );
    expect(screen.getByTestId('status-chip').dataset['status']).toBe('expiring soon');
    act(() => clock.advance(5 * MIN));
    expect(screen.getByTestId('status-chip').dataset['status']).toBe('expired');
  });
});

describe('one clock drives every countdown', () => {
  it('runs a single interval however many countdowns listen, and stops it when none do', () => {
    vi.useFakeTimers({ now: T0 });
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clock = createIntervalClock(1000);
    const view = render(
      <ClockProvider clock={clock}>
        {Array.from({ length: 200 }, (_, i) => (
          <Countdown key={i} expiresAtMs={T0 + (i + 1) * MIN} />
        ))}
      </ClockProvider>,
    );
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
    const first = screen.getAllByTestId('countdown')[0];
    expect(first?.textContent).toBe('expires in 1 min');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(first?.textContent).toBe('expires in 59 s');
    const clearSpy = vi.spyOn(globalThis, 'clearInterval');
    view.unmount();
    expect(clearSpy).toHaveBeenCalledTimes(1);
  });
});

describe('time formatting never prints garbage', () => {
  it('keeps two units and never NaN', () => {
    expect(formatDuration(3 * 24 * 3600_000 + 4 * 3600_000 + 5 * MIN)).toBe('3 d 4 h');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatLocal(Number.NaN)).toBe('not a valid time');
    expect(formatLocal(MAX_SANE_EPOCH_MS + 1)).toBe('not a valid time');
    expect(describeExpiry(T0, Number.POSITIVE_INFINITY).state).toBe('suspect');
  });
});

/**
 * One clock for the whole screen: every countdown reads the same `now`, and one interval moves it.
 * Tests pass a manual clock; nothing else starts a timer per row.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

export interface Clock {
  readonly now: () => number;
  readonly subscribe: (onTick: () => void) => () => void;
}

/** Ticks every `periodMs` while anybody listens, and stops when nobody does. */
export function createIntervalClock(periodMs = 1000, read: () => number = Date.now): Clock {
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let current = read();
  return {
    now: () => current,
    subscribe(onTick) {
      listeners.add(onTick);
      if (timer === undefined) {
        current = read();
        timer = setInterval(() => {
          current = read();
          for (const l of listeners) l();
        }, periodMs);
      }
      return () => {
        listeners.delete(onTick);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}

/** A clock moved by hand (tests, screenshots). */
export interface ManualClock extends Clock {
  readonly set: (ms: number) => void;
  readonly advance: (ms: number) => void;
  readonly listenerCount: number;
}

export function createManualClock(start: number): ManualClock {
  const listeners = new Set<() => void>();
  let current = start;
  const emit = (): void => {
    for (const l of listeners) l();
  };
  return {
    now: () => current,
    subscribe(onTick) {
      listeners.add(onTick);
      return () => listeners.delete(onTick);
    },
    set(ms) {
      current = ms;
      emit();
    },
    advance(ms) {
      current += ms;
      emit();
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

export const appClock: Clock = createIntervalClock();

const ClockContext = createContext<Clock>(appClock);

export function ClockProvider({ clock, children }: { clock: Clock; children: ReactNode }) {
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

/** The current time in ms, re-rendering on each tick of the one clock. */
export function useNow(): number {
  const clock = useContext(ClockContext);
  return useSyncExternalStore(clock.subscribe, clock.now, clock.now);
}

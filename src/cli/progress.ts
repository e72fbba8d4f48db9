/**
 * Progress on stderr while a command waits, from what the back end reports (a flow's state and deadline,
 * flow-progress events, import/export counts): the CLI only words it. On a terminal the current step is one
 * status line redrawn every second with the time left ("Waiting for the browser — 4 min 52 s left"); elsewhere
 * (a pipe, a log file, a test) each step is one line, written once, so a log reads as a sequence.
 */
import type { FlowProgressEvent } from '../shared/api.ts';
import type { FlowState } from '../shared/oauth.ts';
import { formatDuration } from '../shared/time/relative.ts';
import type { CliIo } from './io.ts';

export interface Progress {
  /** A new step; with `untilMs`, the deadline it waits for (its time left is shown). */
  step(text: string, untilMs?: number): void;
  /** A line that stays (on a terminal above the status line). */
  note(text: string): void;
  /** Removes the status line and stops the clock. */
  end(): void;
}

export function progressOn(io: CliIo, now: () => number = Date.now): Progress {
  const terminal = io.terminal;
  let current: { readonly text: string; readonly untilMs?: number } | null = null;
  let timer: NodeJS.Timeout | undefined;
  const withTime = (text: string, untilMs: number | undefined): string =>
    untilMs === undefined ? text : `${text} — ${formatDuration(Math.max(0, untilMs - now()))} left; Ctrl-C cancels`;
  const draw = (): void => {
    if (terminal && current) terminal.status(withTime(current.text, current.untilMs));
  };
  const stopClock = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  return {
    step(text, untilMs) {
      current = untilMs === undefined ? { text } : { text, untilMs };
      if (!terminal) {
        io.stderr(`${withTime(text, untilMs)}\n`);
        return;
      }
      draw();
      stopClock();
      if (untilMs !== undefined) {
        timer = setInterval(draw, 1000);
        timer.unref();
      }
    },
    note(text) {
      terminal?.clearStatus();
      io.stderr(`${text}\n`);
      draw();
    },
    end() {
      stopClock();
      if (current) terminal?.clearStatus();
      current = null;
    },
  };
}

/** The words for a sign-in's states (the back end's FlowState, from getFlow or a flow-progress event). */
const FLOW_STEPS: Partial<Record<FlowState, string>> = {
  'waiting-for-browser': 'Waiting for the sign-in in the browser',
  'callback-received': 'The browser came back to Tokenscope with the authorization response',
  exchanging: 'Exchanging the authorization code for tokens',
  polling: 'Waiting for the code to be approved',
};

const STEP_ORDER: readonly FlowState[] = ['waiting-for-browser', 'polling', 'callback-received', 'exchanging'];

/**
 * Shows a flow's progress: the state it is in now, then each flow-progress event. `untilMs`: the flow's
 * deadline from its start (the back end's expiresAtMs), shown as the time left while it waits for a person;
 * `intervalSeconds`: a device flow's polling interval from its start (later ones come with the events).
 */
export function flowProgress(
  progress: Progress,
  untilMs: number,
  intervalSeconds?: number,
): { readonly state: (state: FlowState) => void; readonly event: (event: FlowProgressEvent) => void } {
  let shown: FlowState | null = null;
  let interval: number | null = intervalSeconds ?? null;
  const state = (s: FlowState): void => {
    const text = FLOW_STEPS[s];
    // A state read with getFlow may arrive after a later event: a flow never goes back.
    if (text === undefined || s === shown || (shown !== null && STEP_ORDER.indexOf(s) < STEP_ORDER.indexOf(shown))) return;
    shown = s;
    const waitsForPerson = s === 'waiting-for-browser' || s === 'polling';
    progress.step(
      s === 'polling' && interval !== null ? `${text} (asking every ${String(interval)} s)` : text,
      waitsForPerson ? untilMs : undefined,
    );
  };
  return {
    state,
    event(e) {
      if (e.state === 'polling') {
        const changed = interval !== null && e.detail.intervalSeconds !== interval;
        interval = e.detail.intervalSeconds;
        if (changed) {
          progress.note(`The server asked to poll more slowly: every ${String(interval)} s`);
          shown = null;
        }
      }
      state(e.state);
    },
  };
}

/**
 * A counter for a long import or export, from the back end's progress events (`done` of `total`): on a
 * terminal one status line ("Importing: 4,000 of 100,000 records (4 %)"), cleared at the end; silent
 * elsewhere, where the command's final report says it all.
 */
export function counterOn(
  io: CliIo,
  what: string,
  unit = 'records',
): { readonly update: (done: number, total: number) => void; readonly end: () => void } {
  const terminal = io.terminal;
  const number = new Intl.NumberFormat('en');
  let shown = false;
  return {
    update(done, total) {
      if (!terminal) return;
      const share = total > 0 ? ` (${String(Math.floor((done / total) * 100))} %)` : '';
      terminal.status(`${what}: ${number.format(done)} of ${number.format(total)} ${unit}${share}`);
      shown = true;
    },
    end() {
      if (shown) terminal?.clearStatus();
      shown = false;
    },
  };
}

/** The CLI's progress words: a line per step off a terminal, one redrawn status line with the time left on one. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { counterOn, flowProgress, progressOn } from '../../../src/cli/progress.ts';
import { inertIo, type CliIo } from '../../../src/cli/io.ts';
import { io } from '../../helpers/cli-io.ts';

function terminalIo(): { io: CliIo; log: string[]; err: () => string } {
  const log: string[] = [];
  const base = io({});
  return {
    io: {
      ...base,
      terminal: {
        status: (line) => log.push(`status ${line}`),
        clearStatus: () => log.push('clear'),
        raw: (text) => log.push(`raw ${text}`),
      },
    },
    log,
    err: base.err,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progress off a terminal (a pipe, a log)', () => {
  it('writes each step once, with the time left when it waits for a deadline', () => {
    const t = io({});
    const now = 1_000_000;
    const p = progressOn(t, () => now);
    p.step('Waiting for the sign-in in the browser', now + 5 * 60_000);
    p.step('Exchanging the authorization code for tokens');
    p.end();
    expect(t.err()).toBe(
      'Waiting for the sign-in in the browser — 5 min left; Ctrl-C cancels\nExchanging the authorization code for tokens\n',
    );
  });

  it("follows a flow's states in order, never back, and says when the server slows polling down", () => {
    const t = io({});
    const now = 0;
    const shown = flowProgress(
      progressOn(t, () => now),
      600_000,
      5,
    );
    shown.state('polling');
    shown.event({ type: 'flow-progress', flowId: 'f', state: 'polling', detail: { intervalSeconds: 5 } });
    shown.event({ type: 'flow-progress', flowId: 'f', state: 'polling', detail: { intervalSeconds: 10 } });
    shown.event({ type: 'flow-progress', flowId: 'f', state: 'exchanging' });
    // A getFlow answer that arrives late cannot take the display back.
    shown.state('polling');
    expect(t.err().split('\n')).toEqual([
      'Waiting for the code to be approved (asking every 5 s) — 10 min left; Ctrl-C cancels',
      'The server asked to poll more slowly: every 10 s',
      'Waiting for the code to be approved (asking every 10 s) — 10 min left; Ctrl-C cancels',
      'Exchanging the authorization code for tokens',
      '',
    ]);
  });
});

describe('progress on a terminal', () => {
  it('redraws one status line every second with the time left, and clears it at the end', () => {
    vi.useFakeTimers();
    const t = terminalIo();
    let now = 0;
    const p = progressOn(t.io, () => now);
    p.step('Waiting for the sign-in in the browser', 125_000);
    now = 1000;
    vi.advanceTimersByTime(1000);
    now = 66_000;
    vi.advanceTimersByTime(1000);
    p.note('a line that stays');
    p.end();
    expect(t.log).toEqual([
      'status Waiting for the sign-in in the browser — 2 min 5 s left; Ctrl-C cancels',
      'status Waiting for the sign-in in the browser — 2 min 4 s left; Ctrl-C cancels',
      'status Waiting for the sign-in in the browser — 59 s left; Ctrl-C cancels',
      'clear',
      'status Waiting for the sign-in in the browser — 59 s left; Ctrl-C cancels',
      'clear',
    ]);
    expect(t.err()).toBe('a line that stays\n');
    // Stopped: no redraw after the end.
    vi.advanceTimersByTime(5000);
    expect(t.log).toHaveLength(6);
  });

  it('makes the status line inert like every other output (a server-given text cannot steer the terminal)', () => {
    const t = terminalIo();
    const safe = inertIo(t.io, false);
    safe.terminal?.status('code \u001b[31mRED\u202e');
    expect(t.log).toEqual(['status code \\u001b[31mRED[U+202E]']);
  });
});

describe('the import/export counter', () => {
  it('is one status line on a terminal, cleared at the end', () => {
    const t = terminalIo();
    const counter = counterOn(t.io, 'Importing');
    counter.update(0, 100_000);
    counter.update(4000, 100_000);
    counter.update(100_000, 100_000);
    counter.end();
    expect(t.log).toEqual([
      'status Importing: 0 of 100,000 records (0 %)',
      'status Importing: 4,000 of 100,000 records (4 %)',
      'status Importing: 100,000 of 100,000 records (100 %)',
      'clear',
    ]);
    expect(t.err()).toBe('');
  });

  it('is silent off a terminal', () => {
    const t = io({});
    const counter = counterOn(t, 'Importing');
    counter.update(5, 10);
    counter.end();
    expect(t.err()).toBe('');
    expect(t.out()).toBe('');
  });
});

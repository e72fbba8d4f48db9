/**
 * Frame statistics of the ui.scroll rows, pure (the unit tests run them): what a user sees while the list scrolls,
 * held against an empty page scrolled the same way in the same run, never against a constant 16.667 ms (a
 * vsync-locked p95 cannot tell a smooth list from a janky one).
 */
import { median, quantile } from './report.ts';

/** A frame longer than this many times the empty page's median frame is a dropped (late) frame. */
export const LONG_FRAME_FACTOR = 1.5;

export interface FrameSummary {
  readonly frames: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  /** Share of the frames longer than the threshold, in % (0..100). */
  readonly longPercent: number;
}

/** The share (in %) of `frames` longer than `thresholdMs`; NaN for no frames. */
export function percentLonger(frames: readonly number[], thresholdMs: number): number {
  if (frames.length === 0) return Number.NaN;
  let long = 0;
  for (const f of frames) if (f > thresholdMs) long++;
  return (100 * long) / frames.length;
}

export function summarize(frames: readonly number[], thresholdMs: number): FrameSummary {
  return {
    frames: frames.length,
    medianMs: median(frames),
    p95Ms: quantile(frames, 0.95),
    longPercent: percentLonger(frames, thresholdMs),
  };
}

export interface ScrollFigures {
  /** LONG_FRAME_FACTOR × the empty page's median frame. */
  readonly thresholdMs: number;
  readonly list: FrameSummary;
  readonly empty: FrameSummary;
}

/**
 * The two ui.scroll rows from the frame times of the list's scroll and of the empty page's (same motion, same run):
 * ui.scroll.drops is `list.longPercent` (goal ≤ 1 %, the empty page's share beside it), ui.scroll.p95 is
 * `list.p95Ms / empty.p95Ms` (goal ≤ 1.05).
 */
export function scrollFigures(list: readonly number[], empty: readonly number[]): ScrollFigures {
  if (empty.length === 0) throw new Error('no frames of the empty page to compare with');
  if (list.length === 0) throw new Error('no frames of the list');
  const thresholdMs = LONG_FRAME_FACTOR * median(empty);
  return { thresholdMs, list: summarize(list, thresholdMs), empty: summarize(empty, thresholdMs) };
}

/** One line for a row's note: "3,334 frames, median 16.7 ms, p95 16.8 ms, 0.4 % over 25.0 ms". */
export function describeFrames(s: FrameSummary, thresholdMs: number): string {
  return `${s.frames.toLocaleString('en-US')} frames, median ${s.medianMs.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms, ${s.longPercent.toFixed(2)} % over ${thresholdMs.toFixed(1)} ms`;
}

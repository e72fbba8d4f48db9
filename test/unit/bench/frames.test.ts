import { describe, expect, it } from 'vitest';
import { describeFrames, LONG_FRAME_FACTOR, percentLonger, scrollFigures, summarize } from '../../../bench/frames.ts';
import { measuredResult } from '../../../bench/report.ts';

/** `n` frames of `ms` each. */
const frames = (n: number, ms: number): number[] => Array.from({ length: n }, () => ms);

describe('ui.scroll frame statistics', () => {
  it('counts the share of frames strictly longer than the threshold, in %', () => {
    expect(percentLonger([10, 20, 30, 40], 25)).toBe(50);
    expect(percentLonger([25, 25], 25)).toBe(0);
    expect(percentLonger([], 25)).toBeNaN();
  });

  it("sets the threshold at 1.5× the empty page's median frame, from the same run", () => {
    expect(LONG_FRAME_FACTOR).toBe(1.5);
    const empty = [...frames(90, 16.7), ...frames(10, 33.4)];
    const f = scrollFigures(frames(100, 16.7), empty);
    expect(f.thresholdMs).toBeCloseTo(25.05);
    // The empty page's own long frames are shown beside ours, not subtracted.
    expect(f.empty.longPercent).toBe(10);
    expect(f.list.longPercent).toBe(0);
  });

  it('a list locked to vsync with a few dropped frames: the p95 cannot see them, the drops row does', () => {
    const empty = frames(1000, 16.7);
    // 3 % of the frames take two vsyncs: the p95 is still one frame.
    const list = [...frames(970, 16.7), ...frames(30, 33.4)];
    const f = scrollFigures(list, empty);
    expect(f.list.p95Ms).toBeCloseTo(16.7);
    expect(measuredResult('ui.scroll.p95', f.list.p95Ms, f.empty.p95Ms)).toMatchObject({ ratio: 1, pass: true });
    expect(f.list.longPercent).toBeCloseTo(3);
    expect(measuredResult('ui.scroll.drops', f.list.longPercent, f.empty.longPercent)).toMatchObject({
      ratio: 3,
      pass: false,
    });
  });

  it('a smooth list meets both goals; a slower machine moves both sides alike', () => {
    // A machine whose empty page already runs at 30 Hz: the list at 30 Hz is as smooth as this machine allows.
    const f = scrollFigures([...frames(995, 33.3), ...frames(5, 60)], frames(500, 33.3));
    expect(measuredResult('ui.scroll.drops', f.list.longPercent, f.empty.longPercent).pass).toBe(true);
    expect(measuredResult('ui.scroll.p95', f.list.p95Ms, f.empty.p95Ms)).toMatchObject({ ratio: 1, pass: true });
  });

  it('a list whose frames are uniformly 10 % slower misses the p95 goal', () => {
    const f = scrollFigures(frames(100, 18.4), frames(100, 16.7));
    expect(measuredResult('ui.scroll.p95', f.list.p95Ms, f.empty.p95Ms)).toMatchObject({ ratio: 1.1, pass: false });
    // ... and drops nothing (18.4 ms is under 1.5 × 16.7 ms).
    expect(f.list.longPercent).toBe(0);
  });

  it('refuses to compare without frames on either side', () => {
    expect(() => scrollFigures([16.7], [])).toThrow(/empty page/);
    expect(() => scrollFigures([], [16.7])).toThrow(/no frames of the list/);
  });

  it('describes a pass in one line', () => {
    expect(describeFrames(summarize([...frames(3, 16.7), 40], 25), 25)).toBe(
      '4 frames, median 16.7 ms, p95 36.5 ms, 25.00 % over 25.0 ms',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createServiceLifecycle } from '../../../src/main/oauth/service-lifecycle.ts';

describe('the service lifecycle', () => {
  it('waits for tracked work on close, aborts the shared signal and refuses new work', async () => {
    const lifecycle = createServiceLifecycle();
    let finish: () => void = () => undefined;
    let done = false;
    void lifecycle.track(() =>
      new Promise<void>((resolve) => {
        finish = resolve;
      }).then(() => {
        done = true;
      }),
    );
    lifecycle.beginClose();
    expect(lifecycle.closing).toBe(true);
    expect(lifecycle.signal.aborted).toBe(true);
    expect(() => lifecycle.ensureOpen()).toThrow(expect.objectContaining({ code: 'ERR_CANCELLED' }));
    expect(() => lifecycle.ensureAccepting()).toThrow(expect.objectContaining({ code: 'ERR_UNAVAILABLE' }));
    await expect(lifecycle.track(() => Promise.resolve(1))).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    const settled = lifecycle.settled();
    finish();
    await settled;
    expect(done).toBe(true);
    expect(lifecycle.released).toBe(false);
    lifecycle.release();
    expect(lifecycle.released).toBe(true);
  });
});

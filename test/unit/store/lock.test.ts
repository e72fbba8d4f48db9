// The history's lock file: a lock whose pid now belongs to an unrelated process is stale and taken over.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LOCK_FILE, processStartOf } from '../../../src/main/store/lock.ts';
import { freshDir } from '../../helpers/temp-dir.ts';

const onLinux = process.platform === 'linux';
if (!onLinux) console.log('lock start-time tests skipped: no /proc on this platform (the pid-only check applies)');

describe('the history lock', () => {
  it.runIf(onLinux)('records the holder’s kernel start time beside its pid', () => {
    const dir = freshDir();
    const lock = acquireLock(dir, 'test');
    try {
      const written = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
      expect(written['pid']).toBe(process.pid);
      expect(written['processStart']).toBe(processStartOf('self'));
      expect(written['processStart']).toMatch(/^\d+$/);
    } finally {
      lock.release();
    }
  });

  it.runIf(onLinux)('takes over a lock whose pid now belongs to an unrelated running process', async () => {
    const dir = freshDir();
    // A live process that is not the lock's holder: same pid shape as a reused one, another start time.
    const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    try {
      const pid = unrelated.pid ?? 0;
      const realStart = processStartOf(pid);
      expect(realStart).not.toBeNull();
      const forgedStart = String(Number(realStart) - 1);
      writeFileSync(
        join(dir, LOCK_FILE),
        JSON.stringify({ pid, mode: 'serve', startedAtMs: Date.now(), processStart: forgedStart }),
      );
      const lock = acquireLock(dir, 'test');
      const now = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
      expect(now['pid']).toBe(process.pid);
      lock.release();
    } finally {
      unrelated.kill();
      await once(unrelated, 'exit');
    }
  });

  it('refuses while the recorded holder itself still runs (ERR_STORE_LOCKED)', () => {
    const dir = freshDir();
    const lock = acquireLock(dir, 'first');
    try {
      expect(() => acquireLock(dir, 'second')).toThrow(expect.objectContaining({ code: 'ERR_STORE_LOCKED' }) as Error);
    } finally {
      lock.release();
    }
  });
});

/** The lock file that keeps a second serve/CLI process from writing the same history: `<dataDir>/tokenscope.lock`. */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { TokenscopeError } from '../../shared/result.ts';

export const LOCK_FILE = 'tokenscope.lock';

export interface StoreLock {
  readonly file: string;
  release(): void;
}

interface LockOwner {
  readonly pid: number;
  readonly mode: string;
  readonly startedAtMs: number;
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, mode: String(parsed.mode), startedAtMs: Number(parsed.startedAtMs) }
      : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock atomically (O_EXCL). A lock left by a process that no longer runs (killed, crashed)
 * is stale and taken over; a live holder (another process or another open store in this one) gives ERR_STORE_LOCKED.
 */
export function acquireLock(dataDir: string, mode: string): StoreLock {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      // A lock written before this boot is stale even if its pid now belongs to some other process.
      const bootedAtMs = Date.now() - uptime() * 1000;
      if (owner && owner.startedAtMs >= bootedAtMs - 60_000 && alive(owner.pid)) {
        throw new TokenscopeError(
          'ERR_STORE_LOCKED',
          `the token history in ${dataDir} is in use by another Tokenscope (${owner.mode}, pid ${String(owner.pid)}); close it first`,
          { pid: owner.pid, mode: owner.mode },
        );
      }
      if (!owner) {
        // Half-written by a holder that is writing it right now, or garbage: give a writer a moment.
        if (attempt === 0) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
          continue;
        }
      }
      try {
        unlinkSync(file);
      } catch {
        // someone else removed it first; retry
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, mode, startedAtMs: Date.now() }));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        const owner = readOwner(file);
        if (owner?.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  throw new TokenscopeError('ERR_STORE_LOCKED', `could not take the lock on the token history in ${dataDir}`);
}

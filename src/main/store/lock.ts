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
  /** The holder's start time as the kernel counts it (Linux: /proc/<pid>/stat field 22); absent elsewhere. */
  readonly processStart?: string;
}

/**
 * When process `pid` started, in the kernel's clock ticks since boot (Linux /proc/<pid>/stat field 22), or null
 * where there is no /proc or no such process. Two processes with the same pid have different start times, so a
 * lock whose pid now belongs to an unrelated process is recognised as stale.
 */
export function processStartOf(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      mode: String(parsed.mode),
      startedAtMs: Number(parsed.startedAtMs),
      ...(typeof parsed.processStart === 'string' ? { processStart: parsed.processStart } : {}),
    };
  } catch {
    return null;
  }
}

/** Whether the lock's holder still runs: its pid is alive and, where the lock recorded it, is the same process. */
function holderRuns(owner: LockOwner): boolean {
  if (!alive(owner.pid)) return false;
  if (owner.processStart === undefined) return true;
  const now = processStartOf(owner.pid);
  return now === null || now === owner.processStart;
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
 * Takes the lock atomically (O_EXCL). A lock left by a process that no longer runs (killed, crashed), or
 * whose pid now belongs to an unrelated process (another start time), is stale and taken over; a live holder (another process or another open store in this one) gives ERR_STORE_LOCKED.
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
      if (owner && owner.startedAtMs >= bootedAtMs - 60_000 && holderRuns(owner)) {
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
      const processStart = processStartOf('self');
      writeSync(
        fd,
        JSON.stringify({ pid: process.pid, mode, startedAtMs: Date.now(), ...(processStart !== null ? { processStart } : {}) }),
      );
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

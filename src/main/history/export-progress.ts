/** How far an export has come, for a front door's progress: tokens written of the tokens it selected. */
import type { ExportRequest } from '../../shared/model.ts';
import type { Store } from '../store/store.ts';

/** `done` tokens written of `total` (null: more than the capped count of a filter can say). */
export type ExportProgressListener = (done: number, total: number | null) => void;

/** Reports at most every this many ms while writing, and once at the end. */
const EVERY_MS = 100;

export class ExportProgress {
  private readonly listener: ExportProgressListener;
  private readonly total: number | null;
  private done = 0;
  private last = 0;

  constructor(listener: ExportProgressListener, total: number | null) {
    this.listener = listener;
    this.total = total;
    listener(0, total);
  }

  add(n: number): void {
    this.done += n;
    const now = Date.now();
    if (now - this.last < EVERY_MS) return;
    this.last = now;
    this.listener(this.done, this.total);
  }

  end(): void {
    this.listener(this.done, this.total);
  }
}

/** The tokens a request selects, counted before writing: its ids, its filter's (capped) count, or the whole history. */
export function selectedCount(store: Store, req: ExportRequest): number | null {
  if (req.ids !== undefined) return req.ids.length;
  if (req.filter !== undefined) {
    const counts = store.countByStatus(req.filter);
    return counts.capped === true ? null : counts.total;
  }
  return store.count();
}

/** The batches as they come, each counted once it has been written (when the next one is asked for). */
export function* counted<T>(batches: Iterable<T[]>, progress: ExportProgress | undefined): Generator<T[]> {
  for (const batch of batches) {
    yield batch;
    progress?.add(batch.length);
  }
}

/** The open database as the repositories share it: cached prepared statements, write transactions and savepoints, the clock. */
import type Database from 'better-sqlite3';
import { TokenscopeError } from '../../shared/result.ts';

function busyError(): TokenscopeError {
  return new TokenscopeError('ERR_UNAVAILABLE', 'the history is busy with an import: try again when it has finished');
}

/** Something that holds writes back until the transaction of a `write` commits (the full-text index). */
export interface WriteParticipant {
  /** Inside the transaction, just before it commits. */
  beforeCommit(): void;
  /** After the transaction, committed or not. */
  afterWrite(): void;
  /** A position to roll back to when a savepoint fails (what was held back since is dropped). */
  mark?(): number;
  rollbackTo?(mark: number): void;
  /** The savepoint of `mark` was released (its work now belongs to the enclosing one). */
  release?(mark: number): void;
}

/** Writes `writeWhenFree` holds back during one import, at most. */
const MAX_HELD = 10_000;

export class Connection {
  readonly db: Database.Database;
  readonly now: () => number;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly participants: WriteParticipant[] = [];
  private writing = false;
  /** A `writeAsync` transaction is open (between its steps, only its owner may write). */
  private asyncOpen = false;
  /** Who waits for it to end (`whenWritable`). */
  private readonly writableWaiters: (() => void)[] = [];
  /** Writes nobody waits on, held back while a `writeAsync` transaction is open (`writeWhenFree`). */
  private readonly heldWrites: (() => void)[] = [];

  constructor(db: Database.Database, now: () => number) {
    this.db = db;
    this.now = now;
  }

  /** Inside the transaction of a `write`. */
  get inWrite(): boolean {
    return this.writing;
  }

  join(participant: WriteParticipant): void {
    this.participants.push(participant);
  }

  /** A prepared statement, cached: preparing costs more than running against this schema. */
  sql(source: string): Database.Statement {
    let stmt = this.statements.get(source);
    if (!stmt) {
      stmt = this.db.prepare(source);
      this.statements.set(source, stmt);
    }
    return stmt;
  }

  /**
   * A multi-row INSERT: `head` (`INSERT INTO t (a, b)`) with `values` (`columns` a row, in order) as VALUES rows,
   * at most `maxRows` a statement: full statements first, then powers of two, so only a few statement shapes are
   * prepared and cached. With `tail` (` RETURNING …`) it returns the rows each statement returned, raw, in order.
   */
  insertMany(head: string, columns: number, values: readonly unknown[], maxRows: number, tail = ''): unknown[][] {
    const out: unknown[][] = [];
    const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
    const total = values.length / columns;
    for (let done = 0; done < total;) {
      const left = total - done;
      const n = left >= maxRows ? maxRows : 2 ** Math.floor(Math.log2(left));
      const params = n === total ? values : values.slice(done * columns, (done + n) * columns);
      const stmt = this.sql(`${head} VALUES ${Array.from({ length: n }, () => row).join(', ')}${tail}`);
      if (tail === '') stmt.run(params);
      else for (const r of stmt.raw(true).all(params) as unknown[][]) out.push(r);
      done += n;
    }
    return out;
  }

  /** A `writeAsync` transaction is open: writes by anyone but its owner are refused until it ends. */
  get busy(): boolean {
    return this.asyncOpen && !this.writing;
  }

  /** Resolves when no `writeAsync` transaction is open. */
  private whenWritable(): Promise<void> {
    if (!this.asyncOpen) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /**
   * Runs `fn` in one write now or, while a `writeAsync` transaction (an import) is open, as soon as it ends: for what
   * a caller can wait on and must not be refused (what a server already did). See also `writeWhenFree`.
   */
  async writeWhenWritable<T>(fn: () => T): Promise<T> {
    while (this.busy) await this.whenWritable();
    return this.write(fn);
  }

  /**
   * Runs `fn` in a write now or, while a `writeAsync` transaction (an import) is open, in one write right after it
   * ends, committed or not: for writes nobody waits on (the exchange log), which must not be lost nor refused.
   * At most MAX_HELD are held; they are dropped when the connection closes. A held write that fails is dropped:
   * such writes never break anything (the next real store call shows a store failure).
   */
  writeWhenFree(fn: () => void): void {
    if (!this.busy) {
      this.write(fn);
      return;
    }
    if (this.heldWrites.length < MAX_HELD) this.heldWrites.push(fn);
  }

  private writeHeld(): void {
    if (this.heldWrites.length === 0) return;
    const held = this.heldWrites.splice(0);
    try {
      this.write(() => {
        for (const fn of held) fn();
      });
    } catch {
      // See writeWhenFree.
    }
  }

  /** Runs `fn` in one IMMEDIATE write transaction (all or nothing). Nested calls join the outer one. */
  write<T>(fn: () => T): T {
    if (this.busy) throw busyError();
    if (this.writing || this.db.inTransaction) return fn();
    this.writing = true;
    try {
      return this.db
        .transaction(() => {
          const result = fn();
          for (const p of this.participants) p.beforeCommit();
          return result;
        })
        .immediate();
    } finally {
      this.writing = false;
      for (const p of this.participants) p.afterWrite();
    }
  }

  /** See Store.writeAsync. */
  async writeAsync<T>(fn: (step: <R>(work: () => R) => R) => Promise<T>): Promise<T> {
    if (this.asyncOpen || this.writing || this.db.inTransaction) throw busyError();
    this.db.exec('BEGIN IMMEDIATE');
    this.asyncOpen = true;
    const step = <R>(work: () => R): R => {
      const outer = this.writing;
      this.writing = true;
      try {
        return work();
      } finally {
        this.writing = outer;
      }
    };
    try {
      const result = await fn(step);
      step(() => {
        for (const p of this.participants) p.beforeCommit();
      });
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.asyncOpen = false;
      for (const p of this.participants) p.afterWrite();
      this.writeHeld();
      for (const resolve of this.writableWaiters.splice(0)) resolve();
    }
  }

  /** Runs `fn` in a savepoint inside the current transaction: what fails half-way leaves nothing behind. */
  savepoint<T>(fn: () => T): T {
    const marks = this.participants.map((p) => p.mark?.() ?? 0);
    try {
      const result = this.db.transaction(fn)();
      this.participants.forEach((p, i) => p.release?.(marks[i] ?? 0));
      return result;
    } catch (e) {
      this.participants.forEach((p, i) => p.rollbackTo?.(marks[i] ?? 0));
      throw e;
    }
  }

  close(): void {
    this.heldWrites.length = 0;
    this.statements.clear();
  }
}

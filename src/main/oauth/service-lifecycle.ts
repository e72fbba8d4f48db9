/**
 * Open, closing, released: the OAuth service's life. Actions run through `track` so close() can abort them and wait
 * for them; writes that follow an await call `ensureOpen`; once released, nothing touches the store.
 */
import { TokenscopeError } from '../../shared/result.ts';

export interface ServiceLifecycle {
  /** True from the moment close() starts. */
  readonly closing: boolean;
  /** True once close() has returned: nothing may touch the store after that (the caller closes it next). */
  readonly released: boolean;
  /** Aborted by close(): every request outside a flow listens to it (flows have their own controller). */
  readonly signal: AbortSignal;
  /** Runs an action so that close() can abort it and wait for it to settle; refused once closing. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Refuses new work once closing (starting the demo issuer, for one). */
  ensureAccepting(): void;
  /** Before a store write that follows an await: a close() in between means the result is dropped, not written. */
  ensureOpen(): void;
  /** close(), first step: refuse new work and abort every request outside a flow. */
  beginClose(): void;
  /** close(), next: wait until every tracked action has settled. */
  settled(): Promise<void>;
  /** close(), last step. */
  release(): void;
}

export function createServiceLifecycle(): ServiceLifecycle {
  let closing = false;
  let released = false;
  const shutdown = new AbortController();
  /** Actions running now (refresh, revoke, introspect, userinfo, client credentials, discover). */
  const inFlight = new Set<Promise<unknown>>();
  const refuse = (): TokenscopeError => new TokenscopeError('ERR_UNAVAILABLE', 'the back end is closing');

  return {
    get closing() {
      return closing;
    },
    get released() {
      return released;
    },
    signal: shutdown.signal,
    track<T>(work: () => Promise<T>): Promise<T> {
      if (closing) return Promise.reject(refuse());
      const running = work();
      inFlight.add(running);
      const forget = (): void => {
        inFlight.delete(running);
      };
      running.then(forget, forget);
      return running;
    },
    ensureAccepting() {
      if (closing) throw refuse();
    },
    ensureOpen() {
      if (closing) throw new TokenscopeError('ERR_CANCELLED', 'Tokenscope is closing');
    },
    beginClose() {
      closing = true;
      shutdown.abort(new TokenscopeError('ERR_CANCELLED', 'Tokenscope is closing'));
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
    release() {
      released = true;
    },
  };
}

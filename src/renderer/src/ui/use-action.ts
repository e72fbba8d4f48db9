/** A user-triggered contract call: idle → busy → ok / error, so every button can show progress and its result. */
import { useCallback, useRef, useState } from 'react';
import type { AppError, Result } from '../../../shared/result.ts';

export type ActionState<T> =
  | { readonly state: 'idle' }
  | { readonly state: 'busy' }
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'error'; readonly error: AppError };

export function useAction<A, T>(
  call: (arg: A) => Promise<Result<T>>,
): [ActionState<T>, (arg: A) => Promise<Result<T> | null>, () => void] {
  const [state, setState] = useState<ActionState<T>>({ state: 'idle' });
  const running = useRef(false);
  const run = useCallback(
    async (arg: A): Promise<Result<T> | null> => {
      // One click, one request: a second click while waiting does nothing.
      if (running.current) return null;
      running.current = true;
      setState({ state: 'busy' });
      let result: Result<T>;
      try {
        result = await call(arg);
      } catch {
        result = { ok: false, error: { code: 'ERR_INTERNAL', message: 'the call failed' } };
      }
      running.current = false;
      setState(result.ok ? { state: 'ok', value: result.value } : { state: 'error', error: result.error });
      return result;
    },
    [call],
  );
  const reset = useCallback(() => setState({ state: 'idle' }), []);
  return [state, run, reset];
}

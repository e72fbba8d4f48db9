/** Runs a contract call and tracks it as loading / value / error for a component. */
import { useCallback, useEffect, useState } from 'react';
import type { AppError, Result } from '../../../shared/result.ts';

export type Remote<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'error'; readonly error: AppError };

export function useResult<T>(load: () => Promise<Result<T>>, deps: readonly unknown[]): [Remote<T>, () => void] {
  const [remote, setRemote] = useState<Remote<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    let live = true;
    load().then(
      (result) => {
        if (live) setRemote(result.ok ? { state: 'ok', value: result.value } : { state: 'error', error: result.error });
      },
      () => {
        if (live) setRemote({ state: 'error', error: { code: 'ERR_INTERNAL', message: 'the call failed' } });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- callers list what `load` depends on
  }, [...deps, generation]);
  return [remote, reload];
}

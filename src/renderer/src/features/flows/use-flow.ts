/** Follows one running flow (login or device): pushed progress events, with a status poll as a fallback. */
import { useCallback, useEffect, useState } from 'react';
import type { FlowState, GrantResult } from '../../../../shared/profile.ts';
import type { AppError } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';
import { backend } from '../../backend.ts';
import { field, isRecord, str } from '../../ui/value.ts';

export const TERMINAL: ReadonlySet<FlowState> = new Set(['done', 'failed', 'cancelled']);

export interface FlowView {
  readonly flowId: string | null;
  readonly state: FlowState | 'starting' | 'idle';
  readonly error: AppError | null;
  readonly result: GrantResult | null;
}

const IDLE: FlowView = { flowId: null, state: 'idle', error: null, result: null };

function asError(value: unknown): AppError | null {
  const code = str(field(value, 'code'));
  const message = str(field(value, 'message'));
  return code ? ({ code, message: message ?? code } as AppError) : null;
}

export function useFlow(): { view: FlowView; begin: () => void; follow: (flowId: string) => void; fail: (e: AppError) => void; cancel: () => Promise<void>; reset: () => void } {
  const [view, setView] = useState<FlowView>(IDLE);
  const flowId = view.flowId;

  useEffect(() => {
    if (!flowId) return;
    const off = api.onEvent((e) => {
      if (e.type !== 'flow-progress' || e.flowId !== flowId) return;
      setView((v) => {
        if (TERMINAL.has(v.state as FlowState)) return v;
        const result = e.detail && isRecord(e.detail['result']) ? (e.detail['result'] as unknown as GrantResult) : v.result;
        const error = e.detail ? (asError(e.detail['error']) ?? asError(e.detail)) : null;
        return { ...v, state: e.state, result, error: e.state === 'failed' ? (error ?? { code: 'ERR_INTERNAL', message: 'the flow failed' }) : v.error };
      });
    });
    // Fallback: ask for the status now and then (events may arrive before we subscribed).
    const timer = setInterval(() => {
      void backend.flowStatus(flowId).then((r) => {
        if (!r.ok) return;
        setView((v) => {
          if (v.flowId !== flowId || TERMINAL.has(v.state as FlowState)) return v;
          if (r.value.state === v.state && !r.value.result) return v;
          return { ...v, state: r.value.state, result: r.value.result ?? v.result, error: r.value.error ? (r.value.error as AppError) : v.error };
        });
      });
    }, 1000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [flowId]);

  const begin = useCallback(() => setView({ ...IDLE, state: 'starting' }), []);
  const follow = useCallback((id: string) => setView((v) => ({ ...v, flowId: id, state: v.state === 'starting' ? 'waiting-for-browser' : v.state })), []);
  const fail = useCallback((error: AppError) => setView((v) => ({ ...v, state: 'failed', error })), []);
  const cancel = useCallback(async () => {
    if (!flowId) return;
    await backend.cancelFlow(flowId);
    setView((v) => (TERMINAL.has(v.state as FlowState) ? v : { ...v, state: 'cancelled' }));
  }, [flowId]);
  const reset = useCallback(() => setView(IDLE), []);
  return { view, begin, follow, fail, cancel, reset };
}

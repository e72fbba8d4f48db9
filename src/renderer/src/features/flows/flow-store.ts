/**
 * Running flows live here, outside any screen: a login keeps going (and stays visible in the banner) while
 * the user moves around, and a screen that unmounts loses nothing. Progress comes from pushed events, with a
 * status poll as a fallback.
 */
import { useSyncExternalStore } from 'react';
import type { DeviceFlowStart, FlowState, GrantResult, LoginStart } from '../../../../shared/oauth.ts';
import type { AppError } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';
import { backend } from '../../backend.ts';
import { field, isRecord, str } from '../../ui/value.ts';

export const TERMINAL: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled']);

export interface FlowView {
  readonly key: string;
  /** What the banner calls it: "Demo issuer login", "Device flow for Acme". */
  readonly title: string;
  readonly kind: 'login' | 'device';
  readonly flowId: string | null;
  readonly state: FlowState | 'starting' | 'idle';
  readonly error: AppError | null;
  readonly result: GrantResult | null;
  readonly login: LoginStart | null;
  readonly device: DeviceFlowStart | null;
  /** The banner was closed by the user. */
  readonly dismissed: boolean;
}

const slots = new Map<string, FlowView>();
const listeners = new Set<() => void>();
let snapshot: readonly FlowView[] = [];
let unsubscribeEvents: (() => void) | null = null;
let poller: ReturnType<typeof setInterval> | null = null;

function emit(): void {
  snapshot = [...slots.values()];
  for (const l of listeners) l();
}

function update(key: string, change: (v: FlowView) => FlowView): void {
  const v = slots.get(key);
  if (!v) return;
  slots.set(key, change(v));
  emit();
  ensureWatching();
}

function asError(value: unknown): AppError | null {
  const code = str(field(value, 'code'));
  return code ? ({ code, message: str(field(value, 'message')) ?? code } as AppError) : null;
}

function running(v: FlowView): boolean {
  return v.flowId !== null && !TERMINAL.has(v.state);
}

function onProgress(flowId: string, state: FlowState, detail: Readonly<Record<string, unknown>> | undefined): void {
  for (const v of slots.values()) {
    if (v.flowId !== flowId || TERMINAL.has(v.state)) continue;
    const result = detail && isRecord(detail['result']) ? (detail['result'] as unknown as GrantResult) : v.result;
    const error =
      state === 'failed'
        ? ((detail ? (asError(detail['error']) ?? asError(detail)) : null) ?? {
            code: 'ERR_INTERNAL' as const,
            message: 'the flow failed',
          })
        : v.error;
    update(v.key, (x) => ({ ...x, state, result, error }));
    if (state === 'done' && result === null) {
      // The event names the tokens; the flow's status has the whole result.
      const key = v.key;
      void backend.flowStatus(flowId).then((r) => {
        if (r.ok && r.value.result) update(key, (x) => ({ ...x, result: r.value.result ?? x.result }));
      });
    }
  }
}

function poll(): void {
  for (const v of slots.values()) {
    if (!running(v) || v.flowId === null) continue;
    const flowId = v.flowId;
    void backend.flowStatus(flowId).then((r) => {
      if (!r.ok) return;
      const s = r.value;
      const cur = slots.get(v.key);
      if (!cur || cur.flowId !== flowId || TERMINAL.has(cur.state)) return;
      if (s.state === cur.state && (s.result === undefined || cur.result !== null)) return;
      update(v.key, (x) => ({ ...x, state: s.state, result: s.result ?? x.result, error: s.error ? s.error : x.error }));
    });
  }
}

function ensureWatching(): void {
  const anyRunning = [...slots.values()].some(running);
  if (anyRunning && !unsubscribeEvents) {
    unsubscribeEvents = api.onEvent((e) => {
      if (e.type === 'flow-progress') onProgress(e.flowId, e.state, 'detail' in e ? e.detail : undefined);
    });
    poller = setInterval(poll, 1000);
  } else if (!anyRunning && unsubscribeEvents) {
    unsubscribeEvents();
    unsubscribeEvents = null;
    if (poller) clearInterval(poller);
    poller = null;
  }
}

function blank(key: string, title: string, kind: 'login' | 'device'): FlowView {
  return {
    key,
    title,
    kind,
    flowId: null,
    state: 'starting',
    error: null,
    result: null,
    login: null,
    device: null,
    dismissed: false,
  };
}

export const flows = {
  begin(key: string, title: string, kind: 'login' | 'device'): void {
    slots.set(key, blank(key, title, kind));
    emit();
  },
  startedLogin(key: string, start: LoginStart): void {
    update(key, (v) => ({
      ...v,
      flowId: start.flowId,
      login: start,
      state: v.state === 'starting' ? 'waiting-for-browser' : v.state,
    }));
  },
  startedDevice(key: string, start: DeviceFlowStart): void {
    update(key, (v) => ({ ...v, flowId: start.flowId, device: start, state: v.state === 'starting' ? 'polling' : v.state }));
  },
  fail(key: string, error: AppError): void {
    update(key, (v) => ({ ...v, state: 'failed', error }));
  },
  async cancel(key: string): Promise<void> {
    const v = slots.get(key);
    if (!v?.flowId) return;
    await backend.cancelFlow(v.flowId);
    update(key, (x) => (TERMINAL.has(x.state) ? x : { ...x, state: 'cancelled' }));
  },
  dismiss(key: string): void {
    update(key, (v) => ({ ...v, dismissed: true }));
  },
};

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

export function useFlows(): readonly FlowView[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}

export function useFlow(key: string): FlowView | undefined {
  return useFlows().find((f) => f.key === key);
}

export function isRunning(v: FlowView | undefined): boolean {
  return v !== undefined && !TERMINAL.has(v.state);
}

/** Starts the demo issuer (if needed) and a login with its profile. */
export async function startDemoLogin(): Promise<void> {
  const key = 'demo';
  flows.begin(key, 'Demo issuer login', 'login');
  const demo = await backend.demoIssuer();
  if (!demo.ok) return flows.fail(key, demo.error);
  const s = await backend.startLogin(demo.value.profileId);
  if (!s.ok) return flows.fail(key, s.error);
  flows.startedLogin(key, s.value);
}

export async function startProfileLogin(profileId: string, name: string): Promise<void> {
  const key = `login:${profileId}`;
  flows.begin(key, `Login with ${name}`, 'login');
  const s = await backend.startLogin(profileId);
  if (!s.ok) return flows.fail(key, s.error);
  flows.startedLogin(key, s.value);
}

export async function startDevice(profileId: string, name: string): Promise<void> {
  const key = `device:${profileId}`;
  flows.begin(key, `Device flow with ${name}`, 'device');
  const s = await backend.startDeviceFlow(profileId);
  if (!s.ok) return flows.fail(key, s.error);
  flows.startedDevice(key, s.value);
}

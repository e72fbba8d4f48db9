/**
 * Running flows live here, outside any screen: a login keeps going (and stays visible in the banner) while
 * the user moves around, and a screen that unmounts loses nothing. Progress comes from pushed events: 'done'
 * carries the result, 'failed' and 'cancelled' the error. The flow's status is read once, when the screen
 * attaches to a flow that had already started (events before that moment were not seen).
 */
import { useSyncExternalStore } from 'react';
import type { FlowProgressEvent } from '../../../../shared/api.ts';
import type { DeviceFlowStart, FlowState, FlowStatus, GrantResult, LoginStart } from '../../../../shared/oauth.ts';
import type { AppError } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';

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

function emit(): void {
  snapshot = [...slots.values()];
  for (const listener of listeners) listener();
}

function update(key: string, change: (view: FlowView) => FlowView): void {
  const view = slots.get(key);
  if (!view) return;
  slots.set(key, change(view));
  emit();
  ensureWatching();
}

function running(view: FlowView): boolean {
  return view.flowId !== null && !TERMINAL.has(view.state);
}

/** What a progress event or a status read changes in a view: the state, and the result or error it carries. */
function applyProgress(view: FlowView, progress: FlowProgressEvent | FlowStatus): FlowView {
  if (progress.state === 'done') {
    const result = 'detail' in progress ? progress.detail.result : (progress.result ?? view.result);
    return { ...view, state: 'done', result };
  }
  if (progress.state === 'failed' || progress.state === 'cancelled') {
    const error = 'detail' in progress ? progress.detail.error : (progress.error ?? view.error);
    return { ...view, state: progress.state, error };
  }
  return { ...view, state: progress.state };
}

function onProgress(event: FlowProgressEvent): void {
  for (const view of slots.values()) {
    if (view.flowId !== event.flowId || TERMINAL.has(view.state)) continue;
    update(view.key, (current) => applyProgress(current, event));
  }
}

function ensureWatching(): void {
  const anyRunning = [...slots.values()].some(running);
  if (anyRunning && !unsubscribeEvents) {
    unsubscribeEvents = api.onEvent((event) => {
      if (event.type === 'flow-progress') onProgress(event);
    });
  } else if (!anyRunning && unsubscribeEvents) {
    unsubscribeEvents();
    unsubscribeEvents = null;
  }
}

/** The screen attaches to a flow that already started: read its status once for what happened before. */
function catchUp(key: string, flowId: string): void {
  void api.getFlow({ flowId }).then((status) => {
    if (!status.ok) return;
    update(key, (view) =>
      view.flowId !== flowId || TERMINAL.has(view.state) || view.state === status.value.state
        ? view
        : applyProgress(view, status.value),
    );
  });
}

/** The back end started the flow: the view follows it from its first state (unless an event was faster). */
function started(
  key: string,
  flowId: string,
  firstState: FlowState,
  start: Pick<FlowView, 'login'> | Pick<FlowView, 'device'>,
): void {
  update(key, (view) => ({ ...view, ...start, flowId, state: view.state === 'starting' ? firstState : view.state }));
  catchUp(key, flowId);
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
    started(key, start.flowId, 'waiting-for-browser', { login: start });
  },
  startedDevice(key: string, start: DeviceFlowStart): void {
    started(key, start.flowId, 'polling', { device: start });
  },
  fail(key: string, error: AppError): void {
    update(key, (view) => ({ ...view, state: 'failed', error }));
  },
  async cancel(key: string): Promise<void> {
    const flowId = slots.get(key)?.flowId;
    if (!flowId) return;
    await api.cancelFlow({ flowId });
    update(key, (view) => (TERMINAL.has(view.state) ? view : { ...view, state: 'cancelled' }));
  },
  dismiss(key: string): void {
    update(key, (view) => ({ ...view, dismissed: true }));
  },
};

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

export function useFlows(): readonly FlowView[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}

export function useFlow(key: string): FlowView | undefined {
  return useFlows().find((view) => view.key === key);
}

export function isRunning(view: FlowView | undefined): boolean {
  return view !== undefined && !TERMINAL.has(view.state);
}

/** Starts the demo issuer (if needed) and a login with its profile. */
export async function startDemoLogin(): Promise<void> {
  const key = 'demo';
  flows.begin(key, 'Demo issuer login', 'login');
  const demo = await api.ensureDemoIssuer();
  if (!demo.ok) return flows.fail(key, demo.error);
  const started = await api.startLogin({ profileId: demo.value.profileId });
  if (!started.ok) return flows.fail(key, started.error);
  flows.startedLogin(key, started.value);
}

export async function startProfileLogin(profileId: string, name: string): Promise<void> {
  const key = `login:${profileId}`;
  flows.begin(key, `Login with ${name}`, 'login');
  const started = await api.startLogin({ profileId });
  if (!started.ok) return flows.fail(key, started.error);
  flows.startedLogin(key, started.value);
}

export async function startDevice(profileId: string, name: string): Promise<void> {
  const key = `device:${profileId}`;
  flows.begin(key, `Device flow with ${name}`, 'device');
  const started = await api.startDeviceFlow({ profileId });
  if (!started.ok) return flows.fail(key, started.error);
  flows.startedDevice(key, started.value);
}

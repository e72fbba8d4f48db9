/** The flows in progress (sign-in, device), by id: their state, progress events, deadline, cancel and finish. */
import { randomUUID } from 'node:crypto';
import type { FlowProgressEvent, TokenscopeEvent } from '../../shared/api.ts';
import type { FlowState, FlowStatus, GrantResult } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { toAppError } from '../errors.ts';
import type { ExchangeRecorder, FlowExchanges } from './exchange-recorder.ts';
import type { HttpContext } from './http-exchange.ts';
import type { LoopbackListener } from './loopback-redirect.ts';

/** A flow-progress event as the flow produces it (the registry adds the type and the flow id). */
type FlowProgress = FlowProgressEvent extends infer E
  ? E extends FlowProgressEvent
    ? Omit<E, 'type' | 'flowId'>
    : never
  : never;
/** Progress before the end: the end comes through complete() or fail(). */
type RunningProgress = Exclude<FlowProgress, { state: 'done' | 'failed' | 'cancelled' }>;

export interface Flow {
  readonly id: string;
  /** What getFlow returns; replaced as a whole on each change. */
  status: FlowStatus;
  /** Aborted when the flow ends: its requests, its polling and its listener stop. */
  readonly abort: AbortController;
  readonly exchanges: FlowExchanges;
  /** The HTTP context of the flow's requests: logged with the flow, aborted with it. */
  readonly http: HttpContext;
  deadline?: NodeJS.Timeout;
  listener?: LoopbackListener;
}

const FINISHED: readonly FlowState[] = ['done', 'failed', 'cancelled'];
/** Finished flows stay readable this long (getFlow), then go. */
const FINISHED_FLOW_KEPT_MS = 10 * 60_000;

/** A failed flow or action says which flow id its logged exchanges are filed under. */
export function errorWithFlowId(error: unknown, flowId: string): TokenscopeError {
  const app = toAppError(error);
  return new TokenscopeError(app.code, app.message, { ...app.detail, flowId });
}

interface FlowRegistryOptions {
  readonly emit: (event: TokenscopeEvent) => void;
  readonly recorder: ExchangeRecorder;
  readonly flowTimeoutMs: number;
}

export type FlowRegistry = ReturnType<typeof createFlowRegistry>;

export function createFlowRegistry(options: FlowRegistryOptions) {
  const { emit, recorder, flowTimeoutMs } = options;
  const flows = new Map<string, Flow>();

  function publish(flow: Flow, progress: FlowProgress): void {
    emit({ type: 'flow-progress', flowId: flow.id, ...progress });
  }

  function isFinished(flow: Flow): boolean {
    return FINISHED.includes(flow.status.state);
  }

  /** Ends the flow (once): its exchanges are written, the end is announced, its requests and listener stop. */
  function end(flow: Flow, outcome: { result: GrantResult } | { error: unknown }): void {
    if (isFinished(flow)) return;
    clearTimeout(flow.deadline);
    if ('result' in outcome) {
      flow.exchanges.flush(outcome.result.grantId);
      flow.status = { ...flow.status, state: 'done', result: outcome.result };
      publish(flow, { state: 'done', detail: { result: outcome.result } });
    } else {
      const error = toAppError(outcome.error);
      flow.exchanges.flush(null);
      const state = error.code === 'ERR_CANCELLED' ? 'cancelled' : 'failed';
      flow.status = { ...flow.status, state, error: { code: error.code, message: error.message } };
      publish(flow, { state, detail: { error } });
    }
    flow.abort.abort();
    void flow.listener?.close();
    setTimeout(() => flows.delete(flow.id), FINISHED_FLOW_KEPT_MS).unref();
  }

  function setDeadline(flow: Flow, afterMs: number, error: () => TokenscopeError): void {
    clearTimeout(flow.deadline);
    flow.deadline = setTimeout(() => end(flow, { error: error() }), afterMs);
    flow.deadline.unref();
  }

  function find(flowId: string, notFound: string): Flow {
    const flow = flows.get(flowId);
    if (!flow) throw new TokenscopeError('ERR_FLOW_NOT_FOUND', notFound);
    return flow;
  }

  return {
    /** A new flow, waiting for the browser, that times out after the flow timeout. */
    start(kind: FlowStatus['kind'], profileId: string): Flow {
      const id = randomUUID();
      const abort = new AbortController();
      const exchanges = recorder.forFlow(id);
      const flow: Flow = {
        id,
        status: { flowId: id, kind, profileId, state: 'waiting-for-browser' },
        abort,
        exchanges,
        http: recorder.httpContext(exchanges.record, abort.signal),
      };
      flows.set(id, flow);
      setDeadline(
        flow,
        flowTimeoutMs,
        () => new TokenscopeError('ERR_TIMEOUT', `no sign-in within ${Math.round(flowTimeoutMs / 1000)} s`),
      );
      return flow;
    },
    progress(flow: Flow, progress: RunningProgress): void {
      flow.status = { ...flow.status, state: progress.state };
      publish(flow, progress);
    },
    complete: (flow: Flow, result: GrantResult): void => end(flow, { result }),
    /** Ends the flow with this error (ERR_CANCELLED: cancelled, anything else: failed). */
    fail: (flow: Flow, error: unknown): void => end(flow, { error }),
    isFinished,
    /** Replaces the flow's deadline (a device code's own lifetime bounds its flow). */
    setDeadline,
    cancelFlow: (arg: { flowId: string }): { flowId: string; state: FlowState } => {
      const flow = find(arg?.flowId, 'no such flow (finished flows are forgotten after 10 minutes)');
      end(flow, { error: new TokenscopeError('ERR_CANCELLED', 'the flow was cancelled') });
      return { flowId: flow.id, state: flow.status.state };
    },
    getFlow: (arg: { flowId: string }): FlowStatus => find(arg?.flowId, 'no such flow').status,
    /** close(), first: every running flow ends with this error. */
    failAll(error: TokenscopeError): void {
      for (const flow of flows.values()) end(flow, { error });
    },
    /** close(), later: waits until every listener has closed, and forgets all flows. */
    async forgetAll(): Promise<void> {
      await Promise.all([...flows.values()].map((flow) => flow.listener?.close() ?? Promise.resolve()));
      flows.clear();
    },
  };
}

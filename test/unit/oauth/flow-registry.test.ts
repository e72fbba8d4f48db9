import { describe, expect, it } from 'vitest';
import type { TokenscopeEvent } from '../../../src/shared/api.ts';
import type { ExchangeRecord } from '../../../src/main/oauth/http-exchange.ts';
import { createExchangeRecorder } from '../../../src/main/oauth/exchange-recorder.ts';
import { createFlowRegistry } from '../../../src/main/oauth/flow-registry.ts';
import { createServiceLifecycle } from '../../../src/main/oauth/service-lifecycle.ts';
import { openStore } from '../../../src/main/store/index.ts';
import { testPlatform } from '../../helpers/test-platform.ts';

async function registry(flowTimeoutMs = 60_000) {
  const platform = testPlatform();
  const store = await openStore(platform);
  const lifecycle = createServiceLifecycle();
  const recorder = createExchangeRecorder({ platform, store, lifecycle, requestTimeoutMs: 1_000 });
  const events: TokenscopeEvent[] = [];
  const flows = createFlowRegistry({ emit: (event) => events.push(event), recorder, flowTimeoutMs });
  return { store, recorder, flows, events };
}

const states = (events: TokenscopeEvent[]) => events.map((e) => (e.type === 'flow-progress' ? e.state : e.type));

describe('the flow registry', () => {
  it('announces progress, completes once with the result, and files the held exchanges under the grant', async () => {
    const { store, recorder, flows, events } = await registry();
    const flow = flows.start('authorization_code', 'profile-1');
    expect(flows.getFlow({ flowId: flow.id })).toEqual({
      flowId: flow.id,
      kind: 'authorization_code',
      profileId: 'profile-1',
      state: 'waiting-for-browser',
    });
    flows.progress(flow, { state: 'callback-received' });
    const record: ExchangeRecord = {
      method: 'POST',
      url: 'https://as.example/token',
      status: 200,
      requestHeaders: {},
      requestBody: '',
      responseHeaders: {},
      responseBody: '',
      durationMs: 1,
      startedAtMs: 1,
    };
    flow.http.record(record);
    const grantId = store.createGrant({ grantType: 'authorization_code' });
    const result = { grantId, tokens: [] };
    flows.complete(flow, result);
    flows.fail(flow, new Error('too late'));
    expect(states(events)).toEqual(['callback-received', 'done']);
    expect(events.at(-1)).toEqual({ type: 'flow-progress', flowId: flow.id, state: 'done', detail: { result } });
    expect(flows.getFlow({ flowId: flow.id })).toMatchObject({ state: 'done', result });
    expect(flow.abort.signal.aborted).toBe(true);
    expect(recorder.list({ flowId: flow.id }).map((e) => e.grantId)).toEqual([grantId]);
    store.close();
  });

  it('cancel ends a flow as cancelled, an unknown id is ERR_FLOW_NOT_FOUND, and the deadline fails it with ERR_TIMEOUT', async () => {
    const { store, flows, events } = await registry(50);
    const cancelled = flows.start('device_code', 'profile-1');
    expect(flows.cancelFlow({ flowId: cancelled.id })).toEqual({ flowId: cancelled.id, state: 'cancelled' });
    expect(flows.getFlow({ flowId: cancelled.id }).error).toEqual({ code: 'ERR_CANCELLED', message: 'the flow was cancelled' });
    expect(() => flows.getFlow({ flowId: 'nope' })).toThrow(expect.objectContaining({ code: 'ERR_FLOW_NOT_FOUND' }));
    expect(() => flows.cancelFlow({ flowId: 'nope' })).toThrow(expect.objectContaining({ code: 'ERR_FLOW_NOT_FOUND' }));

    const timedOut = flows.start('authorization_code', 'profile-1');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(flows.getFlow({ flowId: timedOut.id })).toMatchObject({ state: 'failed', error: { code: 'ERR_TIMEOUT' } });
    expect(states(events)).toEqual(['cancelled', 'failed']);
    store.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createExchangeRecorder } from '../../../src/main/oauth/exchange-recorder.ts';
import type { ExchangeRecord } from '../../../src/main/oauth/http-exchange.ts';
import { createServiceLifecycle } from '../../../src/main/oauth/service-lifecycle.ts';
import { openStore, type Store } from '../../../src/main/store/index.ts';
import { testPlatform } from '../../helpers/test-platform.ts';

let store: Store | undefined;

afterEach(() => {
  store?.close();
  store = undefined;
});

function exchange(url: string): ExchangeRecord {
  return {
    method: 'POST',
    url,
    status: 200,
    requestHeaders: {},
    requestBody: '',
    responseHeaders: {},
    responseBody: '{}',
    durationMs: 1,
    startedAtMs: 1_000,
  };
}

async function recorderWithStore() {
  const platform = testPlatform();
  store = await openStore(platform);
  const lifecycle = createServiceLifecycle();
  const recorder = createExchangeRecorder({ platform, store, lifecycle, requestTimeoutMs: 1_000 });
  const grantId = store.createGrant({ grantType: 'client_credentials' });
  return { store, lifecycle, recorder, grantId };
}

describe('the exchange recorder', () => {
  it("holds a flow's exchanges until the flow ends, then files them (and late arrivals) under its grant", async () => {
    const { recorder, grantId } = await recorderWithStore();
    const flow = recorder.forFlow('flow-1');
    flow.record(exchange('https://as.example/token'));
    expect(recorder.list({ flowId: 'flow-1' })).toEqual([]);
    flow.flush(grantId);
    flow.record(exchange('https://as.example/late'));
    const logged = recorder.list({ flowId: 'flow-1' });
    expect(logged.map((e) => e.url).sort()).toEqual(['https://as.example/late', 'https://as.example/token']);
    expect(logged.every((e) => e.grantId === grantId)).toBe(true);
  });

  it("writes an action's exchanges at once, linked to its grant, and nothing once the service is released", async () => {
    const { recorder, lifecycle, grantId } = await recorderWithStore();
    const http = recorder.forAction({ grantId });
    http.record(exchange('https://as.example/introspect'));
    expect(recorder.list({ grantId }).map((e) => e.url)).toEqual(['https://as.example/introspect']);
    expect(http.signal).toBe(lifecycle.signal);
    lifecycle.beginClose();
    lifecycle.release();
    http.record(exchange('https://as.example/after-close'));
    expect(recorder.list({ grantId })).toHaveLength(1);
  });
});

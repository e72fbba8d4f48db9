// IPC registration: every contract method on its channel and nothing else, the sender-frame check on each,
// results passed through as Results, and events forwarded only to app pages.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS, type TokenscopeBackend, type TokenscopeEvent } from '../../../src/shared/api.ts';
import { COMMAND_CHANNEL, EVENT_CHANNEL, ipcChannel } from '../../../src/shared/bridge.ts';
import { createServices } from '../../../src/main/services.ts';
import { testPlatform } from '../../helpers/test-platform.ts';
import { APP_ENTRY_URL, appOrigins } from '../../../src/main/electron/window-security.ts';
import { CHANNELS, forwardEvents, registerIpc, sendCommand } from '../../../src/main/electron/ipc.ts';
import { FakeWebContents, fakeElectron, fakeIpcMain } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fakeElectron));

const origins = appOrigins(undefined);
const OWN_ID = 7;
const top = { url: APP_ENTRY_URL, parent: null };
const appSender = { senderFrame: top, sender: { id: OWN_ID } };

const backends: TokenscopeBackend[] = [];
async function backend(): Promise<TokenscopeBackend> {
  const b = await createServices(testPlatform());
  backends.push(b);
  return b;
}
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
});

function setup(b: TokenscopeBackend) {
  const ipc = fakeIpcMain();
  const refused: string[] = [];
  const dispose = registerIpc(b, { origins, isOwnContents: (id) => id === OWN_ID, onRefused: (_m, v) => refused.push(v) }, ipc);
  const call = (method: string, event: unknown, ...args: unknown[]) => {
    const handler = ipc.handlers.get(ipcChannel(method as (typeof API_METHODS)[number]));
    if (!handler) throw new Error(`no handler for ${method}`);
    return handler(event as never, ...args) as Promise<{ ok: boolean; error?: { code: string }; value?: unknown }>;
  };
  return { ipc, refused, dispose, call };
}

describe('registerIpc', () => {
  it('registers exactly one handler per contract method, on the channel map', async () => {
    const { ipc } = setup(await backend());
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `tokenscope:${m}`).sort());
    expect(Object.keys(CHANNELS).sort()).toEqual([...API_METHODS].sort());
  });

  it('uses the real ipcMain (the fake electron module) when none is passed', async () => {
    const dispose = registerIpc(await backend(), { origins, isOwnContents: () => true });
    expect([...fakeElectron.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => ipcChannel(m)).sort());
    dispose();
    expect(fakeElectron.ipcMain.handlers.size).toBe(0);
  });

  it('answers the app page with the back end result', async () => {
    const { call } = setup(await backend());
    const info = await call('appInfo', appSender);
    expect(info.ok).toBe(true);
    const inspected = await call('inspect', appSender, 'not a token');
    expect(inspected.ok).toBe(false);
    expect(inspected.error?.code).toMatch(/^ERR_/);
  });

  it('refuses a sender from a foreign frame (an iframe inside the app page)', async () => {
    const { call, refused } = setup(await backend());
    const result = await call('appInfo', { senderFrame: { url: APP_ENTRY_URL, parent: top }, sender: { id: OWN_ID } });
    expect(result.error?.code).toBe('ERR_SENDER_REFUSED');
    expect(refused).toEqual(['sub-frame']);
  });

  it('refuses a sender whose page navigated to a foreign URL', async () => {
    const { call } = setup(await backend());
    for (const url of ['https://evil.test/', 'file:///tmp/x.html', 'data:text/html,hi', 'about:blank']) {
      const result = await call('listTokens', { senderFrame: { url, parent: null }, sender: { id: OWN_ID } }, {});
      expect(result.error?.code).toBe('ERR_SENDER_REFUSED');
    }
  });

  it('refuses a null sender frame (navigated away or destroyed)', async () => {
    const { call, refused } = setup(await backend());
    const result = await call('appInfo', { senderFrame: null, sender: { id: OWN_ID } });
    expect(result.error?.code).toBe('ERR_SENDER_REFUSED');
    expect(refused).toEqual(['no-frame']);
  });

  it('refuses a webContents the app did not create, even showing an app URL', async () => {
    const { call, refused } = setup(await backend());
    const result = await call('appInfo', { senderFrame: top, sender: { id: OWN_ID + 1 } });
    expect(result.error?.code).toBe('ERR_SENDER_REFUSED');
    expect(refused).toEqual(['foreign-contents']);
  });

  it('every method refuses a bad sender before it reaches the back end', async () => {
    const b = await backend();
    const spy = vi.fn();
    const guarded = Object.fromEntries(API_METHODS.map((m) => [m, spy])) as unknown as TokenscopeBackend;
    const { call } = setup({ ...b, ...guarded });
    for (const method of API_METHODS) {
      expect((await call(method, { senderFrame: null, sender: { id: OWN_ID } })).error?.code).toBe('ERR_SENDER_REFUSED');
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('more than one argument is an invalid call', async () => {
    const { call } = setup(await backend());
    expect((await call('inspect', appSender, 'a', 'b')).error?.code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a method that throws becomes an error Result, never an exception across IPC', async () => {
    const b = await backend();
    const { call } = setup({ ...b, appInfo: () => Promise.reject(new Error('boom /secret/path')) });
    const result = await call('appInfo', appSender);
    expect(result).toEqual({ ok: false, error: { code: 'ERR_INTERNAL', message: expect.any(String) } });
  });

  it('dispose removes every handler', async () => {
    const { ipc, dispose } = setup(await backend());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('events and commands to the renderer', () => {
  it('forwards back-end events to live app pages only', () => {
    let emit: (e: TokenscopeEvent) => void = () => undefined;
    const source = { onEvent: (l: (e: TokenscopeEvent) => void) => ((emit = l), () => undefined) };
    const app = new FakeWebContents();
    app.url = APP_ENTRY_URL;
    const foreign = new FakeWebContents();
    foreign.url = 'https://evil.test/';
    const dead = new FakeWebContents();
    dead.url = APP_ENTRY_URL;
    dead.destroyed = true;
    forwardEvents(source, () => [app, foreign, dead], origins);
    const event: TokenscopeEvent = { type: 'tokens-changed', ids: ['a'] };
    emit(event);
    expect(app.sent).toEqual([{ channel: EVENT_CHANNEL, args: [event] }]);
    expect(foreign.sent).toEqual([]);
    expect(dead.sent).toEqual([]);
  });

  it('sends menu commands to an app page only', () => {
    const app = new FakeWebContents();
    app.url = APP_ENTRY_URL;
    const foreign = new FakeWebContents();
    foreign.url = 'https://evil.test/';
    sendCommand(app, { type: 'export' }, origins);
    sendCommand(foreign, { type: 'export' }, origins);
    expect(app.sent).toEqual([{ channel: COMMAND_CHANNEL, args: [{ type: 'export' }] }]);
    expect(foreign.sent).toEqual([]);
  });
});

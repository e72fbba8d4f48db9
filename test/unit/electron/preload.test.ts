// The preload exposes exactly the contract (plus two subscriptions) as window.tokenscope and never hands
// out ipcRenderer or the IPC event.
import { describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../src/shared/api.ts';
import { COMMAND_CHANNEL, EVENT_CHANNEL, ipcChannel, type ShellCommand } from '../../../src/shared/bridge.ts';
import type { TokenscopeEvent } from '../../../src/shared/api.ts';
import { createBridge } from '../../../src/preload/bridge.ts';
import { fakeElectron } from './fake-electron.ts';

vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fakeElectron));

function fakeIpc() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  return {
    invoked,
    listeners,
    emit(channel: string, ...args: unknown[]) {
      for (const l of listeners.get(channel) ?? []) l({ sender: 'the ipcRenderer object', senderId: 0 }, ...args);
    },
    invoke(channel: string, ...args: unknown[]) {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: channel });
    },
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      listeners.get(channel)?.delete(listener);
    },
  };
}

describe('preload bridge', () => {
  it('has exactly the contract methods plus onEvent and onCommand, and is frozen', () => {
    const bridge = createBridge(fakeIpc());
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'onCommand', 'onEvent'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('each method invokes its own channel with at most the one argument', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc) as unknown as Record<string, (arg?: unknown) => Promise<unknown>>;
    for (const method of API_METHODS) {
      await bridge[method]?.({ probe: method });
      await bridge[method]?.();
    }
    expect(ipc.invoked).toEqual(
      API_METHODS.flatMap((m) => [
        { channel: ipcChannel(m), args: [{ probe: m }] },
        { channel: ipcChannel(m), args: [] },
      ]),
    );
  });

  it('event and command listeners get only the payload, never the IPC event; junk is dropped; unsubscribe works', () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const events: unknown[][] = [];
    const commands: unknown[][] = [];
    const offEvent = bridge.onEvent((...args: unknown[]) => events.push(args));
    const offCommand = bridge.onCommand((...args: unknown[]) => commands.push(args));
    const event: TokenscopeEvent = { type: 'tokens-changed', ids: ['x'] };
    const command: ShellCommand = { type: 'theme', theme: 'dark' };
    ipc.emit(EVENT_CHANNEL, event);
    ipc.emit(EVENT_CHANNEL, 'junk');
    ipc.emit(COMMAND_CHANNEL, command);
    ipc.emit(COMMAND_CHANNEL, { type: 'theme', theme: 'neon' });
    ipc.emit(COMMAND_CHANNEL, { type: 'run-shell' });
    expect(events).toEqual([[event]]);
    expect(commands).toEqual([[command]]);
    offEvent();
    offCommand();
    expect(ipc.listeners.get(EVENT_CHANNEL)?.size).toBe(0);
    expect(ipc.listeners.get(COMMAND_CHANNEL)?.size).toBe(0);
  });

  it('src/preload/index.ts exposes the bridge as window.tokenscope and nothing else', async () => {
    await import('../../../src/preload/index.ts');
    expect([...fakeElectron.contextBridge.exposed.keys()]).toEqual(['tokenscope']);
    const exposed = fakeElectron.contextBridge.exposed.get('tokenscope') as Record<string, unknown>;
    expect(Object.keys(exposed).sort()).toEqual([...API_METHODS, 'onCommand', 'onEvent'].sort());
    expect(Object.values(exposed)).not.toContain(fakeElectron.ipcRenderer);
    for (const raw of ['invoke', 'send', 'sendSync', 'on', 'once', 'ipcRenderer', 'postMessage'])
      expect(exposed).not.toHaveProperty(raw);
  });
});

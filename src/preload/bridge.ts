/**
 * Builds `window.tokenscope` from an ipcRenderer-like object: one function per contract method (derived
 * from API_METHODS) plus two subscriptions. Nothing Electron leaks through: listeners get only the payload,
 * never the IPC event (whose `sender` is ipcRenderer itself).
 */
import { API_METHODS, type TokenscopeEvent } from '../shared/api.ts';
import { COMMAND_CHANNEL, EVENT_CHANNEL, ipcChannel, isShellCommand, type TokenscopeBridge } from '../shared/bridge.ts';

/** The slice of ipcRenderer the bridge uses (tests pass a fake). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isEvent(value: unknown): value is TokenscopeEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function createBridge(ipc: IpcRendererLike): TokenscopeBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    const channel = ipcChannel(method);
    bridge[method] = (arg?: unknown) => (arg === undefined ? ipc.invoke(channel) : ipc.invoke(channel, arg));
  }
  bridge['onEvent'] = (listener: (event: TokenscopeEvent) => void) => {
    const wrapped = (_event: unknown, payload: unknown): void => {
      if (isEvent(payload)) listener(payload);
    };
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => void ipc.removeListener(EVENT_CHANNEL, wrapped);
  };
  bridge['onCommand'] = (listener: Parameters<TokenscopeBridge['onCommand']>[0]) => {
    const wrapped = (_event: unknown, payload: unknown): void => {
      if (isShellCommand(payload)) listener(payload);
    };
    ipc.on(COMMAND_CHANNEL, wrapped);
    return () => void ipc.removeListener(COMMAND_CHANNEL, wrapped);
  };
  return Object.freeze(bridge) as unknown as TokenscopeBridge;
}

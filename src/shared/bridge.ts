/**
 * What the Electron preload exposes as `window.tokenscope`, and the IPC channel names both sides of
 * that bridge derive from the contract. No Node, no DOM: the renderer imports this type too.
 */
import type { ApiMethod, EventListener, TokenscopeApi } from './api.ts';

/** Commands the desktop shell (application menu) sends to the renderer; they are not back-end events. */
export type ShellCommand =
  | { readonly type: 'import' }
  | { readonly type: 'export' }
  | { readonly type: 'theme'; readonly theme: 'system' | 'light' | 'dark' };

export type ShellCommandListener = (command: ShellCommand) => void;

/** `window.tokenscope` in the desktop app: exactly the contract's methods plus two subscriptions. */
export type TokenscopeBridge = TokenscopeApi & {
  /** Back-end events (TokenscopeEvent); returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Menu commands from the desktop shell; returns the unsubscribe function. */
  onCommand(listener: ShellCommandListener): () => void;
};

/** serve (the browser-tab bridge): the header every API call and the event stream carry the launch secret in. */
export const SECRET_HEADER = 'x-tokenscope-secret';
/** serve: the fragment parameter the bootstrap redirect hands the launch secret to the page in. */
export const SECRET_FRAGMENT = 'tokenscope-secret';

export const EVENT_CHANNEL = 'tokenscope-event';
export const COMMAND_CHANNEL = 'tokenscope-command';

/** Every invoke channel is `tokenscope:<method>`: one channel per contract method, nothing else is handled. */
export function ipcChannel(method: ApiMethod): `tokenscope:${ApiMethod}` {
  return `tokenscope:${method}`;
}

const SHELL_THEMES: readonly string[] = ['system', 'light', 'dark'];

/** Validates a command arriving over IPC before it reaches renderer code. */
export function isShellCommand(value: unknown): value is ShellCommand {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; theme?: unknown };
  if (v.type === 'import' || v.type === 'export') return true;
  return v.type === 'theme' && typeof v.theme === 'string' && SHELL_THEMES.includes(v.theme);
}

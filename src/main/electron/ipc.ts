/**
 * The one place the main process touches ipcMain: one `handle` per contract method (derived from
 * API_METHODS, nothing else), each refusing any sender that is not the top-level frame of an app page
 * in one of our windows, and back-end events forwarded to the app's windows.
 */
import { ipcMain } from 'electron';
import { API_METHODS, callMethod, type ApiMethod, type TokenscopeBackend, type TokenscopeEvent } from '../../shared/api.ts';
import { COMMAND_CHANNEL, EVENT_CHANNEL, ipcChannel, type ShellCommand } from '../../shared/bridge.ts';
import { attempt, err, type Result } from '../../shared/result.ts';
import type { IpcMainInvokeEventLike, IpcMainLike, WebContentsLike } from './electron-like.ts';
import { checkSenderFrame, isAppUrl, type AppOrigins, type SenderVerdict } from './window-security.ts';

export interface IpcPolicy {
  readonly origins: AppOrigins;
  /** webContents ids of the windows this app created; anything else is refused. */
  readonly isOwnContents: (id: number) => boolean;
  /** Called on every refusal (for a log line); never sees the arguments. */
  readonly onRefused?: (method: ApiMethod, verdict: SenderVerdict | 'foreign-contents') => void;
}

export type ChannelMap = { readonly [M in ApiMethod]: ReturnType<typeof ipcChannel> };

/** The typed channel map: one channel per contract method. */
export const CHANNELS: ChannelMap = Object.freeze(
  Object.fromEntries(API_METHODS.map((m) => [m, ipcChannel(m)])) as unknown as ChannelMap,
);

function senderVerdict(event: IpcMainInvokeEventLike, policy: IpcPolicy): SenderVerdict | 'foreign-contents' {
  if (!policy.isOwnContents(event.sender.id)) return 'foreign-contents';
  return checkSenderFrame(event.senderFrame, policy.origins);
}

/** Registers every contract method; returns the function that removes them again. */
export function registerIpc(backend: TokenscopeBackend, policy: IpcPolicy, ipc: IpcMainLike = ipcMain): () => void {
  for (const method of API_METHODS) {
    ipc.handle(CHANNELS[method], async (event, ...args): Promise<Result<unknown>> => {
      const verdict = senderVerdict(event, policy);
      if (verdict !== 'ok') {
        policy.onRefused?.(method, verdict);
        return err('ERR_SENDER_REFUSED', 'this request did not come from the Tokenscope window', { reason: verdict });
      }
      if (args.length > 1) return err('ERR_INVALID_ARGUMENT', 'contract methods take at most one argument');
      // The back end checks the argument against the method's schema.
      const result = await attempt(() => callMethod(backend, method, args[0]));
      // A method already returns a Result; attempt only adds a layer when it threw.
      return result.ok ? result.value : result;
    });
  }
  return () => {
    for (const method of API_METHODS) ipc.removeHandler(CHANNELS[method]);
  };
}

/** Pushes back-end events to every live window that shows an app page; returns the unsubscribe function. */
export function forwardEvents(
  backend: Pick<TokenscopeBackend, 'onEvent'>,
  targets: () => readonly WebContentsLike[],
  origins: AppOrigins,
): () => void {
  return backend.onEvent((event: TokenscopeEvent) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL(), origins)) contents.send(EVENT_CHANNEL, event);
    }
  });
}

/** Sends a menu command to a window showing an app page. */
export function sendCommand(contents: WebContentsLike, command: ShellCommand, origins: AppOrigins): void {
  if (!contents.isDestroyed() && isAppUrl(contents.getURL(), origins)) contents.send(COMMAND_CHANNEL, command);
}

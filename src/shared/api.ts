/**
 * The one contract between every front door (Electron preload, the serve HTTP bridge, the CLI)
 * and the back end. Every method takes at most one plain, serializable argument and returns
 * Promise<Result<T>>; adding a capability means adding it here and implementing it in services.ts.
 */
import type { Result } from './result.ts';
import type { ListTokensQuery, TokenPage } from './model.ts';
import type { InspectResult } from './token/inspect.ts';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** Which front door the back end runs behind. */
  readonly mode: 'electron' | 'serve' | 'cli' | 'test';
  readonly dataDir: string;
  readonly nodeVersion: string;
  readonly sqliteVersion: string;
  readonly tokenCount: number;
}

export interface TokenscopeApi {
  // ── core ──
  appInfo(): Promise<Result<AppInfo>>;
  // ── history (store) ──
  listTokens(query: ListTokensQuery): Promise<Result<TokenPage>>;
  // ── token domain ──
  inspect(text: string): Promise<Result<InspectResult>>;
  // ── oauth ──
}

export type ApiMethod = keyof TokenscopeApi;

/** Every method name, derived from a table the compiler checks against the interface. */
const apiMethodTable: { readonly [K in ApiMethod]: true } = {
  // core
  appInfo: true,
  // history
  listTokens: true,
  // token domain
  inspect: true,
  // oauth
};

export const API_METHODS: readonly ApiMethod[] = Object.freeze(Object.keys(apiMethodTable) as ApiMethod[]);

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiMethodTable, name);
}

/** The argument of a method (undefined for methods that take none). */
export type ApiArg<M extends ApiMethod> = Parameters<TokenscopeApi[M]>[0];
/** The success value of a method. */
export type ApiValue<M extends ApiMethod> = Awaited<ReturnType<TokenscopeApi[M]>> extends Result<infer T> ? T : never;

/** Everything the back end pushes to front doors (IPC events, SSE). */
export type TokenscopeEvent =
  | { readonly type: 'tokens-changed'; readonly ids: readonly string[] }
  | {
      readonly type: 'flow-progress';
      readonly flowId: string;
      readonly state: 'waiting-for-browser' | 'callback-received' | 'exchanging' | 'polling' | 'done' | 'failed' | 'cancelled';
      readonly detail?: Readonly<Record<string, unknown>>;
    };

export type EventListener = (event: TokenscopeEvent) => void;

/** The back end as a front door holds it: the contract plus events and shutdown. */
export interface TokenscopeBackend extends TokenscopeApi {
  onEvent(listener: EventListener): () => void;
  close(): Promise<void>;
}

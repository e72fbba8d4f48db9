/** What the OAuth commands share: a back end for one command, Results turned into exit codes, waiting for a flow. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { createServices } from '../main/services.ts';
import { createNodePlatform, openInSystemBrowser } from '../main/node-platform.ts';
import type { TokenscopeBackend, TokenscopeEvent } from '../shared/api.ts';
import type { ProfileView } from '../shared/profile.ts';
import type { GrantResult } from '../shared/oauth.ts';
import { TokenscopeError, toAppError, type Result } from '../shared/result.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, printError, type CliIo } from './io.ts';

/** The success value, or the Result's error thrown as a TokenscopeError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TokenscopeError(result.error.code, result.error.message, result.error.detail);
}

export function failWith(io: CliIo, e: unknown): number {
  const error = toAppError(e);
  printError(io, error.code, error.message);
  return error.code === 'ERR_INVALID_ARGUMENT' ? EXIT_BAD_INPUT : EXIT_FAILURE;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** parseArgs with our error on bad options. */
export function parseOptions(
  args: readonly string[],
  options: ParseArgsOptionsConfig,
  allowPositionals = false,
): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals, strict: true });
    return { values: values as OptionValues, positionals };
  } catch (e) {
    throw new TokenscopeError('ERR_INVALID_ARGUMENT', (e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

/** Runs `fn` with a back end on the CLI's data dir; `open: false` prints URLs instead of opening a browser. */
export async function withBackend(
  io: CliIo,
  options: { open: boolean },
  fn: (backend: TokenscopeBackend) => Promise<number>,
): Promise<number> {
  let backend: TokenscopeBackend;
  try {
    backend = await createServices(
      createNodePlatform({
        mode: 'cli',
        env: io.env,
        openExternal: options.open ? openInSystemBrowser : () => Promise.resolve(),
      }),
    );
  } catch (e) {
    return failWith(io, e);
  }
  try {
    return await fn(backend);
  } catch (e) {
    return failWith(io, e);
  } finally {
    await backend.close();
  }
}

/** A profile by id or by name (case-insensitive). */
export async function findProfile(backend: TokenscopeBackend, nameOrId: string): Promise<ProfileView> {
  const profiles = unwrap(await backend.listProfiles());
  const found = profiles.find((p) => p.id === nameOrId) ?? profiles.find((p) => p.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found)
    throw new TokenscopeError('ERR_NOT_FOUND', `no profile named "${nameOrId.slice(0, 60)}" (see tokenscope profile list)`);
  return found;
}

/** Waits for a flow's final event (its result, or its error thrown); Ctrl-C cancels the flow. */
export function waitForFlow(
  backend: TokenscopeBackend,
  flowId: string,
  onProgress?: (event: TokenscopeEvent & { type: 'flow-progress' }) => void,
): Promise<GrantResult> {
  return new Promise<GrantResult>((resolve, reject) => {
    let settled = false;
    const interrupt = (): void => void backend.cancelFlow({ flowId });
    process.once('SIGINT', interrupt);
    const settle = (): void => {
      void backend.getFlow({ flowId }).then((status) => {
        if (settled || !status.ok || (!status.value.result && !status.value.error)) return;
        settled = true;
        stop();
        process.removeListener('SIGINT', interrupt);
        if (status.value.result) resolve(status.value.result);
        else if (status.value.error) reject(new TokenscopeError(status.value.error.code, status.value.error.message));
      });
    };
    const stop = backend.onEvent((event) => {
      if (event.type !== 'flow-progress' || event.flowId !== flowId) return;
      onProgress?.(event);
      if (event.state === 'done' || event.state === 'failed' || event.state === 'cancelled') settle();
    });
    // The flow may have finished before we subscribed.
    settle();
  });
}

export function tokensJson(result: GrantResult): string {
  return `${JSON.stringify(
    {
      grantId: result.grantId,
      tokens: result.tokens.map((t) => ({
        id: t.id,
        kind: t.kind,
        format: t.format,
        primary: t.primary,
        expiresAt: t.expiresAtMs === null ? null : new Date(t.expiresAtMs).toISOString(),
      })),
      ...(result.supersededTokenId ? { supersededTokenId: result.supersededTokenId } : {}),
    },
    null,
    2,
  )}\n`;
}

export function tokensText(result: GrantResult): string {
  const lines = result.tokens.map(
    (t) =>
      `${t.kind.padEnd(13)}  ${t.format.padEnd(6)}  ${t.expiresAtMs === null ? '-'.padEnd(20) : new Date(t.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z')}  ${t.id}${t.primary ? '  (primary)' : ''}`,
  );
  return `grant ${result.grantId}\n${lines.join('\n')}\n${result.supersededTokenId ? `superseded refresh token ${result.supersededTokenId}\n` : ''}`;
}

/**
 * The CLI's one way to the back end: `createServices` on the Node platform in 'cli' mode, exactly what
 * `serve` runs, one back end per command. Commands call `TokenscopeApi` methods on it and nothing else.
 * The back end is imported here, when a command asks for it, never at start: `--version` and `--help`
 * load none of it, and a command without a history (inspect FILE) loads only the token domain
 * (src/main/token-services.ts), not the store, OAuth, the demo issuer or better-sqlite3.
 */
import { resolve } from 'node:path';
import type { Platform } from '../main/platform.ts';
import type { TokenscopeBackend } from '../shared/api.ts';
import { TokenscopeError, type Result } from '../shared/result.ts';
import type { CliIo } from './io.ts';

interface BackendOptions {
  /**
   * 'disk': the history in TOKENSCOPE_DATA_DIR (its lock, its key). 'none': a back end whose history is in
   * memory and empty, for the commands that read no history (inspect, convert, formats, diff of files): they
   * create nothing on disk and run while another Tokenscope holds the history.
   */
  readonly history: 'disk' | 'none';
  /** Open URLs in the system browser (login); otherwise they are only printed. */
  readonly open?: boolean;
  /** The file named on the command line: the CLI's answer to the back end's save dialog (export --out). */
  readonly saveTo?: string;
  /** The file named on the command line: the CLI's answer to the back end's open dialog (import FILE; `-` is stdin). */
  readonly openFrom?: string;
}

async function cliPlatform(io: CliIo, options: BackendOptions): Promise<Platform> {
  const { createNodePlatform, openInSystemBrowser } = await import('../main/node-platform.ts');
  const platform = createNodePlatform({
    mode: 'cli',
    env: io.env,
    ...(options.history === 'none' ? { dataDir: ':memory:' } : {}),
    openExternal: options.open === true ? openInSystemBrowser : () => Promise.resolve(),
  });
  const { saveTo, openFrom } = options;
  return {
    ...platform,
    ...(saveTo !== undefined ? { chooseSavePath: () => Promise.resolve(resolve(saveTo)) } : {}),
    ...(openFrom !== undefined ? { chooseOpenPath: () => Promise.resolve(openFrom) } : {}),
    ...(openFrom === '-' ? { stdin: io.stdin } : {}),
  };
}

/** Runs `fn` with a back end for this command and closes it whatever happens; errors go to main(). */
export async function withBackend(
  io: CliIo,
  options: BackendOptions,
  fn: (backend: TokenscopeBackend) => Promise<number>,
): Promise<number> {
  const platform = await cliPlatform(io, options);
  const backend =
    options.history === 'none'
      ? (await import('../main/token-services.ts')).createTokenServices(platform)
      : await (await import('../main/services.ts')).createServices(platform);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

/** The success value, or the Result's error thrown as a TokenscopeError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TokenscopeError(result.error.code, result.error.message, result.error.detail);
}

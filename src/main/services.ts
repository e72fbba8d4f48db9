/** The one implementation of the contract: every front door calls these methods. */
import type { AppInfo, EventListener, TokenscopeBackend } from '../shared/api.ts';
import type { ListTokensQuery } from '../shared/model.ts';
import { attempt } from '../shared/result.ts';
import { inspectText } from '../shared/token/inspect.ts';
import type { Platform } from './platform.ts';
import { APP } from './app-version.ts';
import { openDatabase, sqliteVersion } from './store/database.ts';
import { TokenRepository } from './store/token-repository.ts';

export async function createServices(platform: Platform): Promise<TokenscopeBackend> {
  await platform.keyProvider();
  const db = openDatabase(platform.dataDir);
  const tokens = new TokenRepository(db);
  const listeners = new Set<EventListener>();

  return {
    // ── core ──
    appInfo: () =>
      attempt<AppInfo>(() => ({
        name: 'Tokenscope',
        version: APP.version,
        mode: platform.mode,
        dataDir: platform.dataDir,
        nodeVersion: process.versions.node,
        sqliteVersion: sqliteVersion(db),
        tokenCount: tokens.count(),
      })),

    // ── history (store) ──
    listTokens: (query: ListTokensQuery) => attempt(() => tokens.list(query ?? {})),

    // ── token domain ──
    inspect: (text: string) => attempt(() => inspectText(typeof text === 'string' ? text : '')),

    // ── oauth ──

    // ── plumbing ──
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      listeners.clear();
      db.close();
      return Promise.resolve();
    },
  };
}

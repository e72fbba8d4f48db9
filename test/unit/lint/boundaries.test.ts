import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Plants a real file in the tree (as a developer would), lints it, and removes it. */
async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  mkdirSync(dirname(filePath), { recursive: true });
  writeFileSync(filePath, code);
  try {
    const [result] = await eslint.lintFiles([filePath]);
    return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
  } finally {
    rmSync(filePath, { force: true });
  }
}

// The first lint builds the TypeScript program for the whole tree: slow on a loaded 2-core machine.
describe('design boundaries are enforced by the lint', { timeout: 180_000 }, () => {
  it('rejects importing electron from the store', async () => {
    const ids = await ruleIdsFor(
      'src/main/store/lint-probe-electron.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('rejects Node built-ins in src/shared', async () => {
    const ids = await ruleIdsFor(
      'src/shared/lint-probe-node.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('rejects native modules in the renderer', async () => {
    const ids = await ruleIdsFor(
      'src/renderer/src/lint-probe-native.ts',
      "import Database from 'better-sqlite3';\nexport const x = Database;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('rejects raw ipcMain outside the IPC wrapper', async () => {
    const ids = await ruleIdsFor(
      'src/main/electron/lint-probe-ipc.ts',
      "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('rejects src/cli importing src/main/store, src/main/keys or src/main/oauth (the CLI goes through the contract)', async () => {
    const ids = await ruleIdsFor(
      'src/cli/commands/lint-probe-backend.ts',
      [
        "import { openStore } from '../../main/store/index.ts';",
        "import type { KeyFetcher } from '../../main/keys/index.ts';",
        "import { createOAuthService } from '../../main/oauth/oauth-service.ts';",
        'export const x: [unknown, KeyFetcher | null, unknown] = [openStore, null, createOAuthService];',
        '',
      ].join('\n'),
    );
    expect(ids).toEqual(['no-restricted-imports', 'no-restricted-imports', 'no-restricted-imports']);
  });

  it('accepts src/cli importing the services and the Node platform', async () => {
    const ids = await ruleIdsFor(
      'src/cli/lint-probe-ok.ts',
      [
        "import { createServices } from '../main/services.ts';",
        "import { createNodePlatform } from '../main/node-platform.ts';",
        'export const x = [createServices, createNodePlatform];',
        '',
      ].join('\n'),
    );
    expect(ids).toEqual([]);
  });

  it('accepts electron inside src/main/electron', async () => {
    const ids = await ruleIdsFor(
      'src/main/electron/lint-probe-ok.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
    );
    expect(ids).toEqual([]);
  });
});

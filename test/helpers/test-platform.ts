/** A Platform for tests: a fresh data dir, a key file, recorded openExternal calls and an optional fake clock. */
import { createNodePlatform } from '../../src/main/node-platform.ts';
import type { Platform } from '../../src/main/platform.ts';
import { freshDir } from './temp-dir.ts';

export interface TestPlatform extends Platform {
  readonly opened: string[];
}

export function testPlatform(
  options: { dataDir?: string; now?: () => number; onOpen?: (url: string) => void } = {},
): TestPlatform {
  const opened: string[] = [];
  const base = createNodePlatform({
    mode: 'test',
    dataDir: options.dataDir ?? freshDir(),
    env: {},
    ...(options.now ? { now: options.now } : {}),
    openExternal: (url) => {
      opened.push(url);
      options.onOpen?.(url);
      return Promise.resolve();
    },
  });
  return Object.assign(base, { opened });
}

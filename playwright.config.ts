// End-to-end tests: the served UI in Debian's Chromium (see test/helpers/chromium.ts), real back end.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumPath } from './test/helpers/chromium.ts';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  forbidOnly: true,
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_FLAGS },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
});

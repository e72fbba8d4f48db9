// Brings the Playwright _electron smoke test (test/e2e-electron/smoke.ts) into the vitest run.
import '../../e2e-electron/smoke.ts';

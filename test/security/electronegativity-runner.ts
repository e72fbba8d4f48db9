/**
 * Runs @doyensec/electronegativity's programmatic API on one directory and prints its issues as JSON.
 * Runs in a child process with the network stubbed: the library fetches translations and Electron's release
 * list with `got`, and a late retry of that request throws after the scan has finished.
 * Usage: node test/security/electronegativity-runner.ts <dir> <electronVersion>
 */
import Module, { createRequire } from 'node:module';

const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const originalLoad = loader._load;
const offline = (): Promise<never> => Promise.reject(new Error('offline: electronegativity runs without network in tests'));
Object.assign(offline, { get: offline, head: offline });
loader._load = function load(request, parent, isMain) {
  if (request === 'got') return offline;
  return originalLoad.call(this, request, parent, isMain);
};

interface EngIssue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly severity?: { readonly name?: string };
  readonly confidence?: { readonly name?: string };
  readonly manualReview?: boolean;
}

type Run = (
  options: Record<string, unknown>,
) => Promise<{ errors: { file: string; message: string; tolerable: boolean }[]; issues: EngIssue[] }>;

const [input, electronVersion] = process.argv.slice(2);
if (!input || !electronVersion) {
  process.stderr.write('usage: electronegativity-runner.ts <dir> <electronVersion>\n');
  process.exit(2);
}
// The library and winston log progress to the console; keep stdout for the JSON answer.
console.log = () => undefined;
console.warn = () => undefined;
console.info = () => undefined;
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity') as Run;
const result = await run({ input, electronVersionOverride: electronVersion });
process.stdout.write(
  JSON.stringify({
    errors: result.errors,
    issues: result.issues.map((i) => ({
      id: i.id,
      file: i.file,
      line: i.location.line,
      severity: i.severity?.name ?? null,
      confidence: i.confidence?.name ?? null,
      manualReview: i.manualReview ?? false,
    })),
  }),
);
process.exit(0);

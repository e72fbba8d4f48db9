/**
 * The Electron security gate: electronegativity over the Electron-facing sources (and the built main and
 * preload when they are up to date), failing on every finding that is not justified inline with a reason.
 *
 * Justification syntax, on the finding's line or in the comment lines directly above it:
 *   // electronegativity-ignore RULE_ID[, RULE_ID]: reason (at least 12 characters, saying why it is safe)
 * RULE_ID is electronegativity's check id as reported (OPEN_EXTERNAL_JS_CHECK, CSP_GLOBAL_CHECK...).
 * Also failures: electronegativity's own `eng-disable` comments (they hide a finding without a reason),
 * a justification with no reason, a justification no finding needs any more (stale), and findings with
 * no file ("no CSP at all", "no navigation limits") which cannot be justified.
 * Electronegativity lets `sandbox: true` excuse `nodeIntegration: true`; this gate does not: every insecure
 * webPreferences literal in a scanned file is a finding of its own (TOKENSCOPE_INSECURE_WEBPREFERENCE).
 * In the built main bundle only the modules of the Electron-facing sources are scanned (rolldown starts each
 * module with a `// src/...` line; other modules are blanked, keeping line numbers): the rest of src/main is
 * plain Node code outside this gate, and its owners cannot be asked to justify a scanner they do not face.
 * The bundler drops comments, so a finding in out/ is justified when the same rule is justified in the
 * sources on a line with the same code (whitespace and quote style ignored; a wrapped line matches its piece).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./electronegativity-runner.ts', import.meta.url));

/** What is scanned, relative to the project root; staged together so the global checks see the whole app. */
export const SOURCE_INPUTS = ['src/main/electron', 'src/preload', 'src/main/index.ts'] as const;
export const BUILT_INPUTS = ['out/main', 'out/preload'] as const;

/** Bundle modules that belong to the gate (the same sources SOURCE_INPUTS stages, plus the bridge contract). */
const ELECTRON_MODULE = /^(?:src\/main\/electron\/|src\/preload\/|src\/main\/index\.ts$|src\/shared\/bridge\.ts$)/;
const MODULE_MARKER = /^\/\/ ((?:src|node_modules)\/\S+)$/;

/**
 * Blanks every bundle module that is not Electron-facing; lines before the first module (imports) stay.
 * The bundle's own `export { ... }` list goes too: it names bindings of blanked modules, and the parser
 * rejects exports of undeclared names.
 */
export function keepElectronModules(bundle: string): string {
  let current: string | null = null;
  return bundle
    .split('\n')
    .map((line) => {
      const marker = MODULE_MARKER.exec(line);
      if (marker) current = marker[1] ?? null;
      if (/^export \{[^}]*\};?$/.test(line)) return '';
      return current === null || ELECTRON_MODULE.test(current) ? line : '';
    })
    .join('\n');
}

export interface Finding {
  readonly id: string;
  /** Path relative to the staging dir (mirrors the project), or 'N/A' for app-wide findings. */
  readonly file: string;
  readonly line: number;
  readonly severity: string | null;
  readonly confidence: string | null;
}

export type Problem =
  | { readonly kind: 'unjustified'; readonly finding: Finding; readonly code: string }
  | { readonly kind: 'no-reason'; readonly file: string; readonly line: number }
  | { readonly kind: 'stale'; readonly file: string; readonly line: number; readonly rule: string }
  | { readonly kind: 'silent-disable'; readonly file: string; readonly line: number }
  | { readonly kind: 'scanner-error'; readonly file: string; readonly message: string };

export interface GateReport {
  readonly scanned: readonly string[];
  readonly findings: readonly Finding[];
  readonly justified: number;
  readonly problems: readonly Problem[];
  /** One line per skipped input, with the reason. */
  readonly notes: readonly string[];
}

const JUSTIFICATION =
  /(?:\/\/|\/\*|<!--)\s*electronegativity-ignore\s+([A-Z0-9_]+(?:\s*,\s*[A-Z0-9_]+)*)\s*(?::\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;
const ENG_DISABLE = /eng-disable/;
const MIN_REASON = 12;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  return Math.max(0, ...walk(path).map((f) => statSync(f).mtimeMs));
}

/** Copies the inputs into `stage` (mirroring their project paths); returns the list staged and notes on skips. */
export function stageInputs(
  root: string,
  stage: string,
  options: { includeBuilt: boolean },
): { scanned: string[]; notes: string[] } {
  const scanned: string[] = [];
  const notes: string[] = [];
  for (const input of SOURCE_INPUTS) {
    if (!existsSync(join(root, input))) continue;
    cpSync(join(root, input), join(stage, input), { recursive: true });
    scanned.push(input);
  }
  if (options.includeBuilt) {
    const builtAt = Math.min(...BUILT_INPUTS.map((b) => (existsSync(join(root, b)) ? newestMtime(join(root, b)) : 0)));
    // Compared with the Electron-facing inputs only: the rest of src/main changes all day in a shared tree.
    const sourcesAt = Math.max(
      ...[...SOURCE_INPUTS, 'src/shared/bridge.ts', 'src/shared/api.ts'].map((s) => newestMtime(join(root, s))),
    );
    if (builtAt === 0) notes.push('out/main and out/preload not built: scanned the sources only (`npm run build` builds them)');
    else if (builtAt < sourcesAt)
      notes.push('out/main or out/preload is older than the Electron sources: scanned the sources only (run `npm run build`)');
    else {
      for (const input of BUILT_INPUTS) {
        cpSync(join(root, input), join(stage, input), { recursive: true });
        scanned.push(input);
      }
      for (const file of walk(join(stage, 'out/main'))) {
        if (/\.[cm]?js$/.test(file)) writeFileSync(file, keepElectronModules(readFileSync(file, 'utf8')));
      }
    }
  }
  return { scanned, notes };
}

export function electronVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
}

/** Runs electronegativity on a staged directory (child process, network stubbed). */
export function runElectronegativity(
  stage: string,
  version: string,
): { findings: Finding[]; errors: { file: string; message: string; tolerable: boolean }[] } {
  const stdout = execFileSync(process.execPath, [RUNNER, stage, version], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const parsed = JSON.parse(stdout) as {
    errors: { file: string; message: string; tolerable: boolean }[];
    issues: { id: string; file: string; line: number; severity: string | null; confidence: string | null }[];
  };
  return {
    errors: parsed.errors.map((e) => ({ ...e, file: relative(stage, e.file) })),
    findings: parsed.issues.map((i) => ({ ...i, file: i.file === 'N/A' ? 'N/A' : relative(stage, i.file) })),
  };
}

interface Justification {
  readonly file: string;
  /** 1-based line of the comment. */
  readonly line: number;
  readonly rules: readonly string[];
  readonly reason: string;
  /** The code line it covers (the comment's own line if it trails code, else the first non-comment line below). */
  readonly coversLine: number;
}

function isCommentOnly(text: string): boolean {
  const t = text.trim();
  return t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('<!--');
}

export function parseJustifications(file: string, text: string): Justification[] {
  const lines = text.split('\n');
  const found: Justification[] = [];
  lines.forEach((lineText, index) => {
    const m = JUSTIFICATION.exec(lineText);
    if (!m) return;
    let covers = index;
    if (isCommentOnly(lineText)) {
      covers = index + 1;
      while (covers < lines.length && isCommentOnly(lines[covers] ?? '')) covers += 1;
    }
    found.push({
      file,
      line: index + 1,
      rules: (m[1] ?? '').split(',').map((r) => r.trim()),
      reason: (m[2] ?? '').trim(),
      coversLine: covers + 1,
    });
  });
  return found;
}

/** Code on a line with whitespace, quote style and trailing punctuation normalised (sources vs bundle). */
export function normaliseCode(text: string): string {
  return text
    .replace(/\/\/.*$/, '')
    .replace(/\s+/g, '')
    .replace(/'/g, '"')
    .replace(/[;,]+$/, '');
}

/** A bundled line is the source line, or (when the bundler wrapped it) a long enough piece of it. */
export function sameCode(source: string, built: string): boolean {
  const s = normaliseCode(source);
  const b = normaliseCode(built);
  return s === b || (b.length >= 24 && s.includes(b));
}

/** webPreferences values that are never acceptable, whatever else the options say. */
const INSECURE_PREFERENCE =
  /\b(?:nodeIntegration(?:InWorker|InSubFrames)?\s*:\s*(?:true|!0)|contextIsolation\s*:\s*(?:false|!1)|sandbox\s*:\s*(?:false|!1)|webSecurity\s*:\s*(?:false|!1)|allowRunningInsecureContent\s*:\s*(?:true|!0)|experimentalFeatures\s*:\s*(?:true|!0)|webviewTag\s*:\s*(?:true|!0)|enableBlinkFeatures\s*:)/;
export const INSECURE_WEBPREFERENCE = 'TOKENSCOPE_INSECURE_WEBPREFERENCE';

/** The gate's own check, added to electronegativity's findings. */
export function findInsecurePreferences(stage: string): Finding[] {
  const found: Finding[] = [];
  for (const full of walk(stage)) {
    if (!/\.(?:[cm]?js|[cm]?ts)$/.test(full)) continue;
    readFileSync(full, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (!isCommentOnly(text) && INSECURE_PREFERENCE.test(text)) {
          found.push({
            id: INSECURE_WEBPREFERENCE,
            file: relative(stage, full),
            line: i + 1,
            severity: 'HIGH',
            confidence: 'CERTAIN',
          });
        }
      });
  }
  return found;
}

/** Judges the findings of a staged scan against the justifications in the staged files. */
export function judge(
  stage: string,
  findings: readonly Finding[],
  errors: readonly { file: string; message: string; tolerable: boolean }[],
): { justified: number; problems: Problem[] } {
  const problems: Problem[] = [];
  const files = walk(stage).map((f) => relative(stage, f));
  const texts = new Map(files.map((f) => [f, readFileSync(join(stage, f), 'utf8')]));
  const justifications = files.flatMap((f) => parseJustifications(f, texts.get(f) ?? ''));
  for (const [file, text] of texts) {
    text.split('\n').forEach((lineText, i) => {
      if (ENG_DISABLE.test(lineText)) problems.push({ kind: 'silent-disable', file, line: i + 1 });
    });
  }
  for (const j of justifications)
    if (j.reason.length < MIN_REASON) problems.push({ kind: 'no-reason', file: j.file, line: j.line });
  for (const e of errors) if (!e.tolerable) problems.push({ kind: 'scanner-error', file: e.file, message: e.message });

  const codeAt = (file: string, line: number): string => (texts.get(file)?.split('\n')[line - 1] ?? '').trim();
  const valid = justifications.filter((j) => j.reason.length >= MIN_REASON);
  const used = new Set<Justification>();
  let justified = 0;
  for (const finding of findings) {
    const code = finding.file === 'N/A' ? '' : codeAt(finding.file, finding.line);
    const direct = valid.find((j) => j.file === finding.file && j.coversLine === finding.line && j.rules.includes(finding.id));
    // Built output: the same rule justified on the same code in the sources.
    const mapped =
      direct ??
      (finding.file.startsWith('out/') && code.length > 0
        ? valid.find(
            (j) => j.rules.includes(finding.id) && !j.file.startsWith('out/') && sameCode(codeAt(j.file, j.coversLine), code),
          )
        : undefined);
    if (mapped) {
      used.add(mapped);
      justified += 1;
    } else {
      problems.push({ kind: 'unjustified', finding, code });
    }
  }
  for (const j of valid) {
    if (!used.has(j)) problems.push({ kind: 'stale', file: j.file, line: j.line, rule: j.rules.join(',') });
  }
  return { justified, problems };
}

/** Stages, scans and judges. `mutate` lets a test change the staged copy before the scan. */
export function runGate(options: {
  root?: string;
  stage: string;
  includeBuilt?: boolean;
  mutate?: (stage: string) => void;
}): GateReport {
  const root = options.root ?? ROOT;
  mkdirSync(options.stage, { recursive: true });
  const { scanned, notes } = stageInputs(root, options.stage, { includeBuilt: options.includeBuilt ?? true });
  options.mutate?.(options.stage);
  const scan = runElectronegativity(options.stage, electronVersion(root));
  const findings = [...scan.findings, ...findInsecurePreferences(options.stage)];
  const { justified, problems } = judge(options.stage, findings, scan.errors);
  return { scanned, findings, justified, problems, notes };
}

export function describeProblem(p: Problem): string {
  switch (p.kind) {
    case 'unjustified':
      return `${p.finding.id} at ${p.finding.file}:${p.finding.line} is not justified (${p.code.slice(0, 100)})`;
    case 'no-reason':
      return `${p.file}:${p.line}: electronegativity-ignore without a reason`;
    case 'stale':
      return `${p.file}:${p.line}: electronegativity-ignore ${p.rule} justifies no finding (remove it)`;
    case 'silent-disable':
      return `${p.file}:${p.line}: eng-disable hides a finding without a reason; use electronegativity-ignore RULE: reason`;
    case 'scanner-error':
      return `${p.file}: electronegativity could not parse it: ${p.message}`;
  }
}

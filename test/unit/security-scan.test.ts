// The Electron security scan gates the tests: electronegativity over src/main/electron, src/preload and the
// built main/preload; every finding needs an inline `electronegativity-ignore RULE: reason`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDir } from '../helpers/temp-dir.ts';
import {
  describeProblem,
  INSECURE_WEBPREFERENCE,
  judge,
  keepElectronModules,
  normaliseCode,
  parseJustifications,
  runGate,
} from '../security/scan-gate.ts';

describe('electronegativity security gate', () => {
  it('finds no unjustified finding in the Electron sources and the built main/preload', () => {
    const report = runGate({ stage: freshDir('tokenscope-scan-') });
    for (const note of report.notes) console.log(`security scan: ${note}`);
    expect(report.scanned).toContain('src/main/electron');
    expect(report.scanned).toContain('src/preload');
    expect(report.problems.map(describeProblem)).toEqual([]);
    // The scan really ran its checks: our justified findings (openExternal, preload, CSP grading) were reported.
    expect(report.justified).toBeGreaterThan(0);
  });

  it('fails when nodeIntegration: true is planted in a copy of the window options', () => {
    const report = runGate({
      stage: freshDir('tokenscope-scan-planted-'),
      includeBuilt: false,
      mutate: (stage) => {
        const file = join(stage, 'src/main/electron/window-security.ts');
        const text = readFileSync(file, 'utf8');
        expect(text).toContain('nodeIntegration: false,');
        writeFileSync(file, text.replace('nodeIntegration: false,', 'nodeIntegration: true,'));
      },
    });
    const ids = report.problems.flatMap((p) => (p.kind === 'unjustified' ? [p.finding.id] : []));
    // electronegativity itself lets sandbox: true excuse it; the gate's own check does not.
    expect(ids).toContain(INSECURE_WEBPREFERENCE);
  });

  it('fails on a planted window with nodeIntegration: true that electronegativity flags itself', () => {
    const report = runGate({
      stage: freshDir('tokenscope-scan-planted-'),
      includeBuilt: false,
      mutate: (stage) => {
        writeFileSync(
          join(stage, 'src/main/electron/planted-window.ts'),
          "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: true } });\n",
        );
      },
    });
    const ids = report.problems.flatMap((p) => (p.kind === 'unjustified' ? [p.finding.id] : []));
    expect(ids).toContain('NODE_INTEGRATION_JS_CHECK');
    expect(ids).toContain(INSECURE_WEBPREFERENCE);
  });

  it('fails when contextIsolation and sandbox are switched off in a copy', () => {
    const report = runGate({
      stage: freshDir('tokenscope-scan-planted-'),
      includeBuilt: false,
      mutate: (stage) => {
        const file = join(stage, 'src/main/electron/window-security.ts');
        writeFileSync(
          file,
          readFileSync(file, 'utf8')
            .replace('contextIsolation: true,', 'contextIsolation: false,')
            .replace('sandbox: true,', 'sandbox: false,'),
        );
      },
    });
    const ids = report.problems.flatMap((p) => (p.kind === 'unjustified' ? [p.finding.id] : []));
    expect(ids).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids).toContain('SANDBOX_JS_CHECK');
  });

  it('fails when the navigation and permission handlers are removed from a copy', () => {
    const report = runGate({
      stage: freshDir('tokenscope-scan-planted-'),
      includeBuilt: false,
      mutate: (stage) => {
        const file = join(stage, 'src/main/electron/window-security.ts');
        const text = readFileSync(file, 'utf8')
          .replace(/contents\.on\('will-navigate'[^\n]*\n/, '\n')
          .replace(/contents\.setWindowOpenHandler/, 'contents.setSomethingElse')
          .replace(/session\.setPermissionRequestHandler/, 'session.setSomethingElse');
        writeFileSync(file, text);
      },
    });
    const ids = report.problems.flatMap((p) => (p.kind === 'unjustified' ? [p.finding.id] : []));
    expect(ids).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
    expect(ids).toContain('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK');
  });
});

describe('justification syntax', () => {
  it('a justification covers the code line below its comment block, or its own line when trailing', () => {
    const text = [
      '// electronegativity-ignore A_CHECK: a reason long enough',
      '// more words',
      'risky();',
      'other(); // electronegativity-ignore B_CHECK, C_CHECK: trailing reason here',
    ].join('\n');
    const found = parseJustifications('f.ts', text);
    expect(found.map((j) => [j.rules, j.coversLine])).toEqual([
      [['A_CHECK'], 3],
      [['B_CHECK', 'C_CHECK'], 4],
    ]);
  });

  it('a justification without a reason, a stale one and eng-disable are problems', () => {
    const stage = freshDir('tokenscope-judge-');
    writeFileSync(
      join(stage, 'a.ts'),
      [
        '// electronegativity-ignore OPEN_EXTERNAL_JS_CHECK',
        'shell.openExternal(x);',
        '// electronegativity-ignore SANDBOX_JS_CHECK: nothing here needs this',
        'ok();',
        'foo(); /* eng-disable PRELOAD_JS_CHECK */',
      ].join('\n'),
    );
    const { problems } = judge(
      stage,
      [{ id: 'OPEN_EXTERNAL_JS_CHECK', file: 'a.ts', line: 2, severity: 'MEDIUM', confidence: 'TENTATIVE' }],
      [],
    );
    expect(problems.map((p) => p.kind).sort()).toEqual(['no-reason', 'silent-disable', 'stale', 'unjustified']);
  });

  it('an app-wide finding (no file) can never be justified', () => {
    const stage = freshDir('tokenscope-judge-');
    writeFileSync(join(stage, 'a.ts'), 'x();\n');
    const { problems } = judge(
      stage,
      [{ id: 'CSP_GLOBAL_CHECK', file: 'N/A', line: 0, severity: 'MEDIUM', confidence: 'CERTAIN' }],
      [],
    );
    expect(problems.map((p) => p.kind)).toEqual(['unjustified']);
  });

  it('only the Electron-facing modules of the main bundle are kept, line numbers unchanged', () => {
    const bundle = [
      'import { app } from "electron";',
      '// src/main/oauth/flow.ts',
      'platform.openExternal(url);',
      '// src/main/electron/app.ts',
      'shell.openExternal(url);',
      '// src/shared/bridge.ts',
      'const EVENT = 1;',
    ].join('\n');
    expect(keepElectronModules(bundle).split('\n')).toEqual([
      'import { app } from "electron";',
      '',
      '',
      '// src/main/electron/app.ts',
      'shell.openExternal(url);',
      '// src/shared/bridge.ts',
      'const EVENT = 1;',
    ]);
  });

  it('built code matches its source line regardless of quotes and whitespace', () => {
    expect(normaliseCode(`  if (verdict.ok) options.openExternal(verdict.url);`)).toBe(
      normaliseCode(`if (verdict.ok) options.openExternal(verdict.url)`),
    );
    expect(normaliseCode(`a['x'] = "y";`)).toBe(normaliseCode(`a["x"] = "y";`));
  });
});

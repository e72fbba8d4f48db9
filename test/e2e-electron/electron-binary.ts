/** Where the Electron executable is, without triggering electron's download-on-require; null when absent. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinaryPath(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const p = join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? p : null;
  }
  const dir = join(root, 'node_modules', 'electron');
  try {
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const full = join(dir, 'dist', rel);
    return rel && existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

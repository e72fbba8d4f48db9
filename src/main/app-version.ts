/** The app's name and version, read once from package.json (works from sources and from the bundle). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(start: string): { name: string; version: string } {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tokenscope' && typeof pkg.version === 'string') return { name: pkg.name, version: pkg.version };
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return { name: 'tokenscope', version: '0.0.0' };
}

export const APP = findPackageJson(dirname(fileURLToPath(import.meta.url)));

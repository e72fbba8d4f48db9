/** The app's name, version and folder, read once from package.json (works from sources and from the bundle). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(start: string): { name: string; version: string; root: string | null } {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tokenscope' && typeof pkg.version === 'string')
        return { name: pkg.name, version: pkg.version, root: dir };
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return { name: 'tokenscope', version: '0.0.0', root: null };
}

/** `root`: the checkout (the folder of package.json), from the sources and from the CLI bundle alike; null if not found. */
export const APP = findPackageJson(dirname(fileURLToPath(import.meta.url)));

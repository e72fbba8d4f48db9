// Runs once before any vitest file: the OAuth integration tests drive a real browser, so a Chromium must
// exist before the first of them starts (the same finder/installer as `npm test`'s first step).
// @ts-expect-error -- a plain .mjs script shared with npm scripts; it has no type declarations
import { ensureChromium, NO_CHROMIUM } from '../scripts/ensure-chromium.mjs';

export default async function setup(): Promise<void> {
  const found = (await ensureChromium((line: string) => process.stderr.write(`${line}\n`))) as string | null;
  if (!found) throw new Error(NO_CHROMIUM as string);
  process.env['CHROMIUM_PATH'] = found;
}

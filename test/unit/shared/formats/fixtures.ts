/** Loads the format fixtures of test/fixtures/formats (made from the doc pages in shared/seeds/). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'formats');
export const TOKEN_DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'tokens');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURE_DIR, name), 'utf8');
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

export function tokenFixture(name: string): string {
  return readFileSync(join(TOKEN_DIR, name), 'utf8').trim();
}

/** The clock the fixtures are written against: 1000 s after their tokens were issued. */
export const FIXTURE_NOW_MS = 1_700_001_000_000;
export const FIXTURE_SECRET = 'tokenscope-fixture-secret-0123456789abcdef';

/** Every number anywhere in a value is finite (JSON.stringify would hide NaN / Infinity as null). */
export function allNumbersFinite(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return false;
    if (typeof v === 'object' && v !== null) stack.push(...Object.values(v));
  }
  return true;
}

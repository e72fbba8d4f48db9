import { describe, expect, it } from 'vitest';
import { replaceNonFinite, scanJson } from '../../../../src/shared/token/json-scan.ts';

describe('scanJson', () => {
  it('finds duplicate member names with their paths, in objects inside arrays too', () => {
    const scan = scanJson('{"a":1,"a":2,"b":{"c":1,"c":2},"d":[{"e":1,"e":2}],"f\\u0022":1,"f\\"":2}');
    expect(scan.duplicates).toEqual(['a', 'b.c', 'd[].e', 'f"']);
  });

  it('does not mistake string values for member names', () => {
    expect(scanJson('{"a":"a","b":["a","a"],"c":{"x":"c"}}').duplicates).toEqual([]);
  });

  it('finds numbers that overflow to Infinity', () => {
    expect(scanJson('{"exp":1e400,"n":[-1e999],"ok":1e300}').nonFinite).toEqual(['exp', 'n[]']);
  });

  it('reads member names with escapes, and strings whose quotes or backslashes sit in values', () => {
    const text = '{"a\\\\":1,"a\\\\":2,"v":"x\\"y","w":"\\\\","w":3,"k\\u0022":1,"k\\"":2,"p":"a","p":0}';
    expect(scanJson(text).duplicates).toEqual(['a\\', 'w', 'k"', 'p']);
  });

  it('tells finite numbers from overflowing or malformed ones, however many digits', () => {
    const ok = `{"a":${'9'.repeat(300)},"b":-${'9'.repeat(299)},"c":1700000000,"d":-0.5,"e":1e308}`;
    expect(scanJson(ok).nonFinite).toEqual([]);
    const bad = `{"a":${'9'.repeat(400)},"b":-,"c":1e,"d":1-2,"e":-1e999}`;
    expect(scanJson(bad).nonFinite).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('finds duplicates among many member names', () => {
    const names = Array.from({ length: 40 }, (_, i) => `"k${String(i)}":${String(i)}`);
    expect(scanJson(`{${names.join(',')},"k3":0,"k39":0}`).duplicates).toEqual(['k3', 'k39']);
  });

  it('stops early past the depth limit', () => {
    const scan = scanJson('['.repeat(100_000), 64);
    expect(scan.tooDeep).toBe(true);
    expect(scan.maxDepth).toBe(65);
  });

  it('replaceNonFinite keeps __proto__ as data and touches no prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1e400},"list":[1e400,2]}') as unknown;
    const clean = replaceNonFinite(parsed) as Record<string, unknown>;
    expect(Object.hasOwn(clean, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
    expect(JSON.stringify(clean)).toBe('{"__proto__":{"x":null},"list":[null,2]}');
  });
});

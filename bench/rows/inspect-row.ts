/**
 * inspect: the token domain's inspectText on a JWT against jose's bare decoding of the same JWT. Measured: the
 * inspection as history, verify and convert get it (decoding, detection, claim explanations, findings). Not
 * measured: the six-format comparison table, which inspectText builds only when asked (`{ comparison: true }`:
 * the API's `inspect` for the inspect screen, and the CLI report).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { inspectText } from '../../src/shared/token/inspect.ts';
import { generateToken } from '../fixtures.ts';
import { interleaved, msPerCall } from '../measure.ts';
import { measuredResult, type BenchResult } from '../report.ts';

export async function benchInspect(calls: number, rounds: number): Promise<BenchResult> {
  const nowMs = Date.now();
  const jwts: string[] = [];
  for (let i = 0; jwts.length < 200; i++) {
    const t = generateToken(11, i, nowMs);
    if (t.kind !== 'refresh_token') jwts.push(t.value);
  }
  let sink = 0;
  let k = 0;
  const next = (): string => jwts[k++ % jwts.length] ?? '';
  const ours = (): number =>
    msPerCall(() => {
      sink += inspectText(next()).findings.length;
    }, calls) * 1000;
  const baseline = (): number =>
    msPerCall(() => {
      const jwt = next();
      const payload = decodeJwt(jwt);
      const header = decodeProtectedHeader(jwt);
      sink += Object.keys(payload).length + Object.keys(header).length;
    }, calls) * 1000;
  // Warm up both (JIT) before measuring.
  ours();
  baseline();
  const r = await interleaved(rounds, ours, baseline);
  return measuredResult(
    'inspect',
    r.ours,
    r.baseline,
    `${String(calls)} calls per round over 200 RS256 access/ID tokens, without the format comparison (built only on request), median of ${String(rounds)} rounds${sink < 0 ? '' : ''}`,
  );
}

/**
 * Grant lineage through the contract with the real demo issuer: a login and two refreshes are three issuances; each
 * token's canonical record pairs the tokens of its own issuance, and Compare (canonicalRecord), Diff (the contract and
 * `tokenscope diff`) and Export agree; a refresh is told as it happened.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../../helpers/chromium.ts';
import { io } from '../../helpers/cli-io.ts';
import { signInWithBrowser } from '../../helpers/oidc-provider.ts';
import { testPlatform, type TestPlatform } from '../../helpers/test-platform.ts';
import { main } from '../../../src/cli/main.ts';
import { fromCanonical } from '../../../src/main/history/format-bridge.ts';
import { createServices } from '../../../src/main/services.ts';
import type { TokenscopeBackend, TokenscopeEvent } from '../../../src/shared/api.ts';
import type { HistoryDiff } from '../../../src/shared/issuance.ts';
import type { GrantResult } from '../../../src/shared/oauth.ts';
import type { Result } from '../../../src/shared/result.ts';

let browser: Browser;
let platform: TestPlatform;
let backend: TokenscopeBackend;
const events: TokenscopeEvent[] = [];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function idOf(result: GrantResult, kind: string): string {
  const t = result.tokens.find((x) => x.kind === kind);
  if (!t) throw new Error(`no ${kind} in the response`);
  return t.id;
}

let login: GrantResult;
let refresh1: GrantResult;
let refresh2: GrantResult;

beforeAll(async () => {
  browser = await launchChromium();
  platform = testPlatform();
  backend = await createServices(platform);
  backend.onEvent((e) => events.push(e));
  const { profileId } = value(await backend.ensureDemoIssuer());
  const start = value(await backend.startLogin({ profileId }));
  const context = await browser.newContext();
  await blockNonLoopback(context);
  const page = await context.newPage();
  await signInWithBrowser(page, start.authorizationUrl, 'carol');
  await page.waitForSelector('[data-result="ok"]');
  await context.close();
  for (let i = 0; i < 100 && value(await backend.getFlow({ flowId: start.flowId })).result === undefined; i++)
    await new Promise((r) => setTimeout(r, 50));
  login = value(await backend.getFlow({ flowId: start.flowId })).result!;
  refresh1 = value(await backend.refreshToken({ tokenId: idOf(login, 'access_token') }));
  // An ID token's times are whole seconds: two refreshes in one second get the very same ID token back.
  await new Promise((r) => setTimeout(r, 1100));
  refresh2 = value(await backend.refreshToken({ tokenId: idOf(refresh1, 'access_token') }));
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await browser?.close();
});

describe('issuances of a login and two refreshes (demo issuer)', () => {
  it('records each token response as an issuance: login, refresh 1, refresh 2, with the tokens that came together', async () => {
    const lineage = value(await backend.grantLineage({ grantId: login.grantId }));
    expect(lineage.issuances.map((i) => i.label)).toEqual(['login', 'refresh 1', 'refresh 2']);
    expect(lineage.issuances.map((i) => i.tokens.map((t) => t.id).sort())).toEqual(
      [login, refresh1, refresh2].map((r) => r.tokens.map((t) => t.id).sort()),
    );
    expect(lineage.unknown).toEqual([]);
    // Replaced tokens point at what replaced them; the current token of each kind is the newest.
    const [first, second] = lineage.issuances;
    const rt1 = first?.tokens.find((t) => t.kind === 'refresh_token');
    expect(rt1?.replacedBy).toBe(idOf(refresh1, 'refresh_token'));
    expect(rt1?.status).toBe('superseded');
    expect(second?.tokens.find((t) => t.kind === 'id_token')?.replacedBy).toBe(idOf(refresh2, 'id_token'));
    const current = lineage.issuances.flatMap((i) => i.tokens).filter((t) => t.current);
    expect(current.map((t) => t.id).sort()).toEqual(refresh2.tokens.map((t) => t.id).sort());
    expect(events.some((e) => e.type === 'grant-changed' && e.grantId === login.grantId)).toBe(true);
  });

  it("the FIRST access token's canonical record pairs the first refresh and ID token, not the grant's newest", async () => {
    const at1 = idOf(login, 'access_token');
    const c = value(await backend.canonicalRecord({ tokenId: at1 }));
    expect(c.issuanceText).toBe('login');
    expect([...c.tokenIds].sort()).toEqual(login.tokens.map((t) => t.id).sort());
    const newest = value(await backend.canonicalRecord({ tokenId: idOf(refresh2, 'access_token') }));
    expect(newest.issuanceText).toBe('refresh 2');
    expect(c.record.refreshToken).toBeDefined();
    expect(c.record.idToken).toBeDefined();
    expect(c.record.refreshToken).not.toBe(newest.record.refreshToken);
    expect(c.record.idToken).not.toBe(newest.record.idToken);
    // Its own refresh token has the same record (one issuance, one record).
    expect(value(await backend.canonicalRecord({ tokenId: idOf(login, 'refresh_token') })).record).toEqual(c.record);
    // The back end's summary per format, from the mapping: Authlete holds hashes, never the values.
    const authlete = c.formats.find((f) => f.format === 'authlete.AccessToken');
    expect(authlete?.cannotHold).toEqual(expect.arrayContaining(['ID token']));
    expect(authlete?.line).toMatch(/cannot hold: .*the ID token/);
    expect(c.comparison.rows.some((r) => r.concept === 'idToken')).toBe(true);
  });

  it('Export writes the same three records as Compare shows', async () => {
    const ids = [login, refresh1, refresh2].map((r) => idOf(r, 'access_token'));
    const records = await Promise.all(ids.map(async (id) => value(await backend.canonicalRecord({ tokenId: id })).record));
    const format = 'rfc6749.TokenResponse';
    const exported = value(await backend.exportTokens({ format, redact: 'masked', filter: { grantId: login.grantId } }));
    const written = JSON.parse(readFileSync(exported.path, 'utf8')) as unknown[];
    expect(written).toEqual(records.map((r) => fromCanonical(r, format).output));
  });

  it('the refresh result tells what changed, in words: the rotated refresh token and the new ID token', () => {
    const d = refresh2.refreshDiff;
    expect(d?.before.label).toBe('refresh 1');
    expect(d?.after.label).toBe('refresh 2');
    const changes = Object.fromEntries(d?.diff.entries.map((e) => [e.concept, e.change]) ?? []);
    expect(changes).toMatchObject({ accessToken: 'rotated', refreshToken: 'rotated', idToken: 'rotated' });
    expect(d?.lines).toEqual(
      expect.arrayContaining([
        'A new access token arrived.',
        'The refresh token was rotated: a new one replaces the old.',
        'A new ID token arrived.',
      ]),
    );
    expect(d?.lines.some((l) => l.startsWith('Scopes unchanged: '))).toBe(true);
    expect(d?.replaced.map((r) => r.kind).sort()).toEqual(['access_token', 'id_token', 'refresh_token']);
    // No value leaves in clear.
    expect(JSON.stringify(d)).not.toMatch(/eyJ[\w-]{20,}\.[\w-]{20,}\./);
  });

  it('Diff of refresh 1 → 2 (contract and `tokenscope diff`) lists the rotated refresh token and new ID token', async () => {
    const a = idOf(refresh1, 'access_token');
    const b = idOf(refresh2, 'access_token');
    const viaContract = value(await backend.diffHistoryTokens({ a, b }));
    expect(viaContract.a.issuance).toBe('refresh 1');
    const rotated = viaContract.diff.entries.filter((e) => e.change === 'rotated').map((e) => e.concept);
    expect(rotated).toEqual(expect.arrayContaining(['refreshToken', 'idToken']));
    expect(viaContract.diff.unchanged).not.toContain('refreshToken');
    expect(value(await backend.issuanceDiff({ tokenId: b }))?.diff).toEqual(refresh2.refreshDiff?.diff);
    // The CLI shows the same diff from the same history.
    await backend.close();
    const cli = io({ TOKENSCOPE_DATA_DIR: platform.dataDir });
    expect(await main(['diff', a, b, '--json'], cli)).toBe(0);
    const viaCli = JSON.parse(cli.out()) as HistoryDiff;
    expect(viaCli.diff).toEqual(viaContract.diff);
    const text = io({ TOKENSCOPE_DATA_DIR: platform.dataDir });
    expect(await main(['diff', a, b], text)).toBe(0);
    expect(text.out()).toContain('(refresh 1)');
    expect(text.out()).toMatch(/rotated\s+Refresh token rotated|rotated\s+refresh token rotated/i);
  });
});

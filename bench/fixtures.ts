/**
 * Deterministic token histories for the benchmarks: realistic JWT access / ID tokens and opaque refresh
 * tokens, and seeded data dirs built through the store's own insert path in big transactions.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodePlatform } from '../src/main/node-platform.ts';
import { openStore, type Store } from '../src/main/store/index.ts';
import type { TokenKind } from '../src/shared/model.ts';
import { normalizeProfileSettings } from '../src/shared/profile.ts';

/** mulberry32: small, fast and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ISSUERS = [
  'https://login.example.com',
  'https://auth.acme.test/realms/prod',
  'https://idp.contoso.test/v2.0',
  'https://accounts.demo.test',
  'https://sso.internal.test/oauth2/default',
];
const CLIENTS = Array.from({ length: 20 }, (_, i) => `client-${(i * 7919).toString(36)}-app`);
const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'api:read', 'api:write', 'orders:read', 'orders:write', 'admin'];
const SUBJECTS = 50_000;
const DAY = 86_400_000;
/** Every seeded history ends here, so active tokens stay active for years whatever the clock says. */
const FAR_FUTURE_S = Math.floor(Date.UTC(2040, 0, 1) / 1000);

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The subject of user number n: a UUID-shaped id, as most issuers hand out. */
export function subjectOf(n: number): string {
  const h = createHash('sha1')
    .update(`subject-${String(n)}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface GeneratedToken {
  readonly value: string;
  readonly kind: TokenKind;
  readonly subject: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  /** For a few: revoked (the rest follows from the expiry). */
  readonly revoked: boolean;
}

/**
 * Token number `i` of history `seed`: 60 % JWT access tokens (RFC 9068 shape), 20 % ID tokens, 20 % opaque
 * refresh tokens; a quarter still active, a few revoked, the rest expired; issued over the last two years.
 */
export function generateToken(seed: number, i: number, nowMs: number): GeneratedToken {
  const rnd = prng(seed * 1_000_003 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const roll = rnd();
  const kind: TokenKind = roll < 0.6 ? 'access_token' : roll < 0.8 ? 'id_token' : 'refresh_token';
  const issuer = pick(ISSUERS);
  const clientId = pick(CLIENTS);
  const subject = subjectOf(Math.floor(rnd() * SUBJECTS));
  const scopes = ['openid', ...SCOPES.slice(1).filter(() => rnd() < 0.35)];
  const iat = Math.floor((nowMs - rnd() * 730 * DAY) / 1000);
  const active = rnd() < 0.25;
  const exp = active ? FAR_FUTURE_S - Math.floor(rnd() * 1000) : iat + 3600;
  const revoked = rnd() < 0.03;
  const jti = `${seed.toString(36)}-${i.toString(36)}-${Math.floor(rnd() * 2 ** 32).toString(36)}`;
  const signature = Buffer.alloc(256);
  for (let k = 0; k < 256; k += 4) signature.writeUInt32LE(Math.floor(rnd() * 2 ** 32), k);
  let value: string;
  if (kind === 'refresh_token') {
    value = `rt_${Buffer.from(jti).toString('base64url')}${signature.subarray(0, 24).toString('base64url')}`;
  } else {
    const header = { alg: 'RS256', typ: kind === 'access_token' ? 'at+jwt' : 'JWT', kid: `key-${String(Math.floor(rnd() * 4))}` };
    const payload: Record<string, unknown> =
      kind === 'access_token'
        ? {
            iss: issuer,
            sub: subject,
            aud: 'https://api.example.com',
            client_id: clientId,
            scope: scopes.join(' '),
            iat,
            exp,
            jti,
            auth_time: iat - 30,
          }
        : {
            iss: issuer,
            sub: subject,
            aud: clientId,
            azp: clientId,
            iat,
            exp,
            jti,
            nonce: jti.slice(-8),
            email: `user${subject.slice(0, 6)}@example.com`,
            email_verified: true,
            name: `User ${subject.slice(0, 6)}`,
          };
    value = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${signature.toString('base64url')}`;
  }
  return { value, kind, subject, issuer, clientId, scopes, issuedAtMs: iat * 1000, expiresAtMs: exp * 1000, revoked };
}

/** The Platform a seeded data dir is opened with (a key file in the dir, so `serve` can open it too). */
export function benchPlatform(
  dataDir: string,
  openExternal?: (url: string) => Promise<void>,
): ReturnType<typeof createNodePlatform> {
  return createNodePlatform({ mode: 'cli', dataDir, env: {}, ...(openExternal ? { openExternal } : {}) });
}

/** Saves one generated token the way a flow does: the token plus its `obtained` event (and its profile, when given). */
export function saveGenerated(store: Store, t: GeneratedToken, profileId?: string): string {
  const { id, created } = store.saveToken({
    value: t.value,
    kind: t.kind,
    format: 'rfc6749.TokenResponse',
    source: 'authorization_code',
    ...(profileId !== undefined ? { profileId } : {}),
    ...(t.kind === 'refresh_token'
      ? {
          issuer: t.issuer,
          subject: t.subject,
          clientId: t.clientId,
          scopes: t.scopes,
          issuedAtMs: t.issuedAtMs,
          expiresAtMs: t.expiresAtMs,
        }
      : {}),
    ...(t.revoked ? { status: 'revoked' as const } : {}),
  });
  if (created) store.addEvent({ tokenId: id, type: 'obtained', detail: { kind: t.kind, source: 'authorization_code' } });
  return id;
}

/**
 * The profiles of a seeded history, saved through the store: names whose words no token's claims carry, so a
 * search for one finds that profile's tokens only.
 */
export const BENCH_PROFILE_NAMES = [
  'Payments sandbox',
  'Mobile beta',
  'Partner portal',
  'Support desk',
  'Warehouse staging',
  'Analytics nightly',
  'Kiosk fleet',
  'Checkout canary',
] as const;

/** Which profile token `i` of history `seed` belongs to (an index into BENCH_PROFILE_NAMES), or none for one in ten. */
export function profileIndexOf(seed: number, i: number): number | null {
  const r = prng(seed * 7_000_003 + i + 17)();
  return r < 0.1 ? null : Math.floor(((r - 0.1) / 0.9) * BENCH_PROFILE_NAMES.length) % BENCH_PROFILE_NAMES.length;
}

/**
 * The bench's own plaintext copy of what a search could match, written into the fixture file beside the store's
 * tables (never by the product, which keeps no plaintext claims): the decoded claims of each token and its
 * profile's name, by the token's seq. The baseline of store.search.claims is a LIKE scan of it.
 */
export const SHADOW_TABLE = 'bench_claims';

/** A JWT's payload as the JSON text it decodes to; '' for an opaque token. */
export function claimsText(value: string): string {
  const parts = value.split('.');
  return parts.length === 3 ? Buffer.from(parts[1] ?? '', 'base64url').toString('utf8') : '';
}

/**
 * Opens and closes the history once through the store, the way the app does on its first launch after
 * the history grew (its own maintenance, e.g. planner statistics): the measured rows then see the file as
 * a user's app leaves it. Returns how long that first open took.
 */
export async function firstOpen(dataDir: string): Promise<number> {
  const t0 = performance.now();
  const store = await openStore(benchPlatform(dataDir));
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  return seconds;
}

export interface SeedInfo {
  readonly dataDir: string;
  readonly count: number;
  /** How many of them went through Store.saveToken (the rest are SQL copies of those rows). */
  readonly unique: number;
  readonly seed: number;
  readonly seconds: number;
  /** The first open through the store after seeding (not part of `seconds`). */
  readonly firstOpenSeconds: number;
  readonly reused: boolean;
}

const SEED_MARK = 'bench-seed.json';

/** Bumped when what a seeded history holds changes, so a kept (`--keep`) one of an older layout is seeded again. */
const FIXTURE_VERSION = 2;

interface SeedMark {
  version?: number;
  count?: number;
  unique?: number;
  seed?: number;
  firstOpenSeconds?: number;
}

function readMark(dataDir: string): SeedMark | null {
  const mark = join(dataDir, SEED_MARK);
  if (!existsSync(mark)) return null;
  return JSON.parse(readFileSync(mark, 'utf8')) as SeedMark;
}

/**
 * A data dir holding `count` tokens, built through Store.saveToken + addEvent in transactions of 20,000
 * (a large page cache and synchronous=OFF while seeding: the file is a fixture, the measured rows open it
 * afresh with the store's own settings). With `reuse`, a dir already seeded the same way is kept.
 */
export async function seedHistory(
  dataDir: string,
  count: number,
  seed: number,
  options: { reuse?: boolean; log?: (line: string) => void } = {},
): Promise<SeedInfo> {
  const prev = options.reuse ? readMark(dataDir) : null;
  if (prev && prev.version === FIXTURE_VERSION && prev.count === count && prev.unique === count && prev.seed === seed)
    return { dataDir, count, unique: count, seed, seconds: 0, firstOpenSeconds: prev.firstOpenSeconds ?? 0, reused: true };
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const nowMs = Date.now();
  const store = await openStore(benchPlatform(dataDir));
  try {
    store.db.pragma('cache_size = -262144');
    store.db.pragma('synchronous = OFF');
    const profileIds = BENCH_PROFILE_NAMES.map((name, k) => {
      const { settings } = normalizeProfileSettings({
        issuer: ISSUERS[k % ISSUERS.length] ?? '',
        clientId: CLIENTS[k] ?? '',
      });
      return store.saveProfile({ name, settings: settings as unknown as Record<string, unknown>, secrets: {} });
    });

    store.db.exec(`CREATE TABLE ${SHADOW_TABLE} (seq INTEGER PRIMARY KEY, claims_text TEXT NOT NULL, profile_name TEXT)`);
    const shadow = store.db.prepare(
      `INSERT INTO ${SHADOW_TABLE} (seq, claims_text, profile_name) SELECT seq, ?, ? FROM tokens WHERE id = ?`,
    );
    const batch = 20_000;
    for (let from = 0; from < count; from += batch) {
      const to = Math.min(count, from + batch);
      store.write(() => {
        for (let i = from; i < to; i++) {
          const t = generateToken(seed, i, nowMs);
          const p = profileIndexOf(seed, i);
          const id = saveGenerated(store, t, p === null ? undefined : profileIds[p]);
          shadow.run(claimsText(t.value), p === null ? null : BENCH_PROFILE_NAMES[p], id);
        }
      });
      options.log?.(
        `  seeded ${String(to)} / ${String(count)} through the store (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const firstOpenSeconds = await firstOpen(dataDir);
  writeFileSync(
    join(dataDir, SEED_MARK),
    JSON.stringify({ version: FIXTURE_VERSION, count, unique: count, seed, firstOpenSeconds, at: new Date().toISOString() }),
  );
  return { dataDir, count, unique: count, seed, seconds, firstOpenSeconds, reused: false };
}

/**
 * The big history: `count` tokens saved one by one through Store.saveToken, like `seedHistory` (the first ones are
 * the tokens of `sourceDir`'s seed, the rest continue its sequence), so every row's value decrypts and every
 * index entry is the store's own. Kept as its own step so a run says how long the million took.
 */
export async function amplifyHistory(
  sourceDir: string,
  dataDir: string,
  count: number,
  options: { reuse?: boolean; log?: (line: string) => void } = {},
): Promise<SeedInfo> {
  const source = readMark(sourceDir);
  if (!source?.count || source.seed === undefined) throw new Error(`${sourceDir} is not a seeded history`);
  return seedHistory(dataDir, count, source.seed, options);
}

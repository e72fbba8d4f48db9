// @vitest-environment jsdom
/**
 * Screens against a fake back end behind `window.tokenscope` (the desktop bridge's place): a weak key is
 * announced, and a raw token stays out of the DOM until the user reveals it.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokenActionsAvailability, TokenDetailView } from '../../../src/shared/model.ts';
import type { Result } from '../../../src/shared/result.ts';
import { isApiMethod } from '../../../src/shared/api.ts';

const SECRET = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.very-secret-signature-value';
const NOW = Date.now();

const yes = { available: true, reason: null };
const actions: TokenActionsAvailability = {
  refresh: yes,
  getNewToken: { available: false, reason: 'only a client-credentials token is re-obtained this way' },
  revoke: yes,
  introspect: yes,
  userinfo: yes,
  verify: yes,
  callApi: yes,
  attachProfile: { available: false, reason: 'obtained through the profile "p"' },
  exchange: yes,
};

const detail: TokenDetailView = {
  actions,
  profile: { id: 'p', name: 'p' },
  summary: {
    id: 'tok-1',
    kind: 'access_token',
    format: 'jwt',
    issuer: 'https://issuer.test',
    subject: 'user-1',
    clientId: 'client-1',
    scopes: ['openid'],
    issuedAtMs: NOW - 60_000,
    expiresAtMs: NOW + 3_600_000,
    status: 'active',
    grantId: null,
    profileId: null,
    createdAtMs: NOW - 60_000,
    preview: 'eyJhbG…lue',
  },
  jti: null,
  source: 'pasted',
  hash: 'ab'.repeat(32),
  header: { alg: 'RS256' },
  claims: { sub: 'user-1', exp: Math.floor((NOW + 3_600_000) / 1000) },
  readable: true,
  updatedAtMs: NOW,
  events: [],
};

/** A JWT access token whose signature the back end checked against the issuer's JWKS when it was obtained. */
const checkedDetail: TokenDetailView = {
  ...detail,
  summary: { ...detail.summary, id: 'tok-jwt' },
  events: [
    {
      id: 'ev-1',
      tokenId: 'tok-jwt',
      grantId: null,
      type: 'obtained',
      atMs: NOW - 60_000,
      detail: {
        grantType: 'authorization_code',
        source: 'authorization_code',
        kind: 'access_token',
        verification: {
          signature: 'verified',
          keySource: 'issuer JWKS',
          jwksUri: 'https://issuer.test/jwks',
          alg: 'RS256',
          kid: 'k1',
          findings: [],
        },
      },
    },
  ],
};

const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
let revealCalls = 0;
/** What the fake back end reports about protection; setProtection changes it like the real one. */
let protection: { protection: 'weak' | 'session'; choiceNeeded: boolean } = { protection: 'weak', choiceNeeded: false };
const protectionCalls: unknown[] = [];
const storageStatus = () => ({
  keyBackend: 'key-file (safeStorage: basic_text)',
  keyProtection: 'key-file',
  unreadableCount: 2,
  tokenCount: 1,
  schemaVersion: 2,
  sqliteVersion: '3.51.3',
  databasePath: '/data/tokenscope.db',
  diskKeyBackend: 'key-file (safeStorage: basic_text)',
  passphraseChange: { available: false, says: 'no passphrase protects this history' },
  ...protection,
  protectionName:
    protection.protection === 'weak'
      ? {
          kind: 'key-file',
          label: 'key file on the same disk (weak)',
          summary: 'KEY FILE SUMMARY from the back end.',
          weak: true,
        }
      : { kind: 'memory', label: 'memory only', summary: 'MEMORY SUMMARY from the back end.', weak: false },
});

beforeAll(() => {
  const fake: Record<string, unknown> = {
    onEvent: () => () => undefined,
    appInfo: () =>
      ok({
        name: 'Tokenscope',
        version: '0',
        mode: 'electron',
        dataDir: '/data',
        nodeVersion: '24',
        sqliteVersion: '3.51.3',
        tokenCount: 1,
      }),
    storageStatus: () => ok(storageStatus()),
    setProtection: (request: { choice: 'weak' | 'session' }) => {
      protectionCalls.push(request);
      protection = { protection: request.choice, choiceNeeded: false };
      return ok({ status: storageStatus(), carriedOver: 0, wipedFromDisk: 0 });
    },
    getToken: (id: string) => ok(id === 'tok-jwt' ? checkedDetail : detail),
    // A search that matched more tokens than the back end counts: its counts are lower bounds (`capped`).
    listTokens: (q: { text?: string }) =>
      ok({
        items: [detail.summary],
        nextCursor: null,
        counts:
          q.text === undefined
            ? { active: 1, expired: 0, revoked: 0, inactive: 0, superseded: 0, unreadable: 0, unknown: 0, total: 1 }
            : {
                active: 4000,
                expired: 1001,
                revoked: 0,
                inactive: 0,
                superseded: 0,
                unreadable: 0,
                unknown: 0,
                total: 5001,
                capped: true,
              },
      }),
    revealToken: () => {
      revealCalls += 1;
      return ok({ id: 'tok-1', value: SECRET });
    },
    getGrant: () => Promise.resolve({ ok: false, error: { code: 'ERR_NOT_FOUND', message: 'no grant' } }),
    tokenBinding: () => Promise.resolve({ ok: false, error: { code: 'ERR_NOT_FOUND', message: 'no binding recorded' } }),
  };
  // A contract method this fake does not define answers with a typed error (as a back end without it would), not
  // with "is not a function" from a panel's timer after its test has ended.
  const unsupported = (method: string) => () =>
    Promise.resolve({ ok: false, error: { code: 'ERR_NOT_SUPPORTED', message: `${method}: not in this fake back end` } });
  (window as unknown as { tokenscope: unknown }).tokenscope = new Proxy(fake, {
    get: (target, key) => (isApiMethod(key) && !(key in target) ? unsupported(key) : target[key as string]),
  });
});
afterEach(cleanup);

describe('token list counts', () => {
  it('shows a count the back end capped as a lower bound ("5001+"), an exact one as it is', async () => {
    const { TokenList } = await import('../../../src/renderer/src/features/token-list/TokenList.tsx');
    render(<TokenList />);
    await waitFor(() => expect(screen.getByTestId('filter-all').textContent).toBe('All1'));
    fireEvent.change(screen.getByRole('searchbox', { hidden: true }), { target: { value: 'example' } });
    await waitFor(() => expect(screen.getByTestId('filter-all').textContent).toBe('All5001+'), { timeout: 3000 });
    expect(screen.getByTestId('filter-active').textContent).toBe('Active4000+');
    expect(screen.getByTestId('filter-revoked').textContent).toBe('Revoked0+');
  });
});

describe('settings', () => {
  it('warns clearly when secrets are stored with weak protection, and counts unreadable tokens', async () => {
    const { SettingsPanel } = await import('../../../src/renderer/src/features/settings/SettingsPanel.tsx');
    render(<SettingsPanel />);
    protection = { protection: 'weak', choiceNeeded: false };
    const settings = await screen.findByTestId('protection-settings');
    // Settings says what the back end says, once: its label and sentence, nothing of its own about the key.
    expect(settings.textContent).toContain('Protection: key file on the same disk (weak). KEY FILE SUMMARY from the back end.');
    expect(settings.getAttribute('data-protection')).toBe('key-file');
    expect(screen.getByTestId('storage-status').textContent).not.toMatch(/protected by the system|Protected\./);
    expect(screen.getByTestId('storage-status').textContent).toContain('safeStorage: basic_text');
    // The current choice cannot be chosen again; the other one can.
    expect(screen.getByTestId<HTMLButtonElement>('protection-weak').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('protection-session').disabled).toBe(false);
    expect(screen.getByTestId('storage-status').textContent).toMatch(/2 tokens cannot be decrypted/);
  });
});

describe('weak-protection choice', () => {
  it('asks before anything is stored, sends the choice, and goes away once chosen', async () => {
    protection = { protection: 'session', choiceNeeded: true };
    protectionCalls.length = 0;
    const { ProtectionPrompt } = await import('../../../src/renderer/src/features/settings/ProtectionChoice.tsx');
    render(<ProtectionPrompt />);
    const prompt = await screen.findByTestId('protection-prompt');
    expect(prompt.textContent).toMatch(/No secure keychain/);
    expect(prompt.textContent).toMatch(/Until you choose, tokens are kept in memory for this session only/);
    await act(async () => {
      fireEvent.click(screen.getByTestId('protection-session'));
      await Promise.resolve();
    });
    expect(protectionCalls).toEqual([{ choice: 'session' }]);
    await waitFor(() => expect(screen.queryByTestId('protection-prompt')).toBeNull());
  });

  it('shows nothing when the choice is already made', async () => {
    protection = { protection: 'weak', choiceNeeded: false };
    const { ProtectionPrompt } = await import('../../../src/renderer/src/features/settings/ProtectionChoice.tsx');
    const { container } = render(<ProtectionPrompt />);
    // Let the status call resolve (the prompt is empty while loading too).
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(container.innerHTML).toBe('');
  });
});

describe('token detail', () => {
  it('shows the signature check made when the token was obtained, and the event in words, not JSON', async () => {
    const { TokenDetail: Detail } = await import('../../../src/renderer/src/features/token-detail/TokenDetail.tsx');
    render(<Detail id="tok-jwt" />);
    const badge = await screen.findByTestId('signature-badge');
    expect(badge.getAttribute('data-state')).toBe('verified');
    expect(badge.textContent).toContain('issuer JWKS, checked when obtained');
    const events = screen.getByTestId('events');
    expect(events.textContent).toContain('signature RS256: verified against issuer JWKS');
    expect(events.textContent).not.toContain('{');
  });

  it('without a recorded check a signed JWT is unverified until the user verifies it', async () => {
    const { TokenDetail: Detail } = await import('../../../src/renderer/src/features/token-detail/TokenDetail.tsx');
    render(<Detail id="tok-1" />);
    expect((await screen.findByTestId('signature-badge')).getAttribute('data-state')).toBe('unverified');
  });

  it('keeps the raw token out of the DOM until Reveal, and hides it again', async () => {
    const { TokenDetail: Detail } = await import('../../../src/renderer/src/features/token-detail/TokenDetail.tsx');
    render(<Detail id="tok-1" />);
    await screen.findByTestId('secret-value');
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain('very-secret-signature-value');
    expect(revealCalls).toBe(0);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
      await Promise.resolve();
    });
    await waitFor(() => expect(screen.getByTestId('secret-value').textContent).toBe(SECRET));
    fireEvent.click(screen.getByRole('button', { name: 'Hide' }));
    expect(document.body.innerHTML).not.toContain(SECRET);
  });
});

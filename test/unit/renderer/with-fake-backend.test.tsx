// @vitest-environment jsdom
/**
 * Screens against a fake back end behind `window.tokenscope` (the desktop bridge's place): a weak key is
 * announced, and a raw token stays out of the DOM until the user reveals it.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TokenDetail } from '../../../src/shared/model.ts';
import type { Result } from '../../../src/shared/result.ts';

const SECRET = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.very-secret-signature-value';
const NOW = Date.now();

const detail: TokenDetail = {
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

const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
let revealCalls = 0;

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
    storageStatus: () =>
      ok({
        keyBackend: 'safeStorage:basic_text',
        strong: false,
        unreadableCount: 2,
        tokenCount: 1,
        schemaVersion: 2,
        sqliteVersion: '3.51.3',
        databasePath: '/data/tokenscope.db',
      }),
    getToken: () => ok(detail),
    revealToken: () => {
      revealCalls += 1;
      return ok({ id: 'tok-1', value: SECRET });
    },
    getGrant: () => Promise.resolve({ ok: false, error: { code: 'ERR_NOT_FOUND', message: 'no grant' } }),
  };
  (window as unknown as { tokenscope: unknown }).tokenscope = fake;
});
afterEach(cleanup);

describe('settings', () => {
  it('warns clearly when secrets are stored with weak protection, and counts unreadable tokens', async () => {
    const { SettingsPanel } = await import('../../../src/renderer/src/features/settings/SettingsPanel.tsx');
    render(<SettingsPanel />);
    const warning = await screen.findByTestId('weak-protection');
    expect(warning.textContent).toMatch(/Weak protection/);
    expect(screen.getByTestId('storage-status').textContent).toContain('safeStorage:basic_text');
    expect(screen.getByTestId('storage-status').textContent).toMatch(/2 tokens cannot be decrypted/);
  });
});

describe('token detail', () => {
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

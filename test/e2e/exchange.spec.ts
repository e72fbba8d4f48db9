/**
 * Token exchange (RFC 8693) in the served UI with the demo issuer: a login's access token exchanged from its detail
 * for the demo backend; the new token appears with its own issuance ("token exchange"), linked to the subject, and the
 * issued_token_type in words.
 */
import { expect, test, type Page } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, expectAccessibleInBothThemes, go, servedPage } from './support.ts';

const BACKEND = 'urn:tokenscope:demo-backend';
const ISSUED = 'an access token (urn:ietf:params:oauth:token-type:access_token)';

let app: ServedApp;
let page: Page;

servedPage({ viewport: { width: 1400, height: 900 }, demoLogin: true }, (served) => {
  ({ app, page } = served);
});

async function shootSizes(name: string): Promise<void> {
  for (const [w, h] of [
    [900, 700],
    [1400, 900],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.screenshot({
        path: `docs/screenshots/${name}-${String(w)}x${String(h)}${scheme === 'dark' ? '-dark' : ''}.png`,
      });
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

test("Exchange… on a login's access token: the new token joins the history with its issuance and issued_token_type", async () => {
  await go(page, app, '#/tokens');
  await page.locator('[data-testid="token-row"][data-kind="access_token"]').first().click();
  const subjectId = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  await page.getByTestId('action-exchange').click();
  const dialog = page.getByTestId('exchange-dialog');
  await expect(dialog).toBeVisible();
  const submit = dialog.getByRole('button', { name: 'Exchange', exact: true });
  // Nothing to send before the new token's target is named.
  await expect(submit).toBeDisabled();
  await dialog.getByLabel('Resource (RFC 8707)').fill(BACKEND);
  await expectAccessibleInBothThemes(page, 'the exchange dialog');
  await shootSizes('token-exchange-dialog');
  await submit.click();
  const result = dialog.getByTestId('exchange-result');
  await expect(result.getByTestId('exchange-issued-type')).toHaveText(ISSUED);
  await shootSizes('token-exchange-result');
  await result.getByTestId('exchanged-token').click();
  await expect(page.locator('#detail-title')).toContainText('Access token');
  const newId = decodeURIComponent(page.url().split('#/tokens/')[1] ?? '');
  expect(newId).not.toBe(subjectId);

  // Its own grant and issuance, linked to the subject, with the issued token type.
  const lineage = page.getByTestId('related-tokens');
  await expect(lineage.getByTestId('lineage-issuance')).toHaveCount(1);
  await expect(lineage.getByTestId('lineage-issuance')).toHaveAttribute('data-issuance', 'token exchange');
  await expect(lineage.getByTestId('lineage-exchange').getByTestId('exchange-issued-type')).toHaveText(ISSUED);
  await expect(page.getByText(BACKEND).first()).toBeVisible();
  await expectAccessible(page, 'an exchanged token');
  // Refresh cannot work here (an exchanged token has no refresh token): disabled, and it looks it (no accent fill).
  const refresh = page.getByTestId('action-refresh');
  await expect(refresh).toBeDisabled();
  // Evaluated in the page (a string: this file is typed without the DOM).
  const look = await page.evaluate<{ background: string; border: string; accent: string; neutral: string }>(`(() => {
    const probe = document.createElement('span');
    document.body.append(probe);
    probe.style.background = 'var(--accent)';
    const accent = getComputedStyle(probe).backgroundColor;
    probe.style.background = 'var(--surface-2)';
    const neutral = getComputedStyle(probe).backgroundColor;
    probe.remove();
    const css = getComputedStyle(document.querySelector('[data-testid="action-refresh"]'));
    return { background: css.backgroundColor, border: css.borderTopStyle, accent, neutral };
  })()`);
  expect(look.background).not.toBe(look.accent);
  expect(look).toMatchObject({ background: look.neutral, border: 'dashed' });
  await shootSizes('token-exchange-detail');
  await lineage.getByTestId('exchange-subject').click();
  expect(decodeURIComponent(page.url().split('#/tokens/')[1] ?? '')).toBe(subjectId);
});

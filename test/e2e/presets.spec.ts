/**
 * Provider presets in the profile form (served UI): choosing Auth0 asks for its tenant domain and API identifier and
 * fills the issuer, scopes and audience parameter; GitHub fills its fixed endpoints without discovery; each preset
 * says its quirks.
 */
import { expect, test, type Page } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { expectAccessible, go, servedPage, shoot } from './support.ts';

let app: ServedApp;
let page: Page;

servedPage({ viewport: { width: 1400, height: 900 } }, (served) => {
  ({ app, page } = served);
});

test('a provider preset fills the profile form: Auth0 with its audience, GitHub with fixed endpoints', async () => {
  await go(page, app, '#/flows');
  await page.getByRole('button', { name: '+ New profile' }).click();
  const form = page.getByTestId('profile-dialog').getByRole('form', { name: 'Profile' });
  const picker = form.getByTestId('preset-picker');
  await picker.getByTestId('preset-select').selectOption('auth0');
  await expect(picker.getByTestId('preset-notes')).toContainText('Without an audience Auth0 issues an opaque access token');
  // Not before the tenant domain is given.
  await expect(picker.getByTestId('preset-apply')).toBeDisabled();
  await picker.getByLabel('Tenant domain').fill('acme.eu.auth0.com');
  await picker.getByLabel('API identifier (audience) (optional)').fill('https://api.acme.example');
  await expectAccessible(page, 'the preset picker');
  await shoot(page, 'profile-preset-auth0');
  await picker.getByTestId('preset-apply').click();
  await expect(form.getByLabel('Issuer URL')).toHaveValue('https://acme.eu.auth0.com/');
  await expect(form.getByLabel(/Extra authorization parameters/)).toHaveValue('audience=https://api.acme.example');
  await expect(form.getByLabel(/^Scopes/)).toHaveValue('openid profile email offline_access');

  await picker.getByTestId('preset-select').selectOption('github');
  await expect(picker.getByTestId('preset-notes')).toContainText('GitHub is OAuth 2.0 without OpenID Connect');
  await picker.getByTestId('preset-apply').click();
  await expect(form.getByLabel('Issuer URL')).toHaveValue('https://github.com');
  await expect(form.getByLabel('Use discovery (otherwise type the endpoints)')).not.toBeChecked();
  await expect(form.getByLabel('Token endpoint')).toHaveValue('https://github.com/login/oauth/access_token');
  await expect(form.getByLabel('Client authentication')).toHaveValue('client_secret_post');
  // Every endpoint the preset names is kept, not only the two always shown: GitHub's device authorization too.
  await expect(form.getByLabel('Device authorization endpoint')).toHaveValue('https://github.com/login/device/code');
  await shoot(page, 'profile-preset-github');

  // Saved and opened again, the profile still names it (the form drops none of a profile's endpoints).
  await form.getByLabel('Name').fill('My GitHub app');
  await form.getByLabel('Client ID').fill('Iv1.0123456789abcdef');
  await form.getByLabel(/^Client secret/).fill('github-client-secret-0123456789');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(form.getByText('Saved.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page
    .getByRole('navigation', { name: 'Profiles' })
    .getByRole('button', { name: /My GitHub app/ })
    .click();
  await page.getByTestId('edit-profile').click();
  const reopened = page.getByTestId('profile-dialog').getByRole('form', { name: 'Profile' });
  await expect(reopened.getByLabel('Device authorization endpoint')).toHaveValue('https://github.com/login/device/code');
  await expect(reopened.getByLabel('Token endpoint')).toHaveValue('https://github.com/login/oauth/access_token');
});

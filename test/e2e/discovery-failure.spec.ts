/** Issue 16: a discovery that fails says, in the profile editor, which URL it tried and why (not a bare "ERR_NETWORK network error"). */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import type { ServedApp } from '../helpers/serve-process.ts';
import { go, openApp, startApp } from './support.ts';

let app: ServedApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.stop();
});

/** A loopback port nothing listens on: taken from the system, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('Discover against an issuer nobody answers names the URL and the cause', async ({ page, context }) => {
  const port = await closedPort();
  await openApp(page, context, app);
  await go(page, app, '#/flows');
  await page.getByRole('button', { name: '+ New profile' }).click();
  const dialog = page.getByTestId('profile-dialog');
  await dialog.getByRole('textbox', { name: 'Issuer URL' }).fill(`http://127.0.0.1:${String(port)}`);
  await dialog.getByRole('button', { name: 'Discover' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText(`127.0.0.1:${String(port)}/.well-known/`);
  await expect(alert).toContainText(/refused/i);
});

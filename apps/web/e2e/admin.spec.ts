import { expect, test } from '@playwright/test';
import { nav, screenshot, signIn, signOut, unique } from './helpers';

test('an admin creates a user who can then sign in', async ({ page }) => {
  const email = `${unique('bo')}@e2e.test`;
  await signIn(page);
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Name').fill('Bo Bookkeeper');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Initial password').fill('short');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('at least 12 characters').last()).toBeVisible();
  await dialog.getByLabel('Initial password').fill('bookkeeper passphrase');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(email);
  await screenshot(page, '08-admin-users');

  await page.getByRole('button', { name: `Actions for ${email}` }).click();
  await screenshot(page, '09-admin-user-actions');
  await page.getByRole('menuitem', { name: 'Disable account' }).click();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Disabled');

  await page.getByRole('button', { name: `Actions for ${email}` }).click();
  await page.getByRole('menuitem', { name: 'Enable account' }).click();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Active');

  await signOut(page);
  await signIn(page, email, 'bookkeeper passphrase');
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
});

test('an API key is shown once with a copy button, listed by prefix, then revoked', async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await nav(page).getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await screenshot(page, '10-api-keys-empty');

  await page.getByRole('button', { name: 'New API key' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Nightly ERP import');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const key = dialog.getByTestId('created-api-key');
  await expect(key).toBeVisible();
  const secret = (await key.textContent()) ?? '';
  expect(secret.length).toBeGreaterThan(20);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
  await screenshot(page, '11-api-key-created');

  // A separate request context: no browser cookies, only the key.
  const check = await request.get('/api/auth/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(check.status()).toBe(200);

  await dialog.getByRole('button', { name: 'Done' }).click();
  const table = page.getByRole('table', { name: 'API keys' });
  await expect(table).toContainText('Nightly ERP import');
  await expect(table).not.toContainText(secret);
  await screenshot(page, '12-api-keys');

  await page.getByRole('button', { name: 'Revoke Nightly ERP import' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await expect(table).toContainText('Revoked');
  const refused = await request.get('/api/auth/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
});

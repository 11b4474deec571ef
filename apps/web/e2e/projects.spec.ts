import { expect, test } from '@playwright/test';
import { nav, createUserViaApi, openProjects, screenshot, signIn, signOut, unique } from './helpers';

test('sign in, create a project, add a member, change the role, then sign out', async ({ page, request }) => {
  const colleague = {
    email: `${unique('ana')}@e2e.test`,
    name: 'Ana Analyst',
    password: 'colleague passphrase 1',
  };
  await createUserViaApi(request, colleague);
  const projectName = `Bank vs ledger ${unique('eur')}`;

  await signIn(page);
  await screenshot(page, '03a-dashboard');
  await openProjects(page);
  await screenshot(page, '03-projects');

  await page.getByRole('button', { name: 'New project' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog.getByText('This field is required')).toBeVisible();
  await dialog.getByLabel('Name').fill(projectName);
  await expect(dialog.getByText('This field is required')).toHaveCount(0);
  await dialog.getByLabel('Description').fill('Operating account statement against the general ledger, EUR.');
  await screenshot(page, '04-project-create');
  await dialog.getByRole('button', { name: 'Create project' }).click();

  await expect(page.getByRole('heading', { name: projectName })).toBeVisible();
  const members = page.getByRole('table', { name: 'Project members' });
  await expect(members).toContainText('(you)');

  const addForm = page.getByRole('form', { name: 'Add a member' });
  await addForm.getByLabel('Email').fill('nobody@e2e.test');
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  await addForm.getByLabel('Email').fill(colleague.email);
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(members).toContainText(colleague.email);

  await members.getByLabel(`Role of ${colleague.email}`).click();
  await page.getByRole('option', { name: 'Manager' }).click();
  await expect(members.getByLabel(`Role of ${colleague.email}`)).toHaveValue('Manager');
  await screenshot(page, '05-project-members');

  await page.getByRole('tab', { name: 'Settings' }).click();
  const renamed = `${projectName} (renamed)`;
  await page.getByLabel('Name').fill(renamed);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: renamed })).toBeVisible();
  await screenshot(page, '06-project-settings');

  await page.getByRole('button', { name: 'Archive', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Restore' })).toBeVisible();

  await nav(page).getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: renamed })).toHaveCount(0);
  await page.locator('label', { hasText: /^Archived$/ }).click();
  await expect(page.getByRole('link', { name: renamed })).toBeVisible();

  await signOut(page);
});

test('an owner deletes a project after typing its name', async ({ page }) => {
  const projectName = unique('Disposable');
  await signIn(page);
  await openProjects(page);
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(projectName);
  await page
    .getByRole('dialog')
    .getByLabel('Description')
    .fill('Card processor payouts against orders, GBP.');
  await page.getByRole('dialog').getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: projectName })).toBeVisible();

  await nav(page).getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: projectName })).toBeVisible();
  await screenshot(page, '03b-projects-list');
  await page.getByRole('link', { name: projectName }).click();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete project' });
  await expect(dialog.getByRole('button', { name: 'Delete project' })).toBeDisabled();
  await dialog.getByLabel(/Type/).fill(projectName);
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: projectName })).toHaveCount(0);
});

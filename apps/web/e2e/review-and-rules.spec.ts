import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { createUserViaApi, nav, openProjects, screenshot, signIn, unique } from './helpers';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

async function upload(page: Page, name: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(fixture(name));
  await expect(
    page.getByRole('table', { name: 'Data sources' }).getByRole('row', { name: new RegExp(name) }),
  ).toContainText('Ready', { timeout: 30_000 });
}

async function pick(page: Page, label: string, option: RegExp | string): Promise<void> {
  await page.getByRole('dialog').getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

test('suggest rules, run a job, write off, match by hand and comment while a colleague watches live', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const colleague = {
    email: `${unique('vic')}@e2e.test`,
    name: 'Vic Viewer',
    password: 'colleague passphrase 2',
  };
  await createUserViaApi(request, colleague);
  const projectName = `Rules ${unique('acct')}`;
  await signIn(page);
  await openProjects(page);
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByRole('dialog', { name: 'New project' }).getByLabel('Name').fill(projectName);
  await page
    .getByRole('dialog', { name: 'New project' })
    .getByRole('button', { name: 'Create project' })
    .click();
  await expect(page.getByRole('heading', { name: projectName })).toBeVisible();

  const addForm = page.getByRole('form', { name: 'Add a member' });
  await addForm.getByLabel('Email').fill(colleague.email);
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('table', { name: 'Project members' })).toContainText(colleague.email);

  await page.getByRole('tab', { name: 'Rules' }).click();
  await expect(page.getByText('No rule sets yet')).toBeVisible();

  await page.getByRole('tab', { name: 'Data sources' }).click();
  await upload(page, 'bank.csv');
  await upload(page, 'ledger.csv');

  await page.getByRole('tab', { name: 'Jobs' }).click();
  await page.getByRole('button', { name: 'New job' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reconciliation job' });
  await expect(dialog.getByRole('button', { name: 'Suggest rules from the data' })).toBeDisabled();
  await dialog.getByLabel('Name').fill('January 2024 — suggested');
  await pick(page, 'Left side', /bank\.csv/);
  await pick(page, 'Right side', /ledger\.csv/);
  await dialog.getByRole('button', { name: 'Suggest rules from the data' }).click();
  const proposed = dialog.getByRole('list', { name: 'Proposed passes' });
  await expect(proposed.getByRole('listitem').first()).toBeVisible({ timeout: 30_000 });
  await expect(proposed).toContainText(/amount/i);
  await expect(dialog.getByText('Why these rules')).toBeVisible();
  await screenshot(page, '20-suggested-rules');

  await dialog.getByLabel('Save as rule set').fill('Bank vs ledger — suggested');
  await dialog.getByRole('button', { name: 'Save and use' }).click();
  await expect(page.getByText('saved as version 1')).toBeVisible();
  await expect(dialog.getByRole('combobox', { name: 'Rules' })).toHaveValue(/Bank vs ledger — suggested/);
  await dialog.getByRole('button', { name: 'Create and run' }).click();

  await expect(page.getByRole('heading', { name: 'January 2024 — suggested' })).toBeVisible();
  // Two shared cores: under load the worker can take a while, so wait generously.
  await expect(page.getByText('Completed').first()).toBeVisible({ timeout: 150_000 });
  await expect(page.getByText('Match rate')).toBeVisible();
  const jobUrl = page.url();

  // A colleague opens the same job in their own browser and watches the unmatched bank lines.
  const other = await browser.newContext();
  const theirs = await other.newPage();
  await signIn(theirs, colleague.email, colleague.password);
  await theirs.goto(jobUrl);
  await theirs.getByRole('tab', { name: /Unmatched left/ }).click();
  const theirFee = theirs
    .getByRole('table', { name: 'Unmatched left' })
    .getByRole('row', { name: /FEE-JAN/ });
  await expect(theirFee).toContainText('open');

  await page.getByRole('tab', { name: /Unmatched left/ }).click();
  await page
    .getByRole('table', { name: 'Unmatched left' })
    .getByRole('row', { name: /FEE-JAN/ })
    .click();
  const drawer = page.getByRole('dialog', { name: /Unmatched left/ });
  await drawer.getByRole('combobox', { name: 'Reason code' }).click();
  await page.getByRole('option', { name: 'Bank fee' }).click();
  await drawer.getByLabel('Explanation').fill('Monthly account maintenance fee, booked in February');
  await screenshot(page, '22-write-off');
  await drawer.getByRole('button', { name: 'Write off' }).click();
  // The confirmation is the notification (the grid's status filter also offers a "Written off" option).
  await expect(page.getByRole('alert').getByText('Written off', { exact: true })).toBeVisible();
  // The colleague's screen follows without a reload (data_changed over /ws).
  await expect(theirFee).toContainText('written off');

  await page.getByRole('tab', { name: 'Match by hand' }).click();
  await page
    .getByRole('checkbox', { name: /Pick left row/ })
    .first()
    .click();
  const totals = page.getByRole('region', { name: 'Selection totals' });
  await expect(totals).toContainText('Left 1');
  await page
    .getByRole('table', { name: 'Pick right' })
    .getByRole('row', { name: /INV-1004/ })
    .getByRole('checkbox')
    .click();
  await expect(totals).toContainText('Difference 0.00');
  await page.getByLabel('Reason for the match').fill('Umbrella settlement paid invoice 1004 two days early');
  await screenshot(page, '23-manual-match');
  await page.getByRole('button', { name: 'Match selected' }).click();
  await expect(page.getByText('Matched by hand')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Pick right' })).not.toContainText('INV-1004');

  await page.getByRole('tab', { name: /Unmatched left/ }).click();
  await page
    .getByRole('table', { name: 'Unmatched left' })
    .getByRole('row', { name: /TRF 88240/ })
    .click();
  await drawer.getByRole('combobox', { name: 'Assigned to' }).click();
  await page.getByRole('option', { name: /Vic Viewer/ }).click();
  await expect(page.getByText('Assigned', { exact: true })).toBeVisible();
  await page
    .getByRole('table', { name: 'Unmatched left' })
    .getByRole('row', { name: /TRF 88240/ })
    .click();
  await expect(drawer.getByRole('combobox', { name: 'Assigned to' })).toHaveValue(/Vic Viewer/);
  await drawer.getByLabel('Add a comment').fill('Asked Stark Industries for the remittance advice');
  await drawer.getByRole('button', { name: 'Post comment' }).click();
  await expect(drawer.getByRole('list', { name: 'Comments' })).toContainText('remittance advice');
  await screenshot(page, '24-exception-comment');
  await page.keyboard.press('Escape');
  await screenshot(theirs, '25-colleague-live');
  await other.close();

  await page.getByRole('tab', { name: 'Rules' }).click();
  const card = page.getByRole('region', { name: 'Rule set Bank vs ledger — suggested' });
  await expect(card).toContainText('Version 1');
  await expect(
    card
      .getByRole('list', { name: /Passes of/ })
      .getByRole('listitem')
      .first(),
  ).toBeVisible();
  await card.getByRole('button', { name: 'Versions' }).click();
  await expect(card.getByText(/^v1 ·/)).toBeVisible();
  await screenshot(page, '21-rules');

  await nav(page).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Jobs by status' }).locator('svg').first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Recent activity' })).toBeVisible();
  await screenshot(page, '26-dashboard');

  await nav(page).getByRole('link', { name: 'System' }).click();
  await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Requests per second' })).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await screenshot(page, '27-system');
});

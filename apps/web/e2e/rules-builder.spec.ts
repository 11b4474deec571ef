import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { join } from 'node:path';
import { openProjects, screenshot, signIn, unique } from './helpers';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

async function upload(page: Page, name: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(fixture(name));
  await expect(
    page.getByRole('table', { name: 'Data sources' }).getByRole('row', { name: new RegExp(name) }),
  ).toContainText('Ready', { timeout: 30_000 });
}

async function pickSources(page: Page): Promise<void> {
  for (const [label, file] of [
    ['Left data source', 'bank.csv'],
    ['Right data source', 'ledger.csv'],
  ] as const) {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: file }).click();
  }
}

/** Matches of one pass in the dry run's table. */
async function passMatches(counts: Locator, pass: string): Promise<number> {
  const row = counts.getByRole('table', { name: 'Matches per pass' }).getByRole('row', { name: pass });
  return Number(await row.getByRole('cell').nth(1).textContent());
}

test('build rules from a suggestion, widen a date window, dry run and save a new version', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const projectName = `Builder ${unique('acct')}`;
  await signIn(page);
  await openProjects(page);
  await page.getByRole('button', { name: 'New project' }).first().click();
  const newProject = page.getByRole('dialog', { name: 'New project' });
  await newProject.getByLabel('Name').fill(projectName);
  await newProject.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: projectName })).toBeVisible();

  await page.getByRole('tab', { name: 'Data sources' }).click();
  await upload(page, 'bank.csv');
  await upload(page, 'ledger.csv');

  // Version 1: the platform's suggestion, tried once before saving.
  await page.getByRole('tab', { name: 'Rules' }).click();
  await page.getByRole('button', { name: 'New rule set' }).click();
  await pickSources(page);
  await page.getByRole('button', { name: 'Suggest rules from the data' }).click();
  await expect(page.getByText('Why these rules')).toBeVisible({ timeout: 30_000 });
  const datePass = page.getByRole('region', { name: 'Pass 2: amount and date' });
  await expect(datePass.getByRole('textbox', { name: 'To (days)' })).toHaveValue('0');
  await page.getByLabel('Rule set name').fill('Bank vs ledger');
  await page.getByRole('button', { name: 'Dry run' }).click();
  const counts = page.getByRole('region', { name: 'Dry run counts' });
  await expect(counts).toContainText('Match rate', { timeout: 30_000 });
  await expect(counts.getByRole('row', { name: /^1\. exact reference/ })).toContainText('3');
  const sameDay = await passMatches(counts, '2. amount and date');
  await page.getByRole('button', { name: 'Save rule set' }).click();
  await expect(page.getByText('saved as version 1')).toBeVisible();
  const card = page.getByRole('region', { name: 'Rule set Bank vs ledger' });
  await expect(card).toContainText('Version 1');

  // Version 2: the date pass accepts the ledger booking up to three days after the bank.
  await card.getByRole('button', { name: 'Edit Bank vs ledger' }).click();
  await pickSources(page);
  const to = datePass.getByRole('textbox', { name: 'To (days)' });
  await to.fill('-1');
  await expect(datePass.getByText('min_days must not exceed max_days')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save as new version' })).toBeDisabled();
  await to.fill('3');
  await expect(datePass.getByText('min_days must not exceed max_days')).toBeHidden();
  await page.getByRole('button', { name: 'Dry run' }).click();
  await expect(counts).toContainText('Match rate', { timeout: 30_000 });
  await expect
    .poll(() => passMatches(counts, '2. amount and date'), { timeout: 30_000 })
    .toBeGreaterThan(sameDay);
  await expect(counts.getByRole('table', { name: 'Records per side' })).toContainText('Left');
  await screenshot(page, '40-rule-builder-dry-run');
  await page.getByRole('button', { name: 'Save as new version' }).click();
  await expect(page.getByText('saved as version 2')).toBeVisible();
  await expect(card).toContainText('Version 2');
  await expect(card.getByRole('list', { name: 'Passes of Bank vs ledger' })).toContainText(
    'Booking date right 0 to 3 days after left',
  );

  await card.getByRole('button', { name: 'Versions' }).click();
  const versions = card.getByRole('list', { name: 'Versions of Bank vs ledger' });
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await expect(versions.getByRole('listitem').first()).toContainText(/^v2 · .* · current$/);
  await card.getByRole('combobox', { name: 'Compare with' }).click();
  await page.getByRole('option', { name: /^Version 1/ }).click();
  const diff = card.getByRole('region', { name: 'Changes of Bank vs ledger from version 1 to version 2' });
  await expect(diff).toContainText('Pass "amount and date"');
  await expect(diff).toContainText(
    'Booking date right 0 to 3 days after left (was: Booking date on the same day)',
  );
  await screenshot(page, '41-rule-versions-diff');
});

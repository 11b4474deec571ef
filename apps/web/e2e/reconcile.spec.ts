import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { openProjects, screenshot, signIn, unique } from './helpers';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

async function upload(page: Page, name: string): Promise<void> {
  // The dropzone's file input is what a drop or a click feeds; setting it is the same as choosing a file.
  await page.locator('input[type=file]').setInputFiles(fixture(name));
  await expect(
    page.getByRole('table', { name: 'Data sources' }).getByRole('row', { name: new RegExp(name) }),
  ).toContainText('Ready', { timeout: 30_000 });
}

async function pick(page: Page, label: string, option: RegExp | string): Promise<void> {
  await page.getByRole('dialog').getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

test('upload two files, run a job, watch it finish, review matches and export', async ({ page }) => {
  test.setTimeout(120_000);
  const projectName = `Operating account ${unique('eur')}`;
  await signIn(page);
  await openProjects(page);

  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByRole('dialog', { name: 'New project' }).getByLabel('Name').fill(projectName);
  await page
    .getByRole('dialog', { name: 'New project' })
    .getByRole('button', { name: 'Create project' })
    .click();
  await expect(page.getByRole('heading', { name: projectName })).toBeVisible();

  await page.getByRole('tab', { name: 'Data sources' }).click();
  await expect(page.getByText('No files yet')).toBeVisible();
  await upload(page, 'bank.csv');
  await upload(page, 'ledger.csv');
  await screenshot(page, '10-data-sources');

  // The same file again is refused with the server's explanation.
  await page.locator('input[type=file]').setInputFiles(fixture('bank.csv'));
  await expect(page.getByText('This file was already uploaded')).toBeVisible();

  await page.getByRole('link', { name: 'bank.csv' }).click();
  const parsed = page.getByRole('table', { name: 'Parsed rows' });
  await expect(parsed).toContainText('INV-1001');
  await expect(parsed).toContainText('1,250.00');
  await screenshot(page, '11-data-source-detail');
  await page.getByRole('tab', { name: 'Column mapping' }).click();
  await expect(page.getByRole('table', { name: 'Column mapping' })).toContainText('Amount');

  await page.getByRole('tab', { name: 'Jobs' }).click();
  await page.getByRole('button', { name: 'New job' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reconciliation job' });
  await dialog.getByLabel('Name').fill('January 2024');
  await pick(page, 'Left side', /bank\.csv/);
  await pick(page, 'Right side', /ledger\.csv/);
  await pick(page, 'Rules', 'Reference first, then amount and date');
  // Only exact reference matches (score 1) are confirmed by themselves; the rest wait for review.
  await dialog.getByRole('textbox', { name: 'Auto-confirm threshold' }).fill('0.99');
  await screenshot(page, '12-job-create');
  await dialog.getByRole('button', { name: 'Create and run' }).click();

  await expect(page.getByRole('heading', { name: 'January 2024' })).toBeVisible();
  await screenshot(page, '13-job-running');
  await expect(page.getByText('Completed').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Match rate')).toBeVisible();
  await screenshot(page, '14-results-summary');

  const review = page.getByRole('table', { name: 'suggested matches' });
  await expect(review.getByRole('row')).toHaveCount(3);
  await review.getByRole('row').nth(1).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByText('Why these were matched')).toBeVisible();
  await screenshot(page, '15-match-detail');
  await drawer.getByRole('button', { name: 'Confirm match' }).click();
  await expect(page.getByText('Match confirmed')).toBeVisible();
  await expect(review.getByRole('row')).toHaveCount(2);

  await review.getByRole('row').nth(1).click();
  await drawer.getByRole('button', { name: 'Unmatch' }).click();
  await expect(drawer.getByText('Say why the match is wrong')).toBeVisible();
  await drawer.getByLabel('Reason').fill('Different invoice: the amounts agree by coincidence');
  await drawer.getByRole('button', { name: 'Unmatch' }).click();
  await expect(page.getByText('Match dissolved')).toBeVisible();
  await expect(page.getByText('Nothing here.')).toBeVisible();

  await page.getByRole('tab', { name: /Unmatched left/ }).click();
  await expect(page.getByRole('table', { name: 'Unmatched left' })).toContainText('FEE-JAN');
  await screenshot(page, '16-results-unmatched');

  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Everything (CSV)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);

  await page.getByRole('link', { name: 'All jobs' }).click();
  const jobs = page.getByRole('table', { name: 'Jobs' });
  await expect(jobs).toContainText('January 2024');
  // Progress arrives over the WebSocket (through the preview proxy), not by polling.
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await screenshot(page, '17-jobs');

  await jobs.getByRole('button', { name: 'Rerun January 2024' }).click();
  await expect(
    jobs
      .getByRole('row', { name: /January 2024/ })
      .getByRole('cell')
      .nth(3),
  ).toHaveText('2', {
    timeout: 30_000,
  });
  await expect(jobs).toContainText('Completed', { timeout: 60_000 });
  await jobs.getByRole('button', { name: 'Delete January 2024' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete job' }).click();
  await expect(page.getByText('No jobs yet')).toBeVisible();
});

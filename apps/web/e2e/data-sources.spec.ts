import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
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

/** Picks an option of a Mantine select by its label. */
async function choose(page: Page, label: RegExp, option: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
}

async function createProject(page: Page): Promise<void> {
  const projectName = `Data sources ${unique('ds')}`;
  await openProjects(page);
  await page.getByRole('button', { name: 'New project' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill(projectName);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: projectName })).toBeVisible();
  await page.getByRole('tab', { name: 'Data sources' }).click();
}

test('fix a detected mapping with the form, re-read the file, then read the row error report', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await signIn(page);
  await createProject(page);
  await upload(page, 'eu-bank.csv');

  // Detection read "-1.250" with a decimal point: the raw cell and the parsed amount say so side by side.
  await page.getByRole('link', { name: 'eu-bank.csv' }).click();
  const rows = page.getByRole('table', { name: 'Raw and parsed rows' });
  const first = rows.getByRole('row', { name: /Miete Februar/ });
  await expect(first).toContainText('-1.250');
  await expect(first).toContainText('\u22121.25');
  await screenshot(page, 'ds-01-detected-preview');

  await page.getByRole('tab', { name: 'Column mapping' }).click();
  await page.getByRole('button', { name: 'Edit mapping' }).click();
  await expect(page.getByText('Detection was unsure about')).toBeVisible();
  await expect(page.getByRole('combobox', { name: /^Amount column/ })).toHaveValue('Betrag');
  await expect(page.getByText('e.g. “-1.250” · “3.400” · “-84”')).toBeVisible();

  // A client-side check answers at once, next to the field.
  await choose(page, /^Thousands separator/, /^Point/);
  await expect(
    page.getByText('the thousands separator must differ from the decimal separator'),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save and re-read' })).toBeDisabled();
  await choose(page, /^Decimal separator/, /^Comma/);
  await page.getByRole('textbox', { name: /^Fixed currency/ }).fill('eur');
  await choose(page, /^Description/, /^Buchungstext$/);

  // The server reads the stored first rows with the unsaved mapping.
  const live = page.getByRole('table', { name: 'Parsed preview' });
  await expect(live.getByRole('row', { name: /Miete Februar/ })).toContainText('\u22121,250.00');
  await expect(live.getByRole('row', { name: /Gehalt Maerz/ })).toContainText('3,400.00');
  await expect(live).toContainText('EUR');
  await screenshot(page, 'ds-02-mapping-form');

  await page.getByRole('button', { name: 'Save and re-read' }).click();
  await expect(page.getByText('Mapping saved')).toBeVisible();
  // Re-ingestion runs in the worker; the page follows it and shows the new rows when it is done.
  const reread = page.getByRole('table', { name: 'Raw and parsed rows' });
  const rent = reread.getByRole('row', { name: /Miete Februar/ });
  await expect(rent).toContainText('\u22121,250.00', { timeout: 30_000 });
  await expect(rent).toContainText('EUR');
  await expect(reread.getByRole('row', { name: /Kaution/ })).toContainText('2,000.00');
  await screenshot(page, 'ds-03-reingested');

  // The same bytes again are refused with a warning naming the earlier upload.
  await page.getByRole('link', { name: 'All data sources' }).click();
  await page.locator('input[type=file]').setInputFiles(fixture('eu-bank.csv'));
  await expect(page.getByText('This file was already uploaded to this project')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'already uploaded' })).toContainText('eu-bank.csv');

  // A file with two unreadable rows: banner, highlighted cells, then the report.
  await upload(page, 'bad-rows.csv');
  await page.getByRole('link', { name: 'bad-rows.csv' }).click();
  await expect(page.getByText('2 rows could not be read and are left out of matching')).toBeVisible();
  const badRows = page.getByRole('table', { name: 'Raw and parsed rows' });
  await expect(badRows.getByRole('row', { name: /PAY-2/ })).toContainText('AMOUNT_INVALID');
  await expect(badRows.getByRole('row', { name: /PAY-2/ })).toContainText('Not loaded');
  await expect(badRows.locator('td[data-error="DATE_INVALID"]')).toContainText('2024-02-30');
  await screenshot(page, 'ds-04-bad-rows');

  await page.getByRole('button', { name: 'Open the error report' }).click();
  const report = page.getByRole('table', { name: 'Row errors' });
  await expect(report.getByRole('row')).toHaveCount(3);
  await choose(page, /^Error code/, /^DATE_INVALID/);
  await expect(report.getByRole('row')).toHaveCount(2);
  await expect(report).toContainText('2024-02-30');
  await expect(page.getByText('Errors 1–1 of 1 (filtered from 2)')).toBeVisible();
  await screenshot(page, 'ds-05-error-report');

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('bad-rows-row-errors.csv');
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.trim().split('\r\n')).toEqual([
    'row,column,raw_value,code,message',
    expect.stringMatching(/^3,Date,2024-02-30,DATE_INVALID,/),
  ]);
  // A bank statement has no columns: the raw side shows the :61: / :86: fields each record came from.
  await page.getByRole('link', { name: 'All data sources' }).click();
  await upload(page, 'statement.sta');
  await page.getByRole('link', { name: 'statement.sta' }).click();
  const statement = page.getByRole('table', { name: 'Raw and parsed rows' });
  const credit = statement.getByRole('row', { name: /BNK-0001/ });
  await expect(credit).toContainText(':61:2403010301CR1250,00NTRFINV-7001//BNK-0001');
  await expect(credit).toContainText('1,250.00');
  await expect(statement.getByRole('row', { name: /BNK-0002/ })).toContainText('\u221284.20');
  await screenshot(page, 'ds-06-bank-statement');

  // No job uses the statement, so a manager can delete it; the list no longer shows it.
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Data source deleted')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Data sources' })).not.toContainText('statement.sta');
});

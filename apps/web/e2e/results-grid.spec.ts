import { expect, test } from '@playwright/test';
import type { APIRequestContext } from '@playwright/test';
import { ADMIN, createUserViaApi, screenshot, signIn, unique } from './helpers';

// Ten pairs that agree on reference; amounts differ by a few cents (within the 10-cent tolerance), so the
// ones that differ stay "suggested" for review and the exact ones are confirmed automatically.
// REF-3 has the largest difference (9 cents); REF-2/5/8 are paid by Globex.
const DIFFERENCE_CENTS = [0, 1, 9, 2, 3, 0, 4, 1, 2, 5];
const PAYER = (i: number) => (i % 3 === 2 ? 'Globex' : 'Acme');
const cents = (minor: number) => `${String(Math.trunc(minor / 100))}.${String(minor % 100).padStart(2, '0')}`;

function csv(side: 'bank' | 'ledger'): string {
  const lines = ['Date,Reference,Counterparty,Description,Amount,Currency'];
  DIFFERENCE_CENTS.forEach((difference, index) => {
    const i = index + 1;
    const amount = 10_000 + i * 100 + (side === 'ledger' ? difference : 0);
    const text = side === 'bank' ? `Payment from ${PAYER(i)}` : `Invoice ${String(i)}`;
    lines.push(
      `2024-03-${String(i).padStart(2, '0')},REF-${String(i)},${PAYER(i)},${text},${cents(amount)},EUR`,
    );
  });
  return lines.join('\n');
}

const RULES = {
  version: 1,
  confidence_threshold: 0.5,
  auto_confirm_threshold: 0.99,
  passes: [
    {
      name: 'reference',
      comparisons: [
        { type: 'exact', field: 'reference' },
        { type: 'amount', tolerance_minor: 10 },
      ],
    },
  ],
};
const SUGGESTED = DIFFERENCE_CENTS.filter((difference) => difference > 0).length;

/** A project with a finished job, made through the API as a program would (bearer token, no browser). */
async function finishedJob(request: APIRequestContext, colleagueEmail: string) {
  const login = await request.post('/api/auth/login', { data: ADMIN });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}` };
  const project = await request.post('/api/projects', { headers, data: { name: unique('Grid') } });
  expect(project.status(), await project.text()).toBe(201);
  const { id: projectId } = (await project.json()) as { id: string };
  const member = await request.post(`/api/projects/${projectId}/members`, {
    headers,
    data: { email: colleagueEmail, role: 'analyst' },
  });
  expect(member.status(), await member.text()).toBe(201);
  const sources: string[] = [];
  for (const side of ['bank', 'ledger'] as const) {
    const uploaded = await request.post(`/api/projects/${projectId}/data-sources`, {
      headers,
      multipart: { file: { name: `${side}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv(side)) } },
    });
    expect(uploaded.status(), await uploaded.text()).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    await expect
      .poll(
        async () =>
          ((await (await request.get(`/api/data-sources/${id}`, { headers })).json()) as { status: string })
            .status,
        { timeout: 60_000 },
      )
      .toBe('ready');
    sources.push(id);
  }
  const job = await request.post('/api/reconciliation/jobs', {
    headers,
    data: {
      name: 'March grid',
      project_id: projectId,
      source_data_source_id: sources[0],
      target_data_source_id: sources[1],
      rules: RULES,
      start: true,
    },
  });
  expect(job.status(), await job.text()).toBe(201);
  const { id: jobId } = (await job.json()) as { id: string };
  await expect
    .poll(
      async () =>
        (
          (await (await request.get(`/api/reconciliation/jobs/${jobId}`, { headers })).json()) as {
            status: string;
          }
        ).status,
      { timeout: 150_000 },
    )
    .toBe('completed');
  return `/projects/${projectId}/jobs/${jobId}`;
}

test('filter, search and sort the review grid, bulk-confirm with the keyboard, see who else is viewing', async ({
  page,
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const colleague = {
    email: `${unique('gia')}@e2e.test`,
    name: 'Gia Grid',
    password: 'colleague passphrase 3',
  };
  await createUserViaApi(request, colleague);
  const jobPath = await finishedJob(request, colleague.email);

  await signIn(page);
  await page.goto(jobPath);
  const grid = page.getByRole('table', { name: 'suggested matches' });
  const dataRows = grid.getByRole('row').filter({ hasText: /REF-/ });
  // The first page can take a while on a busy machine (the app's code is still being fetched).
  await expect(dataRows).toHaveCount(SUGGESTED, { timeout: 30_000 });

  // Search narrows on the server and lands in the address bar.
  await page.getByRole('textbox', { name: 'Search' }).fill('globex');
  await expect(dataRows).toHaveCount(3);
  await expect(page).toHaveURL(/q=globex/);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(dataRows).toHaveCount(SUGGESTED);

  // Only the larger differences: 9 and 5 cents.
  await page.getByRole('textbox', { name: 'Minimum amount difference in minor units' }).fill('5');
  await expect(dataRows).toHaveCount(2);
  await expect(page).toHaveURL(/min_amount_difference=5/);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(dataRows).toHaveCount(SUGGESTED);

  // Sorting changes the order; the back button undoes it.
  await expect(dataRows.first()).toContainText('REF-2');
  await page.getByRole('combobox', { name: 'Sort' }).click();
  await page.getByRole('option', { name: 'Amount difference, largest first' }).click();
  await expect(page).toHaveURL(/sort=amount_difference_desc/);
  await expect(dataRows.first()).toContainText('REF-3');
  await expect(dataRows.nth(1)).toContainText('REF-10');
  await screenshot(page, '30-results-sorted');
  await page.goBack();
  await expect(dataRows.first()).toContainText('REF-2');

  // A colleague opens the same job: their avatar appears here.
  const other = await browser.newContext();
  const theirs = await other.newPage();
  await signIn(theirs, colleague.email, colleague.password);
  await theirs.goto(jobPath);
  await expect(theirs.getByRole('table', { name: 'suggested matches' })).toBeVisible();
  const viewers = page.getByRole('region', { name: 'Also viewing this job' });
  await expect(viewers).toContainText('Gia Grid is viewing');
  await expect(viewers.getByLabel('Gia Grid')).toHaveText('GG');

  // Keyboard review: move, select three, confirm them together.
  await page.getByRole('heading', { name: 'March grid' }).click();
  await page.keyboard.press('j');
  await expect(grid.locator('.is-focused')).toContainText('REF-2');
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('x');
  await expect(page.getByRole('region', { name: 'Bulk actions' })).toContainText('3 selected');
  await expect(page.getByRole('status').filter({ hasText: 'selected' })).toBeAttached();
  await screenshot(page, '31-results-selected');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText(
    'Confirm the selected',
  );
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await page.keyboard.press('c');
  await expect(page.getByRole('status').filter({ hasText: 'Confirmed 3 matches.' })).toBeAttached();
  await expect(dataRows).toHaveCount(SUGGESTED - 3);
  await expect(page.getByRole('tab', { name: `To review (${String(SUGGESTED - 3)})` })).toBeVisible();

  // The colleague's screen follows without a reload.
  await expect(
    theirs.getByRole('table', { name: 'suggested matches' }).getByRole('row').filter({ hasText: /REF-/ }),
  ).toHaveCount(SUGGESTED - 3);
  await other.close();
  // And once they leave, they are no longer listed.
  await expect(viewers).toBeHidden();
});

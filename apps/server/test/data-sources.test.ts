import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAndLogin, expectProblem, loginAdmin, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  upload,
  waitForIngestion,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';

const fixture = (name: string) => readFile(new URL(`./fixtures/recon/${name}`, import.meta.url));

let ctx: ReconTestContext;
let owner: Session;
let viewer: Session;
let outsider: Session;
let projectId: string;
let otherProjectId: string;

beforeAll(async () => {
  ctx = await createReconTestApp({ recon: { uploadMaxBytes: 64 * 1024 } });
  const admin = await loginAdmin(ctx.app);
  owner = await createUserAndLogin(ctx.app, admin, 'owner@example.com');
  viewer = await createUserAndLogin(ctx.app, admin, 'viewer@example.com');
  outsider = await createUserAndLogin(ctx.app, admin, 'outsider@example.com');
  projectId = await createProject(ctx.app, owner, 'Bank vs ledger', [
    { email: 'viewer@example.com', role: 'viewer' },
  ]);
  otherProjectId = await createProject(ctx.app, outsider, 'Theirs');
});
afterAll(async () => {
  await ctx.close();
});

describe('data source upload', () => {
  it('stores the file, ingests it in the queue worker and reports counts, profile and mapping', async () => {
    const content = await fixture('bank.csv');
    const response = await upload(ctx.app, owner, projectId, 'bank.csv', content);
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json<{
      id: string;
      status: string;
      format: string;
      sha256: string;
      size_bytes: number;
    }>();
    expect(created).toMatchObject({ status: 'queued', format: 'csv', size_bytes: content.length });
    expect(created.sha256).toMatch(/^[0-9a-f]{64}$/);
    const done = await waitForIngestion(ctx.app, owner, created.id);
    expect(done).toMatchObject({
      status: 'ready',
      row_count: 5,
      loaded_count: 5,
      error_count: 0,
      progress: 100,
    });
    expect(done.mapping).not.toBeNull();
    expect(Array.isArray(done.profile)).toBe(true);

    const preview = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${created.id}/preview?limit=2`,
      headers: viewer.headers,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const raw = preview.json<{ raw: { columns: string[]; rows: (string | null)[][] } }>().raw;
    expect(raw.columns.slice(0, 5)).toEqual(['Date', 'Reference', 'Description', 'Amount', 'Currency']);
    expect(raw.rows[0]?.slice(0, 4)).toEqual(['2024-01-02', 'INV-1001', 'Payment ACME Ltd', '1250.00']);
    expect(raw.rows).toHaveLength(2);
    const records = preview.json<{
      records: { row: number; amount_minor: string; booking_date: string; reference: string }[];
    }>().records;
    expect(records).toEqual([
      expect.objectContaining({
        row: 1,
        amount_minor: '125000',
        booking_date: '2024-01-02',
        reference: 'INV-1001',
      }),
      expect.objectContaining({ row: 2, amount_minor: '-30050' }),
    ]);

    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/projects/${projectId}/data-sources`,
      headers: viewer.headers,
    });
    expect(list.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toContain(created.id);
  });

  it('keeps row-level errors and pages through them', async () => {
    const response = await upload(
      ctx.app,
      owner,
      projectId,
      'bad-values.csv',
      await fixture('bad-values.csv'),
    );
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json<{ id: string }>().id;
    const done = await waitForIngestion(ctx.app, owner, id);
    expect(done).toMatchObject({
      status: 'ready',
      row_count: 4,
      loaded_count: 2,
      error_count: 2,
      rejected_row_count: 2,
    });
    const first = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors?limit=1`,
      headers: owner.headers,
    });
    const page1 = first.json<{
      items: { seq: number; row: number; code: string; raw: string }[];
      next_after: number;
      total: number;
    }>();
    expect(page1.total).toBe(2);
    expect(page1.items).toEqual([
      expect.objectContaining({ row: 2, code: 'AMOUNT_INVALID', raw: 'not-a-number' }),
    ]);
    const second = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/errors?limit=1&after=${page1.next_after}`,
      headers: owner.headers,
    });
    expect(second.json<{ items: { row: number; code: string }[] }>().items).toEqual([
      expect.objectContaining({ row: 3, code: 'DATE_INVALID' }),
    ]);
  });

  it('reports the same file uploaded twice to a project as a duplicate (409)', async () => {
    const content = await fixture('ledger.csv');
    expect((await upload(ctx.app, owner, projectId, 'ledger.csv', content)).statusCode).toBe(201);
    const again = await upload(ctx.app, owner, projectId, 'ledger-copy.csv', content);
    expect(expectProblem(again, 409, 'DUPLICATE_FILE').errors).toEqual([]);
  });

  it('refuses a file over the size limit with 413 and keeps nothing', async () => {
    const big = `Date,Amount\n${'2024-01-01,1.00\n'.repeat(5000)}`;
    expectProblem(await upload(ctx.app, owner, projectId, 'big.csv', big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses legacy .xls and unknown content with 415 and a clear message', async () => {
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(600),
    ]);
    const legacy = expectProblem(
      await upload(ctx.app, owner, projectId, 'old.xls', xls),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    expect(JSON.parse(JSON.stringify(legacy))).toBeTruthy();
    const binary = Buffer.from([
      0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
    ]);
    expectProblem(await upload(ctx.app, owner, projectId, 'tool.csv', binary), 415, 'UNSUPPORTED_FILE_TYPE');
  });

  it('treats a path-traversal file name as a name only', async () => {
    const response = await upload(
      ctx.app,
      owner,
      projectId,
      '../../../etc/passwd.csv',
      'Date,Amount\n2024-02-01,5.00\n',
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<{ name: string }>().name).toBe('passwd.csv');
    expectProblem(
      await upload(ctx.app, owner, projectId, '../..', 'Date,Amount\n2024-02-01,6.00\n'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await upload(ctx.app, owner, projectId, `${'a'.repeat(256)}.csv`, 'Date,Amount\n2024-02-01,7.00\n'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('marks content the engine cannot map as failed with the reason', async () => {
    const response = await upload(
      ctx.app,
      owner,
      projectId,
      'notes.csv',
      'Name,Colour\nAda,blue\nGrace,green\n',
    );
    expect(response.statusCode, response.body).toBe(201);
    const done = await waitForIngestion(ctx.app, owner, response.json<{ id: string }>().id);
    expect(done).toMatchObject({ status: 'failed', failure: { code: 'MAPPING_INCOMPLETE' } });
  });
});

describe('data source access', () => {
  it('answers 404 for another project and 403 for a viewer upload', async () => {
    expectProblem(
      await upload(ctx.app, owner, otherProjectId, 'x.csv', 'Date,Amount\n2024-01-01,1.00\n'),
      404,
      'PROJECT_NOT_FOUND',
    );
    expectProblem(
      await upload(ctx.app, viewer, projectId, 'x.csv', 'Date,Amount\n2024-01-01,1.00\n'),
      403,
      'FORBIDDEN',
    );
    const theirs = await upload(
      ctx.app,
      outsider,
      otherProjectId,
      'theirs.csv',
      'Date,Amount\n2024-01-01,2.00\n',
    );
    const theirId = theirs.json<{ id: string }>().id;
    for (const url of [
      `/api/data-sources/${theirId}`,
      `/api/data-sources/${theirId}/preview`,
      `/api/data-sources/${theirId}/errors`,
    ]) {
      expectProblem(
        await ctx.app.inject({ method: 'GET', url, headers: owner.headers }),
        404,
        'DATA_SOURCE_NOT_FOUND',
      );
    }
    expectProblem(
      await ctx.app.inject({ method: 'DELETE', url: `/api/data-sources/${theirId}`, headers: owner.headers }),
      404,
      'DATA_SOURCE_NOT_FOUND',
    );
  });
});

describe('mapping and delete', () => {
  it('re-ingests with a new mapping and remembers it for the next upload of the same feed', async () => {
    const first = await upload(
      ctx.app,
      owner,
      projectId,
      'feed.csv',
      'When;What;Value\n02/01/2024;R-1;1.234,50\n03/01/2024;R-2;10,00\n',
      '?source_key=feed',
    );
    const id = first.json<{ id: string }>().id;
    await waitForIngestion(ctx.app, owner, id);
    const mapping = {
      booking_date: { column: 'When', format: 'DD/MM/YYYY' },
      reference: 'What',
      amount: { kind: 'signed', column: 'Value' },
      number_format: { decimal_separator: ',', thousands_separator: '.' },
      currency: { fixed: 'EUR' },
    };
    const put = await ctx.app.inject({
      method: 'PUT',
      url: `/api/data-sources/${id}/mapping`,
      headers: owner.headers,
      payload: { mapping },
    });
    expect(put.statusCode, put.body).toBe(200);
    const done = await waitForIngestion(ctx.app, owner, id);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'ready', loaded_count: 2, error_count: 0 });
    const preview = await ctx.app.inject({
      method: 'GET',
      url: `/api/data-sources/${id}/preview`,
      headers: owner.headers,
    });
    expect(
      preview.json<{ records: { amount_minor: string; currency: string }[] }>().records[0],
    ).toMatchObject({ amount_minor: '123450', currency: 'EUR' });
    const next = await upload(
      ctx.app,
      owner,
      projectId,
      'feed-feb.csv',
      'When;What;Value\n02/02/2024;R-3;5,00\n',
      '?source_key=feed',
    );
    expect(next.json<{ mapping: unknown }>().mapping).not.toBeNull();
    const invalid = await ctx.app.inject({
      method: 'PUT',
      url: `/api/data-sources/${id}/mapping`,
      headers: owner.headers,
      payload: { mapping: { amount: 42 } },
    });
    expectProblem(invalid, 400, 'VALIDATION_FAILED');
  });

  it('deletes a data source and its file', async () => {
    const created = await upload(ctx.app, owner, projectId, 'temp.csv', 'Date,Amount\n2024-03-01,9.00\n');
    const id = created.json<{ id: string }>().id;
    await waitForIngestion(ctx.app, owner, id);
    expectProblem(
      await ctx.app.inject({ method: 'DELETE', url: `/api/data-sources/${id}`, headers: viewer.headers }),
      403,
      'FORBIDDEN',
    );
    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/data-sources/${id}`,
      headers: owner.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expectProblem(
      await ctx.app.inject({ method: 'GET', url: `/api/data-sources/${id}`, headers: owner.headers }),
      404,
      'DATA_SOURCE_NOT_FOUND',
    );
  });
});

import { sql, type Updateable } from 'kysely';
import { copyRows, type CopyTransaction } from '../../db/copy';
import type { DbOrTx } from '../../db/database';
import type { DataSourcesTable } from '../../db/schema';

export type DataSourceRow = Awaited<ReturnType<typeof findDataSource>> & object;

export function findDataSource(db: DbOrTx, id: string) {
  return db.selectFrom('data_sources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row for the rest of the transaction (status changes, delete). */
export function lockDataSource(db: DbOrTx, id: string) {
  return db.selectFrom('data_sources').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listDataSources(db: DbOrTx, projectId: string) {
  return db
    .selectFrom('data_sources')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findBySha(db: DbOrTx, projectId: string, sha256: string) {
  return db
    .selectFrom('data_sources')
    .select(['id', 'name'])
    .where('project_id', '=', projectId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

/** The mapping last confirmed for a feed, to reuse on its next upload. */
export async function rememberedMapping(db: DbOrTx, projectId: string, sourceKey: string): Promise<unknown> {
  const row = await db
    .selectFrom('data_sources')
    .select('mapping')
    .where('project_id', '=', projectId)
    .where('source_key', '=', sourceKey)
    .where('status', '=', 'ready')
    .where('mapping', 'is not', null)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.mapping ?? null;
}

export function insertDataSource(
  db: DbOrTx,
  values: {
    project_id: string;
    name: string;
    source_key: string;
    storage_key: string;
    size_bytes: number;
    sha256: string;
    format: string;
    mapping: string | null;
    created_by: string;
  },
) {
  return db.insertInto('data_sources').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateDataSource(db: DbOrTx, id: string, changes: Updateable<DataSourcesTable>) {
  return db
    .updateTable('data_sources')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function deleteDataSource(db: DbOrTx, id: string) {
  return db.deleteFrom('data_sources').where('id', '=', id).executeTakeFirst();
}

/** True when a job that is queued or running reads this data source. */
export async function isUsedByActiveJob(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('recon_jobs')
    .select('id')
    .where((eb) => eb.or([eb('source_data_source_id', '=', id), eb('target_data_source_id', '=', id)]))
    .where('status', 'in', ['queued', 'running'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when any job (in any state) reads this data source. */
export async function isUsedByAnyJob(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('recon_jobs')
    .select('id')
    .where((eb) => eb.or([eb('source_data_source_id', '=', id), eb('target_data_source_id', '=', id)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function errorsPage(db: DbOrTx, id: string, after: number, limit: number) {
  return db
    .selectFrom('data_source_errors')
    .select(['seq', 'row_no', 'column_name', 'raw', 'code', 'message'])
    .where('data_source_id', '=', id)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function countErrors(db: DbOrTx, id: string): Promise<number> {
  const row = await db
    .selectFrom('data_source_errors')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('data_source_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Appends row errors numbered from `firstSeq`, with COPY on the transaction's connection. */
export async function insertErrors(
  tx: CopyTransaction,
  id: string,
  firstSeq: number,
  errors: readonly { row: number; column: string; raw: string | null; code: string; message: string }[],
): Promise<void> {
  if (errors.length === 0) return;
  await copyRows(
    tx,
    'data_source_errors',
    ['data_source_id', 'seq', 'row_no', 'column_name', 'raw', 'code', 'message'],
    errors.map((e, i) => [id, firstSeq + i, e.row, e.column, e.raw, e.code, e.message]),
  );
}

export async function deleteErrors(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('data_source_errors').where('data_source_id', '=', id).execute();
}

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

/**
 * The format of a job's derived input (its chosen file's records plus carried-forward exceptions): it is
 * the job's, not the user's, so it is left out of listings, duplicate checks and remembered mappings, and
 * cannot be remapped or deleted on its own.
 */
export const CARRY_FORWARD_FORMAT = 'carry-forward';

export function listDataSources(db: DbOrTx, projectId: string) {
  return db
    .selectFrom('data_sources')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('format', '!=', CARRY_FORWARD_FORMAT)
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
    .where('format', '!=', CARRY_FORWARD_FORMAT)
    .executeTakeFirst();
}

/** The mapping last confirmed for a feed, to reuse on its next upload. */
export async function rememberedMapping(db: DbOrTx, projectId: string, sourceKey: string): Promise<unknown> {
  const row = await db
    .selectFrom('data_sources')
    .select('mapping')
    .where('project_id', '=', projectId)
    .where('source_key', '=', sourceKey)
    .where('format', '!=', CARRY_FORWARD_FORMAT)
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

/**
 * The stored files of a project's data sources (uploads and record snapshots), for removal once the project's
 * delete commits. A carry-forward input has no file of its own.
 */
export async function storedKeysOfProject(db: DbOrTx, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('data_sources')
    .select(['storage_key', 'snapshot_key'])
    .where('project_id', '=', projectId)
    .where('format', '!=', CARRY_FORWARD_FORMAT)
    .execute();
  return rows.flatMap((row) =>
    row.snapshot_key === null ? [row.storage_key] : [row.storage_key, row.snapshot_key],
  );
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

/** The jobs (any state) that read this data source, oldest first, at most `limit`. */
export function jobsUsing(db: DbOrTx, id: string, limit: number) {
  return db
    .selectFrom('recon_jobs')
    .select(['id', 'name', 'status'])
    .where((eb) => eb.or([eb('source_data_source_id', '=', id), eb('target_data_source_id', '=', id)]))
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Optional exact filters of the row-error report. */
export interface ErrorFilter {
  code?: string | undefined;
  column?: string | undefined;
}

function filteredErrors(db: DbOrTx, id: string, filter: ErrorFilter) {
  let query = db.selectFrom('data_source_errors').where('data_source_id', '=', id);
  if (filter.code !== undefined) query = query.where('code', '=', filter.code);
  if (filter.column !== undefined) query = query.where('column_name', '=', filter.column);
  return query;
}

export function errorsPage(db: DbOrTx, id: string, after: number, limit: number, filter: ErrorFilter = {}) {
  return filteredErrors(db, id, filter)
    .select(['seq', 'row_no', 'column_name', 'raw', 'code', 'message'])
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function countErrors(db: DbOrTx, id: string, filter: ErrorFilter = {}): Promise<number> {
  const row = await filteredErrors(db, id, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Error counts grouped by one column of the errors table, largest first, at most `limit` groups. */
export async function countErrorsBy(db: DbOrTx, id: string, by: 'code' | 'column_name', limit: number) {
  const rows = await db
    .selectFrom('data_source_errors')
    .select([by, (eb) => eb.fn.countAll<string>().as('n')])
    .where('data_source_id', '=', id)
    .groupBy(by)
    .orderBy('n', 'desc')
    .orderBy(by)
    .limit(limit)
    .execute();
  return rows.map((row) => ({ key: row[by], count: Number(row.n) }));
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

import type { Readable } from 'node:stream';
import { AppError, type ProjectRole } from '@recon/shared';
import { SNIFF_BYTES, sniffFormat } from '@recon/engine';
import type { Db, DbOrTx } from '../../db/database';
import { EVENT_CHANNELS, publish } from '../../events/event-bus';
import { INGEST_JOB } from '../../queue/job-types';
import type { ReconDeps } from '../../queue/recon-deps';
import { ObjectTooLargeError } from '../../storage/storage';
import { assertProjectRole } from '../../plugins/project-access.plugin';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { toDataSourceView, toRecordView } from './data-source-view';
import * as repo from './data-sources.repository';
import { readRecords } from './records.repository';
import { fileColumns, mappingIssues, previewMapping } from './mapping-preview';

const BANK_FORMATS: ReadonlySet<string> = new Set(['camt', 'mt940', 'ofx', 'qif', 'bai2']);

type AuthedActor = Actor & { userId: string };

export interface Upload {
  readonly fileName: string;
  readonly stream: Readable;
  /** True when the multipart parser cut the file at its size limit. */
  isTruncated(): boolean;
}

// Control characters and path separators have no place in a display name.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The display name of an upload: the last path segment, 1–255 characters. It is only ever stored as
 * text; the file lives under a server-generated key, so `../../etc/passwd` is just a name.
 */
export function displayName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()?.trim() ?? '';
  if (base === '' || base === '.' || base === '..' || base.length > 255 || CONTROL.test(base)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The file name must be 1–255 characters without control characters',
      {
        errors: [{ in: 'body', field: 'file', message: 'invalid file name' }],
      },
    );
  }
  return base;
}

/** Loads a data source the user may access with `minRole`; another project's source answers 404. */
export async function loadForMember(db: Db, userId: string, id: string, minRole: ProjectRole) {
  const row = await repo.findDataSource(db, id);
  if (row === undefined) throw new AppError('DATA_SOURCE_NOT_FOUND');
  await assertProjectRole(db, userId, row.project_id, minRole, 'DATA_SOURCE_NOT_FOUND');
  return row;
}

async function queueIngestion(db: DbOrTx, deps: ReconDeps, row: repo.DataSourceRow) {
  await deps.queue.enqueue(db, INGEST_JOB, { data_source_id: row.id });
  await publish(db, EVENT_CHANNELS.dataSources, {
    type: 'data_source.status',
    data_source_id: row.id,
    project_id: row.project_id,
    status: row.status,
  });
}

/**
 * Streams an upload to storage (hashing on the way), sniffs its content, refuses legacy `.xls` and unknown
 * content with 415 and a second upload of the same bytes with 409, then records the data source and
 * queues its ingestion in one transaction.
 */
export async function uploadDataSource(
  db: Db,
  deps: ReconDeps,
  actor: AuthedActor,
  projectId: string,
  upload: Upload,
  sourceKey?: string,
) {
  const name = displayName(upload.fileName);
  let stored;
  try {
    stored = await deps.storage.put(upload.stream, { maxBytes: deps.uploadMaxBytes });
  } catch (error) {
    if (error instanceof ObjectTooLargeError)
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${deps.uploadMaxBytes} bytes`);
    throw error;
  }
  const discard = () => deps.storage.delete(stored.key);
  try {
    if (upload.isTruncated())
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${deps.uploadMaxBytes} bytes`);
    if (stored.sizeBytes === 0)
      throw new AppError('VALIDATION_FAILED', 'The file is empty', {
        errors: [{ in: 'body', field: 'file', message: 'empty file' }],
      });
    const sniffed = sniffFormat(await deps.storage.readHead(stored.key, SNIFF_BYTES));
    if (sniffed.format === 'xls') {
      throw new AppError(
        'UNSUPPORTED_FILE_TYPE',
        'Legacy Excel 97-2003 (.xls) workbooks are not supported: save the sheet as .xlsx or CSV and upload again',
      );
    }
    if (sniffed.format === 'unknown') {
      throw new AppError(
        'UNSUPPORTED_FILE_TYPE',
        'The content is not a supported format: CSV/TSV/TXT, JSON/NDJSON, XLSX, Parquet, CAMT XML, MT940/942, OFX/QFX, QIF or BAI2',
      );
    }
    const duplicate = await repo.findBySha(db, projectId, stored.sha256);
    if (duplicate !== undefined) {
      throw new AppError(
        'DUPLICATE_FILE',
        `The same file was already uploaded as "${duplicate.name}" (data source ${duplicate.id})`,
      );
    }
    const key = sourceKey ?? name;
    return await db.transaction().execute(async (trx) => {
      const mapping = await repo.rememberedMapping(trx, projectId, key);
      const row = await repo.insertDataSource(trx, {
        project_id: projectId,
        name,
        source_key: key,
        storage_key: stored.key,
        size_bytes: stored.sizeBytes,
        sha256: stored.sha256,
        format: sniffed.format,
        mapping: mapping === null ? null : JSON.stringify(mapping),
        created_by: actor.userId,
      });
      await queueIngestion(trx, deps, row);
      await appendAuditEntry(
        trx,
        auditFor(
          actor,
          'data_source.uploaded',
          { type: 'data_source', id: row.id, projectId },
          { name, sha256: stored.sha256, size_bytes: stored.sizeBytes },
        ),
      );
      return toDataSourceView(row);
    });
  } catch (error) {
    await discard();
    throw error;
  }
}

const isTextRow = (value: unknown): value is (string | null)[] =>
  Array.isArray(value) && value.every((cell) => cell === null || typeof cell === 'string');

function rawPreviewOf(value: unknown, limit: number) {
  if (typeof value !== 'object' || value === null || !('columns' in value) || !('rows' in value)) return null;
  const { columns, rows } = value;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string') || !Array.isArray(rows))
    return null;
  return { columns, rows: rows.filter(isTextRow).slice(0, limit) };
}

export async function listDataSources(db: Db, projectId: string) {
  return { items: (await repo.listDataSources(db, projectId)).map(toDataSourceView) };
}

export async function getDataSource(db: Db, userId: string, id: string) {
  return toDataSourceView(await loadForMember(db, userId, id, 'viewer'));
}

export async function previewDataSource(db: Db, userId: string, id: string, limit: number) {
  const row = await loadForMember(db, userId, id, 'viewer');
  const records = await readRecords(db, id, '0', limit);
  const errors = await repo.errorsPage(db, id, 0, limit);
  return {
    raw: rawPreviewOf(row.raw_preview, limit),
    records: records.map(toRecordView),
    errors: errors.map((e) => ({
      row: Number(e.row_no),
      column: e.column_name,
      raw: e.raw,
      code: e.code,
      message: e.message,
    })),
  };
}

/** The stored first rows read with a proposed mapping, without saving it (for the mapping form). */
export async function previewMappingChange(
  db: Db,
  userId: string,
  id: string,
  mapping: unknown,
  limit: number,
) {
  const row = await loadForMember(db, userId, id, 'viewer');
  const raw = rawPreviewOf(row.raw_preview, limit);
  if (raw === null || BANK_FORMATS.has(row.format)) {
    throw new AppError(
      'DATA_SOURCE_NOT_READY',
      'This data source has no tabular rows to read with a mapping',
    );
  }
  return previewMapping(raw, mapping, limit);
}

/** Stores a new mapping and re-ingests with it; later uploads of the same feed start from it. */
export async function updateMapping(
  db: Db,
  deps: ReconDeps,
  actor: AuthedActor,
  id: string,
  mapping: Record<string, unknown>,
) {
  const current = await loadForMember(db, actor.userId, id, 'analyst');
  refuseDerived(current.format);
  // The stored raw view knows the file's columns: a mapping naming another column is refused here, field
  // by field, rather than failing the whole re-ingestion.
  const raw = BANK_FORMATS.has(current.format) ? null : rawPreviewOf(current.raw_preview, 0);
  const { issues } = mappingIssues(mapping, raw === null ? null : fileColumns(raw));
  if (issues.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'The column mapping is not valid', {
      errors: issues.map((issue) => ({ in: 'body', field: issue.field, message: issue.message })),
    });
  }
  return db.transaction().execute(async (trx) => {
    const row = await repo.lockDataSource(trx, id);
    if (row === undefined) throw new AppError('DATA_SOURCE_NOT_FOUND');
    if (row.status === 'queued' || row.status === 'ingesting')
      throw new AppError('CONFLICT', 'The data source is being ingested; try again when it is done');
    if (await repo.isUsedByActiveJob(trx, id)) throw new AppError('DATA_SOURCE_IN_USE');
    const updated = await repo.updateDataSource(trx, id, {
      mapping: JSON.stringify(mapping),
      status: 'queued',
      progress: 0,
      phase: null,
      failure: null,
    });
    if (updated === undefined) throw new AppError('DATA_SOURCE_NOT_FOUND');
    await queueIngestion(trx, deps, updated);
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'data_source.mapping_changed',
        { type: 'data_source', id, projectId: row.project_id },
        { mapping },
      ),
    );
    return toDataSourceView(updated);
  });
}

/** A job's derived input follows its job: remapped or deleted with it, never on its own. */
function refuseDerived(format: string): void {
  if (format === repo.CARRY_FORWARD_FORMAT)
    throw new AppError(
      'CONFLICT',
      'This data source is the carried-forward input of a reconciliation job; change or delete the job instead',
    );
}

const JOBS_NAMED = 5;

/** "Used by the jobs "March close" (completed), ...: delete those jobs first." */
function usedByJobsDetail(jobs: { id: string; name: string; status: string }[]): string {
  const named = jobs
    .slice(0, JOBS_NAMED)
    .map((job) => `"${job.name}" (${job.status}, id ${job.id})`)
    .join(', ');
  const more = jobs.length > JOBS_NAMED ? ' and more' : '';
  return `This data source is used by the reconciliation jobs ${named}${more}: delete those jobs first, then the data source`;
}

/** Deletes a data source and its file; refused (409, naming them) while any job reads it. */
export async function deleteDataSource(db: Db, deps: ReconDeps, actor: AuthedActor, id: string) {
  refuseDerived((await loadForMember(db, actor.userId, id, 'manager')).format);
  const keys = await db.transaction().execute(async (trx) => {
    const row = await repo.lockDataSource(trx, id);
    if (row === undefined) throw new AppError('DATA_SOURCE_NOT_FOUND');
    if (await repo.isUsedByActiveJob(trx, id)) throw new AppError('DATA_SOURCE_IN_USE');
    // Finished jobs keep their results, which point at this source's records: the source is kept until
    // those jobs are deleted (archiving would leave results whose inputs can no longer be shown). The
    // FOR UPDATE lock above also blocks a job being created on it meanwhile (the job's foreign key needs
    // a KEY SHARE lock), so this check cannot race with the delete below.
    const jobs = await repo.jobsUsing(trx, id, JOBS_NAMED + 1);
    if (jobs.length > 0) throw new AppError('DATA_SOURCE_IN_USE', usedByJobsDetail(jobs));
    await repo.deleteDataSource(trx, id);
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'data_source.deleted',
        { type: 'data_source', id, projectId: row.project_id },
        { name: row.name },
      ),
    );
    return [row.storage_key, row.snapshot_key];
  });
  for (const key of keys) if (key !== null) await deps.storage.delete(key);
}

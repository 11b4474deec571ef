import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  IngestError,
  ROW_NO,
  rawTable,
  columnMappingSchema,
  ingestFile,
  openSession,
  readRowErrors,
  recordsTable,
  type EngineSession,
  type IngestResult,
} from '@recon/engine';
import { copyTransaction } from '../../db/copy';
import type { Db } from '../../db/database';
import { EVENT_CHANNELS, publish } from '../../events/event-bus';
import type { AttemptInfo } from '../../queue/job-queue';
import type { FileStorage } from '../../storage/storage';
import * as repo from './data-sources.repository';
import { deleteRecords, insertRecords, type RecordRow } from './records.repository';
import { textOf, textOrNull } from './cell-values';
import { metrics } from '../../observability/platform-metrics';

const BATCH = 5_000;

export interface IngestDeps {
  readonly db: Db;
  readonly storage: FileStorage;
}

/** A local path for the object: the file itself when storage is local, else a temporary copy. */
async function localCopy(storage: FileStorage, key: string, temps: string[]): Promise<string> {
  const local = storage.localPath(key);
  if (local !== undefined) return local;
  const folder = await mkdtemp(path.join(tmpdir(), 'recon-ingest-'));
  temps.push(folder);
  const target = path.join(folder, 'upload');
  await pipeline(await storage.get(key), createWriteStream(target));
  return target;
}

async function readBatch(session: EngineSession, afterRow: string): Promise<RecordRow[]> {
  const reader = await session.connection.runAndReadAll(
    `SELECT row_no::VARCHAR, external_id, amount_minor::VARCHAR, currency, scale, booking_date::VARCHAR, value_date::VARCHAR,
            reference, counterparty, description, account, coalesce(extra::VARCHAR, '{}')
     FROM ${recordsTable('left')} AS rec WHERE rec.row_no > ${BigInt(afterRow).toString()} ORDER BY rec.row_no LIMIT ${BATCH}`,
  );
  return reader.getRowsJS().map((r) => ({
    row_no: textOf(r[0]),
    external_id: textOrNull(r[1]),
    amount_minor: textOf(r[2]),
    currency: textOrNull(r[3]),
    scale: Number(r[4]),
    booking_date: textOrNull(r[5]),
    value_date: textOrNull(r[6]),
    reference: textOrNull(r[7]),
    counterparty: textOrNull(r[8]),
    description: textOrNull(r[9]),
    account: textOrNull(r[10]),
    extra: textOf(r[11]),
  }));
}

const RAW_PREVIEW_ROWS = 50;

/** The first rows of a tabular file as read (text), or null for bank formats, which have no raw table. */
async function rawPreview(session: EngineSession, result: IngestResult): Promise<string | null> {
  if (result.mapping === null) return null;
  const reader = await session.connection.runAndReadAll(
    `SELECT * EXCLUDE (${ROW_NO}), ${ROW_NO} FROM ${rawTable('left')} ORDER BY ${ROW_NO} LIMIT ${RAW_PREVIEW_ROWS}`,
  );
  const columns = reader.columnNames();
  const rows = reader.getRowsJS().map((row) => row.map((cell) => textOrNull(cell)));
  return JSON.stringify({ columns, rows });
}

/**
 * Replaces the data source's records and row errors with this attempt's in one transaction, so a retried
 * or repeated ingestion never leaves a mix of two attempts.
 */
async function writeResult(
  deps: IngestDeps,
  session: EngineSession,
  id: string,
  result: IngestResult,
  onBatch: (done: number) => Promise<void>,
) {
  await copyTransaction(deps.db, async (tx) => {
    const { trx } = tx;
    await deleteRecords(trx, id);
    await repo.deleteErrors(trx, id);
    let after = '0';
    let written = 0;
    for (;;) {
      const rows = await readBatch(session, after);
      if (rows.length === 0) break;
      await insertRecords(tx, id, rows);
      written += rows.length;
      after = rows[rows.length - 1]?.row_no ?? after;
      await onBatch(written);
    }
    for (let offset = 0; offset < result.errorCount; offset += BATCH) {
      const errors = await readRowErrors(session, 'left', { offset, limit: BATCH });
      await repo.insertErrors(tx, id, offset + 1, errors);
    }
    await repo.updateDataSource(trx, id, {
      status: 'ready',
      progress: 100,
      phase: 'done',
      format: result.format,
      encoding: result.encoding,
      delimiter: result.delimiter,
      mapping: result.mapping === null ? null : JSON.stringify(result.mapping),
      detected: result.detected === null ? null : JSON.stringify(result.detected),
      profile: JSON.stringify(result.profile),
      raw_preview: await rawPreview(session, result),
      statements:
        result.statements === null
          ? null
          : JSON.stringify(result.statements, (_key, value: unknown) =>
              typeof value === 'bigint' ? value.toString() : value,
            ),
      row_count: result.rowCount,
      loaded_count: result.loadedCount,
      error_count: result.errorCount,
      rejected_row_count: result.rejectedRowCount,
      failure: null,
    });
  });
}

/**
 * The ingestion job: reads the stored file with the engine into DuckDB, then writes canonical records and
 * row errors to PostgreSQL. A file the engine refuses as a whole (`IngestError`) fails the data source
 * without retries; anything else is thrown so the queue retries.
 */
export async function runIngestJob(
  deps: IngestDeps,
  payload: { data_source_id: string },
  attempt: AttemptInfo,
): Promise<void> {
  const id = payload.data_source_id;
  const row = await repo.findDataSource(deps.db, id);
  if (row === undefined) {
    attempt.log.info({ dataSourceId: id }, 'data source gone; nothing to ingest');
    return;
  }
  const progress = async (phase: string, percent: number) => {
    await repo.updateDataSource(deps.db, id, { status: 'ingesting', phase, progress: percent });
    await publish(deps.db, EVENT_CHANNELS.dataSources, {
      type: 'data_source.progress',
      data_source_id: id,
      project_id: row.project_id,
      phase,
      progress: percent,
    });
  };
  const temps: string[] = [];
  const session = await openSession({ threads: 1 });
  const finished = metrics.jobStarted('ingest');
  let outcome: 'completed' | 'failed' | 'retried' = 'failed';
  try {
    await progress('read', 0);
    const filePath = await localCopy(deps.storage, row.storage_key, temps);
    // A stored mapping was validated when it was set; one that no longer parses is ignored and detection runs.
    const parsedMapping = row.mapping === null ? undefined : columnMappingSchema.safeParse(row.mapping);
    const mapping = parsedMapping?.success === true ? parsedMapping.data : undefined;
    let result: IngestResult;
    try {
      result = await ingestFile(session, 'left', {
        path: filePath,
        ...(mapping !== undefined ? { mapping } : {}),
      });
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      await repo.updateDataSource(deps.db, id, {
        status: 'failed',
        phase: 'failed',
        failure: JSON.stringify({ code: error.code, message: error.message }),
      });
      await publish(deps.db, EVENT_CHANNELS.dataSources, {
        type: 'data_source.status',
        data_source_id: id,
        project_id: row.project_id,
        status: 'failed',
      });
      attempt.log.info({ dataSourceId: id, code: error.code }, 'file refused by the engine');
      return;
    }
    await progress('write', 50);
    const total = Math.max(1, result.loadedCount);
    await writeResult(deps, session, id, result, async (done) => {
      const percent = 50 + Math.floor((49 * done) / total);
      await publish(deps.db, EVENT_CHANNELS.dataSources, {
        type: 'data_source.progress',
        data_source_id: id,
        project_id: row.project_id,
        phase: 'write',
        progress: percent,
      });
    });
    await publish(deps.db, EVENT_CHANNELS.dataSources, {
      type: 'data_source.status',
      data_source_id: id,
      project_id: row.project_id,
      status: 'ready',
    });
    outcome = 'completed';
    metrics.recordsProcessed('ingest', result.loadedCount);
    attempt.log.info(
      { dataSourceId: id, loaded: result.loadedCount, errors: result.errorCount },
      'ingestion finished',
    );
  } catch (error) {
    if (!attempt.isLastAttempt) outcome = 'retried';
    if (attempt.isLastAttempt) {
      await repo.updateDataSource(deps.db, id, {
        status: 'failed',
        phase: 'failed',
        failure: JSON.stringify({ code: 'INTERNAL_ERROR', message: 'ingestion failed' }),
      });
    }
    throw error;
  } finally {
    finished(outcome);
    session.close();
    await Promise.all(temps.map((folder) => rm(folder, { recursive: true, force: true })));
  }
}

import { rm } from 'node:fs/promises';
import { createWriteStream, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  IngestError,
  columnMappingSchema,
  ingestFile,
  openSession,
  readRowErrors,
  type EngineSession,
  type IngestResult,
} from '@recon/engine';
import { copyTransaction, withoutStatementTimeout } from '../../db/copy';
import type { Db } from '../../db/database';
import { EVENT_CHANNELS, publish } from '../../events/event-bus';
import type { AttemptInfo } from '../../queue/job-queue';
import type { FileStorage } from '../../storage/storage';
import * as repo from './data-sources.repository';
import { appendRecordsCsv, deleteRecords } from './records.repository';
import { exportRecords } from './records-csv';
import { rawPreview } from './raw-preview';
import { metrics } from '../../observability/platform-metrics';
import { scratchFolder } from '../../lib/scratch';

const BATCH = 5_000;

export interface IngestDeps {
  readonly db: Db;
  readonly storage: FileStorage;
}

/** A local path for the object: the file itself when storage is local, else a temporary copy. */
async function localCopy(storage: FileStorage, key: string, temps: string[]): Promise<string> {
  const local = storage.localPath(key);
  if (local !== undefined) return local;
  const folder = await scratchFolder('ingest');
  temps.push(folder);
  const target = path.join(folder, 'upload');
  await pipeline(await storage.get(key), createWriteStream(target));
  return target;
}

/** Passes bytes through, reporting the share of `total` seen so far (for progress events). */
function byteCounter(total: number, report: (fraction: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      report(total === 0 ? 1 : seen / total);
      done(null, chunk);
    },
  });
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
  rawView: string | null,
  folder: string,
  onBatch: (done: number) => void,
) {
  // Exported before the transaction opens, so the transaction (and its lock on the records) lasts only as
  // long as PostgreSQL's COPY.
  const file = path.join(folder, 'records.csv');
  await exportRecords(session, id, file);
  await copyTransaction(deps.db, async (tx) => {
    const { trx } = tx;
    await withoutStatementTimeout(trx);
    await deleteRecords(trx, id);
    await repo.deleteErrors(trx, id);
    await appendRecordsCsv(
      tx,
      file,
      byteCounter(statSync(file).size, (fraction) => {
        onBatch(Math.floor(fraction * result.loadedCount));
      }),
    );
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
      raw_preview: rawView,
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
    const readStarted = Date.now();
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
    const readMs = Date.now() - readStarted;
    const writeStarted = Date.now();
    await progress('write', 50);
    const total = Math.max(1, result.loadedCount);
    const rawView = await rawPreview(session, result, filePath);
    const exportFolder = await scratchFolder('ingest');
    temps.push(exportFolder);
    let lastPercent = 50;
    await writeResult(deps, session, id, result, rawView, exportFolder, (done) => {
      const percent = 50 + Math.floor((49 * done) / total);
      if (percent === lastPercent) return;
      lastPercent = percent;
      // Fire and forget: progress is advisory and must not hold the COPY stream.
      publish(deps.db, EVENT_CHANNELS.dataSources, {
        type: 'data_source.progress',
        data_source_id: id,
        project_id: row.project_id,
        phase: 'write',
        progress: percent,
      }).catch(() => undefined);
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
      {
        dataSourceId: id,
        loaded: result.loadedCount,
        errors: result.errorCount,
        read_ms: readMs,
        write_ms: Date.now() - writeStarted,
      },
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

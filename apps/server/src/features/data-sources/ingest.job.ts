import { rm } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  IngestError,
  columnMappingSchema,
  ingestFile,
  openSession,
  profileTable,
  readRowErrors,
  type ColumnProfile,
  type EngineSession,
  type IngestResult,
} from '@recon/engine';
import { copyTransaction, withoutStatementTimeout } from '../../db/copy';
import { lockBulkParent } from '../../db/parent-lock';
import type { Db } from '../../db/database';
import { EVENT_CHANNELS, publish } from '../../events/event-bus';
import type { AttemptInfo } from '../../queue/job-queue';
import type { FileStorage } from '../../storage/storage';
import * as repo from './data-sources.repository';
import { appendRecordsCsvStream, deleteRecords } from './records.repository';
import { exportRecordParts } from './records-parts';
import { exportSnapshot } from './records-csv';
import { markInputsChanged } from '../jobs/jobs.repository';
import { rawPreview } from './raw-preview';
import { metrics } from '../../observability/platform-metrics';
import { scratchFolder } from '../../lib/scratch';
import { IngestPhases } from './ingest-phases';

const BATCH = 5_000;

export interface IngestDeps {
  readonly db: Db;
  readonly storage: FileStorage;
  /** DuckDB threads of one ingestion's session (`WORKER_INGEST_THREADS`); 1 when absent. */
  readonly threads?: number;
  /** DuckDB memory limit of the session (`WORKER_INGEST_MEMORY_LIMIT`); past it DuckDB spills. */
  readonly memoryLimit?: string;
}

const cpuMs = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 1000);

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
  profile: () => Promise<ColumnProfile[]>,
  folder: string,
  phases: IngestPhases,
  onBatch: (done: number) => void,
) {
  // DuckDB exports the records in parts while PostgreSQL copies the parts already written, then profiles
  // (one query at a time on the session's connection): both off the COPY's path.
  phases.enter('copy');
  const parts = await exportRecordParts(session, id, folder, (fraction) => {
    onBatch(Math.floor(fraction * result.loadedCount));
  });
  const profiling = parts.exported.then(profile);
  // Then the Parquet snapshot a reconciliation job reads (migration 0109), also while PostgreSQL copies.
  const snapshotting = profiling.then(() => storeSnapshot(deps.storage, session, id, folder));
  // Settled before this returns whatever happens: the caller closes the session these queries use.
  profiling.catch(() => undefined);
  snapshotting.catch(() => undefined);
  let committed = false;
  try {
    const previous = await copyRecords(
      deps,
      session,
      id,
      result,
      rawView,
      profiling,
      snapshotting,
      parts.stream,
      phases,
    );
    committed = true;
    // The records it described are gone: so is the previous ingestion's snapshot.
    if (previous !== null) await deps.storage.delete(previous);
  } finally {
    parts.stream.destroy();
    await profiling.catch(() => undefined);
    const key = await snapshotting.catch(() => undefined);
    if (!committed && key !== undefined) await deps.storage.delete(key);
  }
}

/** Writes the session's records to a Parquet file in `folder`, stores it and returns its storage key. */
async function storeSnapshot(
  storage: FileStorage,
  session: EngineSession,
  id: string,
  folder: string,
): Promise<string> {
  const file = path.join(folder, 'snapshot.parquet');
  await exportSnapshot(session, id, file);
  try {
    return (await storage.put(createReadStream(file))).key;
  } finally {
    await rm(file, { force: true });
  }
}

async function copyRecords(
  deps: IngestDeps,
  session: EngineSession,
  id: string,
  result: IngestResult,
  rawView: string | null,
  profiling: Promise<ColumnProfile[]>,
  snapshotting: Promise<string>,
  records: Readable,
  phases: IngestPhases,
): Promise<string | null> {
  return copyTransaction(deps.db, async (tx) => {
    const { trx } = tx;
    await withoutStatementTimeout(trx);
    // records and data_source_errors have no foreign key: this lock keeps a concurrent delete from
    // orphaning them (and refuses when the data source is already gone).
    await lockBulkParent(trx, 'data_sources', id);
    const previous = (await repo.findDataSource(trx, id))?.snapshot_key ?? null;
    await deleteRecords(trx, id);
    await repo.deleteErrors(trx, id);
    await appendRecordsCsvStream(tx, records);
    // The profile ran in DuckDB while PostgreSQL copied; row errors below use the same DuckDB connection.
    phases.enter('profile_wait');
    const profile = await profiling;
    phases.enter('errors');
    for (let offset = 0; offset < result.errorCount; offset += BATCH) {
      const errors = await readRowErrors(session, 'left', { offset, limit: BATCH });
      await repo.insertErrors(tx, id, offset + 1, errors);
    }
    phases.enter('snapshot_wait');
    const snapshotKey = await snapshotting;
    phases.enter('commit');
    await repo.updateDataSource(trx, id, {
      snapshot_key: snapshotKey,
      status: 'ready',
      progress: 100,
      phase: 'done',
      format: result.format,
      encoding: result.encoding,
      delimiter: result.delimiter,
      mapping: result.mapping === null ? null : JSON.stringify(result.mapping),
      detected: result.detected === null ? null : JSON.stringify(result.detected),
      profile: JSON.stringify(profile),
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
    // Completed jobs that read the records this replaces now describe records that are gone (a first
    // ingestion has none: a job runs only on ready data sources).
    await markInputsChanged(trx, id);
    return previous;
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
  const spill = await scratchFolder('duckdb');
  temps.push(spill);
  const session = await openSession({
    threads: deps.threads ?? 1,
    tempDirectory: spill,
    ...(deps.memoryLimit === undefined ? {} : { memoryLimit: deps.memoryLimit }),
  });
  const phases = new IngestPhases();
  const cpuStarted = process.cpuUsage();
  const finished = metrics.jobStarted('ingest');
  let outcome: 'completed' | 'failed' | 'retried' = 'failed';
  try {
    phases.enter('start');
    await progress('read', 0);
    phases.enter('storage');
    const filePath = await localCopy(deps.storage, row.storage_key, temps);
    // A stored mapping was validated when it was set; one that no longer parses is ignored and detection runs.
    const parsedMapping = row.mapping === null ? undefined : columnMappingSchema.safeParse(row.mapping);
    const mapping = parsedMapping?.success === true ? parsedMapping.data : undefined;
    let result: IngestResult;
    const readStarted = Date.now();
    try {
      result = await ingestFile(
        session,
        'left',
        // With a mapping nothing in the engine needs the profile (detection does), so it is left for later
        // and runs while PostgreSQL copies the records.
        { path: filePath, ...(mapping !== undefined ? { mapping, profile: false } : {}) },
        {
          onProgress: (phase) => {
            phases.enter(phase);
          },
        },
      );
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
    phases.enter('status');
    await progress('write', 50);
    const total = Math.max(1, result.loadedCount);
    phases.enter('preview');
    const rawView = await rawPreview(session, result, filePath);
    const exportFolder = await scratchFolder('ingest');
    temps.push(exportFolder);
    let lastPercent = 50;
    // A bank statement's profile comes from its records (the engine always makes it); a table's from the raw
    // table, which the engine keeps.
    const profile = () =>
      mapping !== undefined && result.mapping !== null
        ? profileTable(session, 'left')
        : Promise.resolve(result.profile);
    await writeResult(deps, session, id, result, rawView, profile, exportFolder, phases, (done) => {
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
    phases.enter('status');
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
        threads: deps.threads ?? 1,
        phases_ms: phases.finish(),
        // The whole process's CPU over the attempt: includes other attempts that ran beside it.
        cpu_ms: cpuMs(process.cpuUsage(cpuStarted)),
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

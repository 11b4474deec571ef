import { rm } from 'node:fs/promises';
import { openSession, parseRuleSet, reconcile, type EngineSession, type RuleSet } from '@recon/engine';
import type { Db } from '../../db/database';
import type { FileStorage } from '../../storage/storage';
import { EVENT_CHANNELS, publish } from '../../events/event-bus';
import type { AttemptInfo } from '../../queue/job-queue';
import { findDataSource } from '../data-sources/data-sources.repository';
import * as writer from '../results/results-writer.repository';
import {
  attachResultRun,
  discardStagedRun,
  ResultIndexing,
  stageResultRun,
} from '../results/result-partitions';
import { engineVersion } from './engine-version';
import { transitionJob } from './jobs.service';
import * as repo from './jobs.repository';
import { loadSides } from './load-records';
import type { CsvParts } from '../../lib/csv-parts';
import { explainSuggested, exportMatchParts, exportUnmatched, shareCoresWithCopy } from './match-writer';
import { stampCarriedExceptions } from './carry-forward.repository';
import { currencyTallies } from './currency-tallies';
import { metrics } from '../../observability/platform-metrics';
import { scratchFolder } from '../../lib/scratch';

const CANCEL_POLL_MS = 1_000;
const PROGRESS_EVERY_MS = 500;
/**
 * Connections building the results' indexes once the matches' COPY is done: each build is a CPU-bound sort,
 * one per core here. Beside that COPY (and DuckDB's export feeding it) the builds take one.
 */
const INDEX_LANES = 2;

/** The attempt lost its job (cancelled, deleted or superseded by a rerun): its work is discarded. */
class AttemptDiscarded extends Error {}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

function rulesOf(job: repo.JobRow): RuleSet {
  const rules = parseRuleSet(job.rules);
  return {
    ...rules,
    confidence_threshold: job.confidence_threshold ?? rules.confidence_threshold,
    auto_confirm_threshold: job.auto_confirm_threshold ?? rules.auto_confirm_threshold,
  };
}

/**
 * The reconciliation job. Loads both sources from PostgreSQL into DuckDB, runs the engine, then replaces
 * the job's results and marks it completed in ONE transaction that first re-checks (under a row lock)
 * that this attempt still owns the job. A worker killed before that commit leaves nothing behind and the
 * retry starts over; a redelivery after it finds the job completed and does nothing. So results are
 * written exactly once per run.
 */
export async function runReconcileJob(
  deps: { db: Db; storage: FileStorage },
  payload: { job_id: string; run_no: number },
  attempt: AttemptInfo,
): Promise<void> {
  const { db } = deps;
  const id = payload.job_id;
  const log = attempt.log.child({ jobId: id, runNo: payload.run_no });
  const job = await repo.findJob(db, id);
  if (job === undefined || job.run_no !== payload.run_no || !['queued', 'running'].includes(job.status)) {
    log.info({ status: job?.status }, 'job no longer waits for this run; skipped');
    return;
  }
  const started = Date.now();
  const running = await transitionJob(db, id, 'run', {
    attempt: job.attempt + 1,
    started_at: new Date(started),
    phase: 'load',
    progress: 0,
  });
  if (running === undefined) return;
  const [left, right] = await Promise.all([
    findDataSource(db, job.source_data_source_id),
    findDataSource(db, job.target_data_source_id),
  ]);
  if (left?.status !== 'ready' || right?.status !== 'ready') {
    await transitionJob(db, id, 'fail', {
      failure: json({ code: 'DATA_SOURCE_NOT_READY', message: 'a data source is missing or not ingested' }),
      finished_at: new Date(),
    });
    return;
  }

  const controller = new AbortController();
  const poll = setInterval(() => {
    repo.statusOf(db, id).then(
      (state) => {
        if (state?.status !== 'running' || state.run_no !== payload.run_no)
          controller.abort(new AttemptDiscarded('job cancelled'));
      },
      () => undefined,
    );
  }, CANCEL_POLL_MS);
  let lastProgress = 0;
  let lastPhase = '';
  const progress = async (phase: string, fraction: number) => {
    const now = Date.now();
    if (phase === lastPhase && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastPhase = phase;
    lastProgress = now;
    const percent = Math.max(0, Math.min(99, Math.round(fraction * 100)));
    const eta = fraction > 0.02 ? Math.round(((now - started) / 1000) * ((1 - fraction) / fraction)) : null;
    if (await repo.updateProgress(db, id, { progress: percent, phase, eta_seconds: eta })) {
      await publish(db, EVENT_CHANNELS.jobs, {
        type: 'job.progress',
        job_id: id,
        project_id: job.project_id,
        progress: percent,
        phase,
        eta_seconds: eta,
      });
    }
  };
  let session: EngineSession | undefined;
  let folder: string | undefined;
  let spill: string | undefined;
  // DuckDB's export of the matches, started while the unmatched tables are staged, and PostgreSQL's staging
  // work: settled before the session closes and before a failed attempt's tables are dropped, however the
  // write ended (a COPY still running could otherwise commit a table after the drop).
  let matchParts: Promise<CsvParts> | undefined;
  const staging: Promise<void>[] = [];
  const run = { jobId: id, runNo: payload.run_no };
  const indexing = new ResultIndexing(db, run);
  let staged = false;
  const overlapped: {
    explain_ms?: number;
    export_matches_ms?: number;
    copy_matches_ms?: number;
    matches_wait_ms?: number;
    index_all_ms?: number;
  } = {};
  let settled: Promise<void> | undefined;
  /**
   * Stops the matches' parts not yet written (and the COPY reading them), waits for every DuckDB and
   * PostgreSQL step of the write to settle, then drops the attempt's staged tables unless it completed: an
   * attempt that did not attach them leaves nothing behind (the sweep would otherwise drop them once the
   * job moves on). Once per attempt, however often called.
   */
  const settleWrite = (completed: boolean) =>
    (settled ??= (async () => {
      const matches = await matchParts?.catch(() => undefined);
      matches?.stream.destroy();
      indexing.cancel();
      await Promise.allSettled([...staging, matches?.exported]);
      await indexing.done().catch(() => undefined);
      if (staged && !completed)
        await discardStagedRun(db, run).catch((error: unknown) => {
          log.warn({ err: error }, 'could not drop the staged results tables; the sweep will');
        });
    })());
  const finished = metrics.jobStarted('reconcile');
  let outcome: 'completed' | 'cancelled' | 'failed' | 'retried' = 'failed';
  try {
    const rules = rulesOf(running);
    spill = await scratchFolder('duckdb');
    // Spill files (past DuckDB's memory limit) go to the job's own scratch folder, removed at the end.
    session = await openSession({ tempDirectory: spill });
    await progress('load', 0.01);
    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (name: string) => {
      timings[name] = Date.now() - mark;
      mark = Date.now();
    };
    const source = (row: typeof left) => ({
      id: row.id,
      snapshotKey: row.snapshot_key,
      loadedCount: row.loaded_count,
    });
    const counts = await loadSides(db, deps.storage, session, { left: source(left), right: source(right) });
    const [leftCount, rightCount] = [counts.left, counts.right];
    lap('load_ms');
    controller.signal.throwIfAborted();
    await progress('match', 0.2);
    let phase = 'match';
    const statistics = await reconcile(session, rules, {
      signal: controller.signal,
      onProgress: (p, f) => {
        phase = p;
        void progress(p, 0.2 + 0.6 * f).catch(() => undefined);
      },
    });
    lap('match_ms');
    // The summary's amounts per currency and scale, which the engine's side totals add up across currencies.
    const stored = { ...statistics, by_currency: await currencyTallies(session) };
    lap('currency_tally_ms');
    log.debug({ phase }, 'matching finished');
    await progress('write', 0.8);
    const provenance = {
      engine_version: await engineVersion(),
      rule_set_id: running.rule_set_id,
      rule_set_version: running.rule_set_version,
      source: { data_source_id: left.id, sha256: left.sha256, records: leftCount },
      target: { data_source_id: right.id, sha256: right.sha256, records: rightCount },
      rules,
    };
    // The results go into tables of this run's own, staged bare and indexed while nobody sees them, then
    // attached in the transaction that completes the job (result-partitions.ts). The unmatched records and
    // discrepancies go first: PostgreSQL copies them while DuckDB explains the suggested matches, gathers
    // their member rows and exports the matches in parts by match id; the matches' COPY reads each part as
    // soon as it is written, DuckDB keeping to the cores besides the one that COPY uses. The other two
    // tables' index builds start on one connection beside that COPY; once it is done the matches' builds
    // join the same queue ahead of what is left, on two connections. The job's row lock lasts only the attach.
    folder = await scratchFolder('results');
    const resultsFolder = folder;
    const unmatched = await exportUnmatched(session, run, folder);
    lap('export_ms');
    controller.signal.throwIfAborted();
    const duck = session;
    await shareCoresWithCopy(duck);
    staged = true;
    await stageResultRun(db, run);
    const explaining = Date.now();
    const parts = explainSuggested(duck, rules).then(() => {
      overlapped.explain_ms = Date.now() - explaining;
      return exportMatchParts(duck, run, resultsFolder);
    });
    matchParts = parts;
    // Awaited by the steps below or, when one fails first, in `finally`: not an unhandled rejection meanwhile.
    parts.catch(() => undefined);
    const stagingUnmatched = writer.stageUnmatchedFiles(db, run, unmatched);
    const stagingMatches = parts.then(async (matches) => {
      // A cancelled attempt stops the COPY (and with it the parts not yet written) instead of finishing it.
      const stop = () => matches.stream.destroy(new AttemptDiscarded('job cancelled'));
      controller.signal.throwIfAborted();
      controller.signal.addEventListener('abort', stop, { once: true });
      const copying = Date.now();
      try {
        await writer.stageMatches(db, run, matches.stream);
      } finally {
        controller.signal.removeEventListener('abort', stop);
      }
      overlapped.copy_matches_ms = Date.now() - copying;
      overlapped.matches_wait_ms = matches.waitedMs();
    });
    staging.push(stagingUnmatched, stagingMatches);
    stagingMatches.catch(() => undefined);
    await stagingUnmatched;
    lap('stage_unmatched_ms');
    // Progress through the write: its steps' shares of a 1M run's write time (platform benchmark).
    await progress('write', 0.85);
    controller.signal.throwIfAborted();
    const indexingStarted = Date.now();
    await indexing.add('recon_exceptions');
    await indexing.add('recon_discrepancies');
    indexing.widen(1);
    const exported = parts.then(async (matches) => {
      await matches.exported;
      overlapped.export_matches_ms = Date.now() - explaining - (overlapped.explain_ms ?? 0);
    });
    await Promise.all([stagingMatches, exported]);
    lap('stage_matches_ms');
    await progress('write', 0.93);
    controller.signal.throwIfAborted();
    await indexing.add('recon_matches', { first: true });
    indexing.widen(INDEX_LANES);
    await indexing.done();
    overlapped.index_all_ms = Date.now() - indexingStarted;
    lap('index_ms');
    await progress('write', 0.99);
    controller.signal.throwIfAborted();
    await db.transaction().execute(async (trx) => {
      const locked = await repo.lockJob(trx, id);
      if (locked?.status !== 'running' || locked.run_no !== payload.run_no)
        throw new AttemptDiscarded('job changed while running');
      await writer.clearComments(trx, id);
      await attachResultRun(trx, run);
      await stampCarriedExceptions(trx, id);
      const done = await transitionJob(trx, id, 'complete', {
        progress: 100,
        phase: 'done',
        eta_seconds: 0,
        statistics: json(stored),
        provenance: json(provenance),
        finished_at: new Date(),
        // The results now describe the data sources' current records (migration 0113).
        inputs_changed_at: null,
      });
      if (done === undefined) throw new AttemptDiscarded('job changed while writing');
    });
    lap('attach_ms');
    outcome = 'completed';
    metrics.recordsProcessed('reconcile', leftCount + rightCount);
    // The DuckDB export of the matches (explain_ms, export_matches_ms), their COPY (copy_matches_ms, of
    // which matches_wait_ms waiting for DuckDB's parts) and the index builds from the first to the last
    // (index_all_ms) overlap the phases that add up to the job's time, so they are logged apart.
    log.info(
      { matches: statistics.matches, ms: Date.now() - started, ...timings, overlapped },
      'reconcile finished',
    );
  } catch (error) {
    // Before the job moves on: its retry then finds nothing of this attempt still writing or staged.
    await settleWrite(false);
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    if (reason instanceof AttemptDiscarded || error instanceof AttemptDiscarded) {
      log.info({ reason: reason instanceof Error ? reason.message : String(reason) }, 'attempt discarded');
      outcome = 'cancelled';
      return;
    }
    if (attempt.isLastAttempt) {
      await transitionJob(db, id, 'fail', {
        failure: json({ code: 'INTERNAL_ERROR', message: 'the reconciliation failed' }),
        finished_at: new Date(),
      });
    } else {
      outcome = 'retried';
      await transitionJob(db, id, 'retry', { phase: 'retrying' });
    }
    log.warn({ err: error, lastAttempt: attempt.isLastAttempt }, 'reconcile attempt failed');
    throw error;
  } finally {
    finished(outcome);
    clearInterval(poll);
    await settleWrite(outcome === 'completed');
    session?.close();
    for (const path of [folder, spill])
      if (path !== undefined) await rm(path, { recursive: true, force: true });
  }
}

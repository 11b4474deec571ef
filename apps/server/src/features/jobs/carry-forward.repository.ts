import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';
import { CARRY_FORWARD_FORMAT } from '../data-sources/data-sources.repository';

type Side = 'left' | 'right';

/** A job's carry-forward settings and, once it has run, what was carried (`recon_job_carry_forward`). */
export interface CarryRow {
  job_id: string;
  mode: 'latest' | 'job' | 'off';
  requested_job_id: string | null;
  base_source_data_source_id: string;
  base_target_data_source_id: string;
  carried_from_job_id: string | null;
  carried_from_job_name: string | null;
  carried_left: number | null;
  carried_right: number | null;
  materialised_at: Date | null;
  rechoose: boolean;
}

export async function insertCarry(
  db: DbOrTx,
  values: Pick<
    CarryRow,
    'job_id' | 'mode' | 'requested_job_id' | 'base_source_data_source_id' | 'base_target_data_source_id'
  >,
): Promise<void> {
  await sql`INSERT INTO recon_job_carry_forward
      (job_id, mode, requested_job_id, base_source_data_source_id, base_target_data_source_id)
    VALUES (${values.job_id}, ${values.mode}, ${values.requested_job_id},
      ${values.base_source_data_source_id}, ${values.base_target_data_source_id})`.execute(db);
}

export async function findCarry(db: DbOrTx, jobId: string): Promise<CarryRow | undefined> {
  const { rows } = await sql<CarryRow>`SELECT * FROM recon_job_carry_forward WHERE job_id = ${jobId}`.execute(
    db,
  );
  return rows[0];
}

export async function carriesOf(db: DbOrTx, jobIds: readonly string[]): Promise<CarryRow[]> {
  if (jobIds.length === 0) return [];
  const { rows } = await sql<CarryRow>`SELECT * FROM recon_job_carry_forward
    WHERE job_id = ANY(${[...jobIds]}::uuid[])`.execute(db);
  return rows;
}

export async function deleteCarry(db: DbOrTx, jobId: string): Promise<void> {
  await sql`DELETE FROM recon_job_carry_forward WHERE job_id = ${jobId}`.execute(db);
}

/**
 * Changes what to carry from. `keepInputs`: the job's current results use derived inputs, so they stay
 * (with what was carried) until the next run chooses again; otherwise what was carried is forgotten now.
 */
export async function updateCarryRequest(
  db: DbOrTx,
  jobId: string,
  mode: CarryRow['mode'],
  requestedJobId: string | null,
  keepInputs: boolean,
): Promise<void> {
  if (keepInputs) {
    await sql`UPDATE recon_job_carry_forward SET mode = ${mode}, requested_job_id = ${requestedJobId},
        rechoose = true
      WHERE job_id = ${jobId}`.execute(db);
    return;
  }
  await sql`UPDATE recon_job_carry_forward SET mode = ${mode}, requested_job_id = ${requestedJobId},
      carried_from_job_id = NULL, carried_from_job_name = NULL, carried_left = NULL, carried_right = NULL,
      materialised_at = NULL, rechoose = false
    WHERE job_id = ${jobId}`.execute(db);
}

export async function markMaterialised(
  db: DbOrTx,
  jobId: string,
  values: { from: { id: string; name: string } | null; left: number; right: number },
): Promise<void> {
  await sql`UPDATE recon_job_carry_forward SET carried_from_job_id = ${values.from?.id ?? null},
      carried_from_job_name = ${values.from?.name ?? null}, carried_left = ${values.left},
      carried_right = ${values.right}, materialised_at = now(), rechoose = false
    WHERE job_id = ${jobId}`.execute(db);
}

/** The project's most recently finished completed job other than `exceptId`. */
export async function latestCompletedJob(
  db: DbOrTx,
  projectId: string,
  exceptId: string,
): Promise<{ id: string; name: string } | undefined> {
  const { rows } = await sql<{ id: string; name: string }>`SELECT id, name FROM recon_jobs
    WHERE project_id = ${projectId} AND status = 'completed' AND id <> ${exceptId}
    ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1`.execute(db);
  return rows[0];
}

/** Row numbers (ascending) of the job's still-open exceptions on one side: what carry-forward takes. */
export async function openExceptionRows(db: DbOrTx, jobId: string, side: Side): Promise<string[]> {
  const { rows } = await sql<{ row_no: string }>`SELECT row_no::text AS row_no FROM recon_exceptions
    WHERE job_id = ${jobId} AND side = ${side} AND status IN ('open', 'investigating')
    ORDER BY row_no`.execute(db);
  return rows.map((r) => r.row_no);
}

/**
 * Lifts the statement timeout for the rest of the caller's transaction: copying a large source's records
 * is one long statement (measured: 1M records in ~12 s on a busy 2-core machine).
 */
export async function allowLongStatements(db: DbOrTx): Promise<void> {
  await sql`SET LOCAL statement_timeout = 0`.execute(db);
}

/**
 * A derived data source: a copy of `baseId`'s row (format 'carry-forward', no stored file of its own)
 * with all of its records, row numbers unchanged. The carried records are appended after it. records has no
 * foreign key, and needs no parent lock here: no other transaction can see, let alone delete, the data source
 * row this one inserts until it commits.
 */
export async function createDerivedSource(
  db: DbOrTx,
  input: {
    baseId: string;
    jobId: string;
    side: Side;
    name: string;
    sha256: string;
    createdBy: string | null;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO data_sources
      (project_id, name, source_key, storage_key, size_bytes, sha256, format, status, progress, phase, mapping,
       detected, encoding, delimiter, row_count, loaded_count, error_count, rejected_row_count, created_by)
    SELECT project_id, ${input.name}, ${`carry-forward:${input.jobId}:${input.side}`},
      ${`carry-forward/${input.jobId}/${input.side}`}, 0, ${input.sha256}, ${CARRY_FORWARD_FORMAT}, 'ready', 100, 'done',
      mapping, detected, encoding, delimiter, 0, 0, 0, 0, ${input.createdBy}
    FROM data_sources WHERE id = ${input.baseId}
    RETURNING id`.execute(db);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`data source ${input.baseId} vanished while carrying forward`);
  await sql`INSERT INTO records (data_source_id, row_no, external_id, amount_minor, currency, scale, booking_date,
      value_date, reference, counterparty, description, account, extra)
    SELECT ${id}, row_no, external_id, amount_minor, currency, scale, booking_date, value_date, reference,
      counterparty, description, account, extra
    FROM records WHERE data_source_id = ${input.baseId}`.execute(db);
  return id;
}

/**
 * Appends the open exceptions of `fromJobId` on `side` to the derived source, numbered after the base's
 * last row in their original order, and records where each came from and its review state there (status,
 * assignee). A record the earlier job had itself carried keeps its first origin and first-seen time.
 * Returns how many were carried.
 */
export async function appendCarried(
  db: DbOrTx,
  input: { derivedId: string; side: Side; fromJobId: string; fromDataSourceId: string; baseId: string },
): Promise<number> {
  const { derivedId, side, fromJobId, fromDataSourceId } = input;
  const result = await sql`WITH offset_row AS (
      SELECT coalesce(max(row_no), 0) AS last FROM records WHERE data_source_id = ${input.baseId}
    ), numbered AS (
      SELECT e.row_no AS from_row_no, e.first_seen_at, e.status, e.assignee_id,
        (SELECT last FROM offset_row) + row_number() OVER (ORDER BY e.row_no) AS new_row
      FROM recon_exceptions e
      WHERE e.job_id = ${fromJobId} AND e.side = ${side} AND e.status IN ('open', 'investigating')
    ), trail AS (
      INSERT INTO recon_carried_records (data_source_id, row_no, side, from_job_id, from_row_no, origin_job_id,
        origin_data_source_id, origin_row_no, first_seen_at, status, assignee_id)
      SELECT ${derivedId}, n.new_row, ${side}, ${fromJobId}, n.from_row_no,
        coalesce(p.origin_job_id, ${fromJobId}::uuid), coalesce(p.origin_data_source_id, ${fromDataSourceId}::uuid),
        coalesce(p.origin_row_no, n.from_row_no), coalesce(p.first_seen_at, n.first_seen_at), n.status, n.assignee_id
      FROM numbered n
      LEFT JOIN recon_carried_records p ON p.data_source_id = ${fromDataSourceId} AND p.row_no = n.from_row_no
      RETURNING row_no, from_row_no
    )
    INSERT INTO records (data_source_id, row_no, external_id, amount_minor, currency, scale, booking_date,
      value_date, reference, counterparty, description, account, extra)
    SELECT ${derivedId}, t.row_no, r.external_id, r.amount_minor, r.currency, r.scale, r.booking_date,
      r.value_date, r.reference, r.counterparty, r.description, r.account, r.extra
    FROM trail t JOIN records r ON r.data_source_id = ${fromDataSourceId} AND r.row_no = t.from_row_no`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0n);
}

/** Sets the derived source's counts once its records are in. */
export async function finishDerivedSource(db: DbOrTx, id: string): Promise<void> {
  await sql`UPDATE data_sources SET
      row_count = (SELECT count(*) FROM records WHERE data_source_id = ${id}),
      loaded_count = (SELECT count(*) FROM records WHERE data_source_id = ${id}), updated_at = now()
    WHERE id = ${id}`.execute(db);
}

/** Points the job at its inputs as run (the base or derived data sources). */
export async function setJobInputs(
  db: DbOrTx,
  jobId: string,
  sourceId: string,
  targetId: string,
): Promise<void> {
  await sql`UPDATE recon_jobs SET source_data_source_id = ${sourceId}, target_data_source_id = ${targetId},
      updated_at = now()
    WHERE id = ${jobId}`.execute(db);
}

/**
 * Deletes derived (carry-forward) data sources with their records and trail, except any another job still
 * uses (a guard: derived sources are hidden from listings, yet another job's inputs must never vanish under it).
 */
export async function deleteDerivedSources(db: DbOrTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`DELETE FROM data_sources d WHERE d.id = ANY(${[...ids]}::uuid[]) AND d.format = ${CARRY_FORWARD_FORMAT}
    AND NOT EXISTS (SELECT 1 FROM recon_jobs j
      WHERE j.source_data_source_id = d.id OR j.target_data_source_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM recon_job_carry_forward c
      WHERE c.base_source_data_source_id = d.id OR c.base_target_data_source_id = d.id)`.execute(db);
}

/**
 * Gives the job's exceptions for carried records their first-seen time and the review state (status,
 * assignee) they were carried with, from the trail; the others keep the time of the run that wrote them
 * and start open. Runs in the transaction that attaches the results.
 */
export async function stampCarriedExceptions(db: DbOrTx, jobId: string): Promise<void> {
  await sql`UPDATE recon_exceptions e SET first_seen_at = c.first_seen_at, status = c.status,
      assignee_id = c.assignee_id
    FROM recon_jobs j, recon_carried_records c
    WHERE e.job_id = ${jobId} AND j.id = e.job_id
      AND c.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
      AND c.row_no = e.row_no`.execute(db);
}

export interface CarriedRecordRow {
  row_no: string;
  side: Side;
  from_job_id: string;
  from_row_no: string;
  origin_job_id: string;
  origin_data_source_id: string;
  origin_row_no: string;
  first_seen_at: Date;
  exception_status: string | null;
  external_id: string | null;
  amount_minor: string;
  currency: string | null;
  reference: string | null;
}

/** A page of the records carried into one side of a job, with their exception status in it. */
export async function carriedPage(
  db: DbOrTx,
  input: { jobId: string; dataSourceId: string; side: Side; after: number; limit: number },
): Promise<CarriedRecordRow[]> {
  const { rows } = await sql<CarriedRecordRow>`SELECT c.row_no::text AS row_no, c.side, c.from_job_id,
      c.from_row_no::text AS from_row_no, c.origin_job_id, c.origin_data_source_id,
      c.origin_row_no::text AS origin_row_no, c.first_seen_at, e.status AS exception_status, r.external_id,
      r.amount_minor::text AS amount_minor, r.currency, r.reference
    FROM recon_carried_records c
    JOIN records r ON r.data_source_id = c.data_source_id AND r.row_no = c.row_no
    LEFT JOIN recon_exceptions e ON e.job_id = ${input.jobId} AND e.side = ${input.side} AND e.row_no = c.row_no
    WHERE c.data_source_id = ${input.dataSourceId} AND c.row_no > ${input.after}
    ORDER BY c.row_no LIMIT ${input.limit}`.execute(db);
  return rows;
}

/** The live (confirmed or suggested) matches holding any of `rows` on `side`: row → match. */
export async function matchesHolding(
  db: DbOrTx,
  jobId: string,
  side: Side,
  rows: readonly string[],
): Promise<Map<string, { match_id: string; status: string }>> {
  const found = new Map<string, { match_id: string; status: string }>();
  if (rows.length === 0) return found;
  const column = side === 'left' ? sql.ref('m.left_rows') : sql.ref('m.right_rows');
  const result = await sql<{
    row_no: string;
    match_id: string;
    status: string;
  }>`SELECT x.row_no::text AS row_no,
      m.match_id::text AS match_id, m.status
    FROM recon_matches m CROSS JOIN LATERAL unnest(${column}) AS x(row_no)
    WHERE m.job_id = ${jobId} AND m.status IN ('confirmed', 'suggested')
      AND ${column} && ${[...rows]}::bigint[] AND x.row_no = ANY(${[...rows]}::bigint[])`.execute(db);
  for (const row of result.rows) found.set(row.row_no, { match_id: row.match_id, status: row.status });
  return found;
}

import { AppError, type CarriedRecord } from '@recon/shared';
import type { Db } from '../../db/database';
import { carriedPage, matchesHolding, type CarriedRecordRow } from './carry-forward.repository';
import { loadJobForMember } from './jobs.service';

const DAY_MS = 86_400_000;

type CarriedStatus = CarriedRecord['status'];
const EXCEPTION_STATUSES: readonly string[] = ['open', 'investigating', 'resolved', 'written_off', 'matched'];

function statusOf(row: CarriedRecordRow, match: { match_id: string } | undefined): CarriedStatus {
  if (match !== undefined) return 'matched';
  const status = row.exception_status ?? 'matched';
  if (!EXCEPTION_STATUSES.includes(status)) throw new Error(`unknown exception status ${status}`);
  return status as CarriedStatus;
}

/**
 * The records carried into one side of a job, with where they were first seen, their age and what became of
 * them in this job (still an exception, or matched, with the match). `now` is passed in for the age.
 */
export async function listCarried(
  db: Db,
  userId: string,
  id: string,
  query: { side: 'left' | 'right'; after: number; limit: number },
  now: Date = new Date(),
) {
  const job = await loadJobForMember(db, userId, id, 'viewer');
  // What became of a carried record is known only from a completed run's results.
  if (job.status !== 'completed')
    throw new AppError(
      'JOB_STATE_CONFLICT',
      `The job is ${job.status}; list its carried records when it has completed`,
    );
  const dataSourceId = query.side === 'left' ? job.source_data_source_id : job.target_data_source_id;
  const rows = await carriedPage(db, { jobId: id, dataSourceId, ...query });
  // A record without an exception row in a completed job is in a match.
  const matches = await matchesHolding(
    db,
    id,
    query.side,
    rows.filter((r) => r.exception_status === null).map((r) => r.row_no),
  );
  const last = rows.at(-1);
  return {
    items: rows.map((row) => {
      const match = matches.get(row.row_no);
      return {
        side: row.side,
        row_no: row.row_no,
        from_job_id: row.from_job_id,
        from_row_no: row.from_row_no,
        origin_job_id: row.origin_job_id,
        origin_data_source_id: row.origin_data_source_id,
        origin_row_no: row.origin_row_no,
        first_seen_at: row.first_seen_at.toISOString(),
        age_days: Math.max(0, Math.floor((now.getTime() - row.first_seen_at.getTime()) / DAY_MS)),
        status: statusOf(row, match),
        match_id: match?.match_id ?? null,
        match_status: match?.status ?? null,
        external_id: row.external_id,
        amount_minor: row.amount_minor,
        currency: row.currency,
        reference: row.reference,
      };
    }),
    next_after: rows.length === query.limit && last !== undefined ? Number(last.row_no) : null,
  };
}

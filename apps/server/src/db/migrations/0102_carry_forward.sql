-- Carry-forward of open exceptions between jobs, and heartbeats of running queue attempts.

-- When the record was first seen unmatched: the run that wrote the exception, or, for a record carried
-- forward from an earlier job, its first sighting there (so its age keeps counting across jobs).
ALTER TABLE recon_exceptions ADD COLUMN first_seen_at timestamptz NOT NULL DEFAULT now();
UPDATE recon_exceptions e SET first_seen_at = coalesce(j.finished_at, j.updated_at)
  FROM recon_jobs j WHERE j.id = e.job_id;

-- A job that takes the open exceptions of an earlier job as extra input. The job's own data source columns
-- point at the inputs as run: the chosen data source, or a derived one (format 'carry-forward') holding its
-- records plus the carried ones, so every reader of records by (data source, row) sees them unchanged.
CREATE TABLE recon_job_carry_forward (
  job_id                     uuid PRIMARY KEY REFERENCES recon_jobs (id) ON DELETE CASCADE,
  -- 'latest': the project's latest completed job when the job first runs; 'job': requested_job_id;
  -- 'off': turned off, but the current results still use derived inputs until the next run.
  mode                       text NOT NULL CHECK (mode IN ('latest', 'job', 'off')),
  requested_job_id           uuid REFERENCES recon_jobs (id) ON DELETE SET NULL,
  -- The data sources the user chose; the job runs on them plus the carried records.
  base_source_data_source_id uuid NOT NULL REFERENCES data_sources (id) ON DELETE RESTRICT,
  base_target_data_source_id uuid NOT NULL REFERENCES data_sources (id) ON DELETE RESTRICT,
  -- Resolved at the first run and kept, so a rerun reproduces the same inputs.
  carried_from_job_id        uuid REFERENCES recon_jobs (id) ON DELETE SET NULL,
  carried_from_job_name      text,
  carried_left               integer,
  carried_right              integer,
  materialised_at            timestamptz,
  -- The settings changed after the inputs were chosen: the next run chooses again. Until then the inputs
  -- stay, because the job's current results name their rows.
  rechoose                   boolean NOT NULL DEFAULT false
);
CREATE INDEX recon_job_carry_forward_from_idx ON recon_job_carry_forward (carried_from_job_id);

-- Where each carried record came from. Keyed by the derived data source's row; the origin is the job,
-- data source and row where the record was first seen unmatched (followed through chains of carries).
CREATE TABLE recon_carried_records (
  data_source_id        uuid NOT NULL REFERENCES data_sources (id) ON DELETE CASCADE,
  row_no                bigint NOT NULL,
  side                  text NOT NULL CHECK (side IN ('left', 'right')),
  from_job_id           uuid NOT NULL,
  from_row_no           bigint NOT NULL,
  origin_job_id         uuid NOT NULL,
  origin_data_source_id uuid NOT NULL,
  origin_row_no         bigint NOT NULL,
  first_seen_at         timestamptz NOT NULL,
  PRIMARY KEY (data_source_id, row_no)
);

-- One row per running queue attempt, refreshed by its worker. pg-boss 10 has no heartbeat: without this a
-- killed worker's attempt waits for the queue's expiry (an hour for reconciliation) before a retry.
CREATE TABLE queue_attempts (
  queue_job_id uuid PRIMARY KEY,
  queue        text NOT NULL,
  worker_id    text NOT NULL,
  retry_count  integer NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  beat_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_attempts_beat_idx ON queue_attempts (beat_at);

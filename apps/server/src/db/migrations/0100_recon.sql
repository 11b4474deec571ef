-- Data sources, canonical records, rule sets, reconciliation jobs and their results.

CREATE TABLE data_sources (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id         uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name               text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
  -- Groups uploads of the same feed so the mapping chosen once is reused for the next upload.
  source_key         text NOT NULL,
  storage_key        text NOT NULL,
  size_bytes         bigint NOT NULL,
  sha256             text NOT NULL,
  format             text NOT NULL,
  status             text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'ingesting', 'ready', 'failed')),
  progress           integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  phase              text,
  mapping            jsonb,
  detected           jsonb,
  profile            jsonb,
  statements         jsonb,
  encoding           text,
  delimiter          text,
  row_count          integer,
  loaded_count       integer,
  error_count        integer,
  rejected_row_count integer,
  failure            jsonb,
  created_by         uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_sources_project_idx ON data_sources (project_id, created_at DESC);
CREATE INDEX data_sources_sha_idx ON data_sources (project_id, sha256);
CREATE INDEX data_sources_source_key_idx ON data_sources (project_id, source_key, created_at DESC);

-- Canonical records of a data source (engine shape). amount_minor is signed integer minor units.
CREATE TABLE records (
  data_source_id uuid NOT NULL REFERENCES data_sources (id) ON DELETE CASCADE,
  row_no         bigint NOT NULL,
  external_id    text,
  amount_minor   bigint NOT NULL,
  currency       text,
  scale          integer NOT NULL,
  booking_date   date,
  value_date     date,
  reference      text,
  counterparty   text,
  description    text,
  account        text,
  extra          jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (data_source_id, row_no)
);

CREATE TABLE data_source_errors (
  data_source_id uuid NOT NULL REFERENCES data_sources (id) ON DELETE CASCADE,
  seq            integer NOT NULL,
  row_no         bigint NOT NULL,
  column_name    text NOT NULL,
  raw            text,
  code           text NOT NULL,
  message        text NOT NULL,
  PRIMARY KEY (data_source_id, seq)
);

CREATE TABLE rule_sets (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id      uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name            text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
  description     text NOT NULL DEFAULT '',
  current_version integer NOT NULL DEFAULT 1,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rule_sets_project_idx ON rule_sets (project_id, name);

-- Versions are immutable: editing a rule set inserts the next version.
CREATE TABLE rule_set_versions (
  rule_set_id uuid NOT NULL REFERENCES rule_sets (id) ON DELETE CASCADE,
  version     integer NOT NULL,
  rules       jsonb NOT NULL,
  created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_set_id, version)
);

CREATE TABLE recon_jobs (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id             uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name                   text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
  description            text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
  source_data_source_id  uuid NOT NULL REFERENCES data_sources (id) ON DELETE RESTRICT,
  target_data_source_id  uuid NOT NULL REFERENCES data_sources (id) ON DELETE RESTRICT,
  rule_set_id            uuid REFERENCES rule_sets (id) ON DELETE SET NULL,
  rule_set_version       integer,
  -- The rules as run: a copy of the version (or the inline rules), so a run can be reproduced.
  rules                  jsonb NOT NULL,
  confidence_threshold   double precision,
  auto_confirm_threshold double precision,
  status                 text NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'queued', 'running', 'completed', 'failed', 'cancelled')),
  progress               integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  phase                  text,
  eta_seconds            integer,
  attempt                integer NOT NULL DEFAULT 0,
  run_no                 integer NOT NULL DEFAULT 0,
  failure                jsonb,
  statistics             jsonb,
  -- Reproducibility: input file hashes, rule-set version and engine version of the last run.
  provenance             jsonb,
  version                integer NOT NULL DEFAULT 1,
  created_by             uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  started_at             timestamptz,
  finished_at            timestamptz
);
CREATE INDEX recon_jobs_project_idx ON recon_jobs (project_id, created_at DESC, id DESC);
CREATE INDEX recon_jobs_sources_idx ON recon_jobs (source_data_source_id);
CREATE INDEX recon_jobs_targets_idx ON recon_jobs (target_data_source_id);

CREATE TABLE recon_matches (
  job_id          uuid NOT NULL REFERENCES recon_jobs (id) ON DELETE CASCADE,
  match_id        bigint NOT NULL,
  pass_index      integer NOT NULL,
  pass_name       text NOT NULL,
  kind            text NOT NULL,
  score           double precision NOT NULL,
  tier            text NOT NULL CHECK (tier IN ('auto', 'suggested', 'manual')),
  status          text NOT NULL CHECK (status IN ('confirmed', 'suggested', 'rejected', 'unmatched')),
  left_rows       bigint[] NOT NULL,
  right_rows      bigint[] NOT NULL,
  left_amount     bigint NOT NULL,
  right_amount    bigint NOT NULL,
  explanation     jsonb NOT NULL,
  reason          text,
  version         integer NOT NULL DEFAULT 1,
  updated_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, match_id)
);
CREATE INDEX recon_matches_filter_idx ON recon_matches (job_id, tier, status, match_id);

CREATE TABLE recon_exceptions (
  job_id        uuid NOT NULL REFERENCES recon_jobs (id) ON DELETE CASCADE,
  side          text NOT NULL CHECK (side IN ('left', 'right')),
  row_no        bigint NOT NULL,
  nearest_row   bigint,
  nearest_score double precision,
  nearest_pass  text,
  reason        text NOT NULL,
  status        text NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'investigating', 'resolved', 'written_off', 'matched')),
  assignee_id   uuid REFERENCES users (id) ON DELETE SET NULL,
  write_off_code text,
  version       integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, side, row_no)
);
CREATE INDEX recon_exceptions_status_idx ON recon_exceptions (job_id, side, status, row_no);

CREATE TABLE recon_discrepancies (
  job_id      uuid NOT NULL REFERENCES recon_jobs (id) ON DELETE CASCADE,
  match_id    bigint NOT NULL,
  field       text NOT NULL,
  left_value  text NOT NULL,
  right_value text NOT NULL,
  delta       bigint NOT NULL,
  unit        text NOT NULL,
  PRIMARY KEY (job_id, match_id, field)
);

CREATE TABLE recon_comments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id      uuid NOT NULL REFERENCES recon_jobs (id) ON DELETE CASCADE,
  target_type text NOT NULL CHECK (target_type IN ('match', 'exception')),
  target_key  text NOT NULL,
  body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
  author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recon_comments_target_idx ON recon_comments (job_id, target_type, target_key, created_at);

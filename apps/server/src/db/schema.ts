import type { ColumnType, Generated, Selectable } from 'kysely';

// Kysely table types. Column names are snake_case, as on the wire.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  role: Generated<'admin' | 'user'>;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: NullableTimestamp;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
  user_agent: string | null;
  ip: string | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface ProjectsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  status: Generated<'active' | 'archived'>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  role: 'owner' | 'manager' | 'analyst' | 'viewer';
  added_at: Timestamp;
  added_by: string | null;
}

export interface AuditLogTable {
  /** int8 comes back from pg as a string. */
  id: ColumnType<string, never, never>;
  created_at: ColumnType<Date, Date, never>;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  project_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
  login_throttle: LoginThrottleTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  data_sources: DataSourcesTable;
  records: RecordsTable;
  data_source_errors: DataSourceErrorsTable;
  rule_sets: RuleSetsTable;
  rule_set_versions: RuleSetVersionsTable;
  recon_jobs: ReconJobsTable;
  recon_matches: ReconMatchesTable;
  recon_exceptions: ReconExceptionsTable;
  recon_discrepancies: ReconDiscrepanciesTable;
  recon_result_partitions: ReconResultPartitionsTable;
  recon_comments: ReconCommentsTable;
}

export type UserRow = Selectable<UsersTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type AuditRow = Selectable<AuditLogTable>;

// Data sources, rule sets, jobs and results (migration 0100). JSON columns are written as strings.

type Json<T = unknown> = ColumnType<T, string, string>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
/** int8 money and counts: pg returns strings; written as bigint or string. */
type Int8 = ColumnType<string, bigint | string | number, bigint | string | number>;

export interface DataSourcesTable {
  id: Generated<string>;
  project_id: string;
  name: string;
  source_key: string;
  storage_key: string;
  /** Parquet snapshot of the canonical records the last ingestion wrote (migration 0109). */
  snapshot_key: string | null;
  size_bytes: Int8;
  sha256: string;
  format: string;
  status: Generated<'queued' | 'ingesting' | 'ready' | 'failed'>;
  progress: Generated<number>;
  phase: string | null;
  mapping: NullableJson;
  detected: NullableJson;
  profile: NullableJson;
  statements: NullableJson;
  /** First rows as read, `{ columns, rows }` (tabular formats only). */
  raw_preview: NullableJson;
  encoding: string | null;
  delimiter: string | null;
  row_count: number | null;
  loaded_count: number | null;
  error_count: number | null;
  rejected_row_count: number | null;
  failure: NullableJson;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecordsTable {
  data_source_id: string;
  row_no: Int8;
  external_id: string | null;
  amount_minor: Int8;
  currency: string | null;
  scale: number;
  booking_date: ColumnType<string | null, string | null, string | null>;
  value_date: ColumnType<string | null, string | null, string | null>;
  reference: string | null;
  counterparty: string | null;
  description: string | null;
  account: string | null;
  /** Defaults to `{}`. */
  extra: ColumnType<unknown, string | undefined, string>;
}

export interface DataSourceErrorsTable {
  data_source_id: string;
  seq: number;
  row_no: Int8;
  column_name: string;
  raw: string | null;
  code: string;
  message: string;
}

export interface RuleSetsTable {
  id: Generated<string>;
  project_id: string;
  name: string;
  description: Generated<string>;
  current_version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RuleSetVersionsTable {
  rule_set_id: string;
  version: number;
  rules: Json;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ReconJobsTable {
  id: Generated<string>;
  project_id: string;
  name: string;
  description: Generated<string>;
  source_data_source_id: string;
  target_data_source_id: string;
  rule_set_id: string | null;
  rule_set_version: number | null;
  rules: Json;
  confidence_threshold: number | null;
  auto_confirm_threshold: number | null;
  status: Generated<'draft' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'>;
  progress: Generated<number>;
  phase: string | null;
  eta_seconds: number | null;
  attempt: Generated<number>;
  run_no: Generated<number>;
  failure: NullableJson;
  statistics: NullableJson;
  provenance: NullableJson;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** A data source the last run read was ingested again after it (migration 0113); cleared by the next run. */
  inputs_changed_at: NullableTimestamp;
}

export interface ReconMatchesTable {
  job_id: string;
  /** The run whose results the row belongs to: with job_id, the row's partition (migration 0108). */
  run_no: number;
  match_id: Int8;
  pass_index: number;
  pass_name: string;
  kind: string;
  score: number;
  tier: 'auto' | 'suggested' | 'manual';
  status: 'confirmed' | 'suggested' | 'rejected' | 'unmatched';
  left_rows: ColumnType<string[], string[] | string, string[] | string>;
  right_rows: ColumnType<string[], string[] | string, string[] | string>;
  left_amount: Int8;
  right_amount: Int8;
  /** Currency and scale of the left records when they share one, else null (migration 0108). */
  currency: string | null;
  scale: number | null;
  /** NULL: auto-confirmed without a contest (migration 0112). */
  explanation: Json | null;
  reason: string | null;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ReconExceptionsTable {
  job_id: string;
  /** The run whose results the row belongs to: with job_id, the row's partition (migration 0108). */
  run_no: number;
  side: 'left' | 'right';
  row_no: Int8;
  nearest_row: ColumnType<string | null, bigint | string | number | null, bigint | string | number | null>;
  nearest_score: number | null;
  nearest_pass: string | null;
  reason: string;
  status: Generated<'open' | 'investigating' | 'resolved' | 'written_off' | 'matched'>;
  assignee_id: string | null;
  write_off_code: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
  /** When the record was first seen unmatched (kept across carry-forward; migration 0102). */
  first_seen_at: Timestamp;
  /** The record's amount and booking date: the keys pages of exceptions sort by (migration 0106). */
  amount_minor: Int8;
  booking_date: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReconDiscrepanciesTable {
  job_id: string;
  /** The run whose results the row belongs to: with job_id, the row's partition (migration 0108). */
  run_no: number;
  match_id: Int8;
  field: string;
  left_value: string;
  right_value: string;
  delta: Int8;
  unit: string;
}

/** The runs whose results tables exist (migration 0108): staged, live (attached) or retired (emptied). */
export interface ReconResultPartitionsTable {
  job_id: string;
  run_no: number;
  state: 'staged' | 'live' | 'retired';
  updated_at: Timestamp;
}

export interface ReconCommentsTable {
  id: Generated<string>;
  job_id: string;
  target_type: 'match' | 'exception';
  target_key: string;
  body: string;
  author_id: string | null;
  created_at: Timestamp;
}

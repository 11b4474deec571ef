-- When a data source a completed job read is ingested again (its column mapping changed), the job's results
-- still describe the records as they were, while the result pages show the records as they are now. The
-- ingestion that replaces the records stamps such jobs; the job's next completed run clears the stamp. Only
-- jobs that read the data source directly: a carry-forward job reads copies made at its first run (0102),
-- which a rerun reuses.
ALTER TABLE recon_jobs ADD COLUMN inputs_changed_at timestamptz;

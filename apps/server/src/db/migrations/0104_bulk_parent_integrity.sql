-- The bulk tables (records and row errors of a data source; matches, exceptions and discrepancies of a job)
-- lose their foreign keys. A foreign key runs one `SELECT ... FOR KEY SHARE` on the parent per inserted
-- row: measured with COPY of 300k rows into a table with a primary key, 0.34-0.78 s without it against
-- 1.3-2.6 s with it, and an ingestion writes ~1M records, a 1M job ~1.9M result rows.
--
-- The same guarantees, kept another way:
-- * no child without a parent: every writer locks the parent row (FOR KEY SHARE or stronger, which a DELETE
--   waits for) in the transaction that inserts, and refuses when it is gone (src/db/parent-lock.ts);
-- * ON DELETE CASCADE: the statement-level triggers below delete the children of every deleted parent,
--   one DELETE per table and statement (a project's cascade into data_sources and recon_jobs fires them too).
-- A deleter that waited for a writer's lock sees the writer's rows: in READ COMMITTED (what the server
-- uses) each statement of the trigger function takes a fresh snapshot after the wait.
-- test/bulk-parent-integrity.test.ts fails if a foreign key comes back or a trigger goes.

ALTER TABLE records DROP CONSTRAINT records_data_source_id_fkey;
ALTER TABLE data_source_errors DROP CONSTRAINT data_source_errors_data_source_id_fkey;
ALTER TABLE recon_matches DROP CONSTRAINT recon_matches_job_id_fkey;
ALTER TABLE recon_exceptions DROP CONSTRAINT recon_exceptions_job_id_fkey;
ALTER TABLE recon_discrepancies DROP CONSTRAINT recon_discrepancies_job_id_fkey;

CREATE FUNCTION data_sources_delete_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM records c USING gone g WHERE c.data_source_id = g.id;
  DELETE FROM data_source_errors c USING gone g WHERE c.data_source_id = g.id;
  RETURN NULL;
END $$;

CREATE TRIGGER data_sources_delete_children AFTER DELETE ON data_sources
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION data_sources_delete_children();

CREATE FUNCTION recon_jobs_delete_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM recon_discrepancies c USING gone g WHERE c.job_id = g.id;
  DELETE FROM recon_exceptions c USING gone g WHERE c.job_id = g.id;
  DELETE FROM recon_matches c USING gone g WHERE c.job_id = g.id;
  RETURN NULL;
END $$;

CREATE TRIGGER recon_jobs_delete_children AFTER DELETE ON recon_jobs
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION recon_jobs_delete_children();

-- TRUNCATE of a parent used to be refused while the children had foreign keys to it; now it takes them along.
CREATE FUNCTION data_sources_truncate_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE records, data_source_errors;
  RETURN NULL;
END $$;

CREATE TRIGGER data_sources_truncate_children AFTER TRUNCATE ON data_sources
  FOR EACH STATEMENT EXECUTE FUNCTION data_sources_truncate_children();

CREATE FUNCTION recon_jobs_truncate_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE recon_matches, recon_exceptions, recon_discrepancies;
  RETURN NULL;
END $$;

CREATE TRIGGER recon_jobs_truncate_children AFTER TRUNCATE ON recon_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION recon_jobs_truncate_children();

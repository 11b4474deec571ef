-- A carried exception keeps the review state it had when it was carried: `investigating` stays
-- `investigating` (only open and investigating exceptions are carried) and its assignee stays assigned, so a
-- month's follow-up does not start over in the next job. Kept in the trail, the state of the exception as
-- carried, so a rerun of the later job gives the same state again.
ALTER TABLE recon_carried_records
  ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating')),
  ADD COLUMN assignee_id uuid;

-- No foreign key to users (as recon_exceptions.assignee_id, migration 0107): a deleted user's assignments
-- are cleared here too.
CREATE OR REPLACE FUNCTION users_clear_result_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE recon_matches c SET updated_by = NULL FROM gone g WHERE c.updated_by = g.id;
  UPDATE recon_exceptions c SET assignee_id = NULL FROM gone g WHERE c.assignee_id = g.id;
  UPDATE recon_carried_records c SET assignee_id = NULL FROM gone g WHERE c.assignee_id = g.id;
  RETURN NULL;
END $$;

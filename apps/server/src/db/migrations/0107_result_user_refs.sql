-- recon_matches.updated_by and recon_exceptions.assignee_id lose their foreign keys to users, for the reason
-- 0104 gave for the job keys: PostgreSQL fires the foreign key's check trigger for every inserted row, even
-- when the column is NULL, as it is in every row a reconcile run COPYs (~820k matches and ~360k exceptions
-- per 1M job). Measured, COPY of 820k rows shaped like recon_matches: with the primary key only, 4.5-5.2 s
-- backend CPU without the foreign key against 5.0-5.6 s with it; with the indexes of 0100/0105 the same
-- ~0.5 s is lost in the noise of a ~25 s COPY, whose cost is those indexes.
--
-- The same guarantees, kept another way:
-- * no id of a missing user: every writer that sets one of these columns locks the user row FOR KEY SHARE
--   in its transaction and refuses when it is gone (src/db/user-lock.ts; review.service.ts);
-- * ON DELETE SET NULL: the statement-level trigger below clears the columns for every deleted user.
-- Neither column has an index (the foreign key had none either), so a user delete scans both tables once
-- per statement, where the foreign key's action scanned them once per deleted user.
-- TRUNCATE users stays refused: sessions, memberships and others keep their foreign keys to users.
-- test/bulk-parent-integrity.test.ts fails if a foreign key comes back or the trigger goes.

ALTER TABLE recon_matches DROP CONSTRAINT recon_matches_updated_by_fkey;
ALTER TABLE recon_exceptions DROP CONSTRAINT recon_exceptions_assignee_id_fkey;

-- Like the foreign key's action, this changes neither version nor updated_at of the rows.
CREATE FUNCTION users_clear_result_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE recon_matches c SET updated_by = NULL FROM gone g WHERE c.updated_by = g.id;
  UPDATE recon_exceptions c SET assignee_id = NULL FROM gone g WHERE c.assignee_id = g.id;
  RETURN NULL;
END $$;

CREATE TRIGGER users_clear_result_refs AFTER DELETE ON users
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION users_clear_result_refs();

-- A match the run auto-confirmed with no contest (no runner-up, not ambiguous, not decided by a group search)
-- has nothing to explain beyond its pass and score: its explanation is stored as NULL, and the API shows the
-- same decision object the run used to store for it (results.service.ts). In the 1M benchmark that is 772,875
-- of 819,726 matches, each of which carried the same ~85 bytes of JSON through DuckDB's export, the CSV and
-- PostgreSQL's JSON parser.
ALTER TABLE recon_matches ALTER COLUMN explanation DROP NOT NULL;

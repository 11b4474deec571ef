-- Pages of a job's matches in score order, either direction, ties by match id (the order the matches
-- endpoint pages in): the planner reads the first 100 entries of an index instead of sorting every match of
-- the job (measured, 500k matches: 119.7 ms → 1.0 ms). A deep cursor profits once its predicate bounds the
-- score (`score <= $k AND (...)`), which an OR-only keyset predicate does not (393.2 ms → 0.9 ms with the
-- bound); see docs/benchmarks.md ("Platform: 1M × 1M through the server").
-- A btree read backwards gives (score DESC, match_id DESC), not (score DESC, match_id ASC): hence two.
CREATE INDEX recon_matches_score_idx ON recon_matches (job_id, score, match_id);
CREATE INDEX recon_matches_score_desc_idx ON recon_matches (job_id, score DESC, match_id);

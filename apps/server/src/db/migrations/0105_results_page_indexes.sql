-- Pages of a job's results at 1M matches (target: a page of 100 in p95 <= 50 ms), and a results summary that
-- reads no more than review changed. Measured on a generated 1M-row result (819,726 matches, 180,274
-- exceptions per side), EXPLAIN ANALYZE of the repository's own statements; see docs/benchmarks.md.
--
-- Score and amount-difference orders: (job, tier, status, key DESC, match_id). The repository asks one branch
-- per (tier, status) and merges them (results.repository.ts), so a tier or status filter starts at its own
-- rows instead of walking past every auto-confirmed match (suggested by score desc: 266 ms -> 0.2 ms;
-- amount difference desc: 371 ms -> 0.3 ms; deep cursors 19-560 ms -> under 1.5 ms). These replace the two
-- score indexes of 0103, which had no tier or status. One index per key serves both directions: ascending
-- orders break ties by match id descending (each is the exact reverse of its descending order), which is
-- this index read backwards. An index per direction (ties always by ascending id) cost the job's COPY of
-- 820k matches ~14.5 s for the four against ~6 s for 0103's two. The difference expression is written
-- exactly as the repository writes it, or the planner would not match it.
DROP INDEX recon_matches_score_idx;
DROP INDEX recon_matches_score_desc_idx;
CREATE INDEX recon_matches_score_desc_idx ON recon_matches (job_id, tier, status, score DESC, match_id);
CREATE INDEX recon_matches_difference_desc_idx
  ON recon_matches (job_id, tier, status, abs(right_amount - left_amount) DESC, match_id);

-- Pages filtered to matches with an amount difference (min_amount_difference > 0), in match id or score
-- order: only the matches with a difference (a quarter of them in the 1M benchmark), so a first page no
-- longer walks past every exact match (226 / 288 ms p95 at 1M without them). The predicate is the one the
-- repository adds next to its `abs(...) >= $n`.
CREATE INDEX recon_matches_differing_idx ON recon_matches (job_id, match_id)
  WHERE right_amount <> left_amount;
CREATE INDEX recon_matches_differing_score_idx ON recon_matches (job_id, tier, status, score DESC, match_id)
  WHERE right_amount <> left_amount;

-- Matches whose status is not the one the run wrote (auto -> confirmed, suggested -> suggested), and manual
-- ones: what review changed. Empty when a run's results are written, so it adds nothing to their COPY;
-- the summary corrects the run's statistics with these rows, and discrepancy pages find dissolved matches
-- here. The predicate is the repository's `isReviewed`, word for word. Written as a CASE
-- (`status <> CASE tier ...`) it was estimated at 99% of the rows and never used (a 120-240 ms sequential
-- scan); as IN/OR with the (tier, status) statistics below it is estimated at a few hundred: 2.5 ms.
CREATE INDEX recon_matches_reviewed_idx ON recon_matches (job_id, match_id)
  WHERE status IN ('rejected', 'unmatched') OR tier = 'manual'
    OR (tier = 'auto' AND status = 'suggested') OR (tier = 'suggested' AND status = 'confirmed');
-- Tier and status are dependent (the run writes auto as confirmed, suggested as suggested): without the
-- combinations' frequencies the planner multiplies the two and expects ~12% of the matches above.
CREATE STATISTICS recon_matches_tier_status_stats (mcv) ON tier, status FROM recon_matches;

-- Discrepancy pages of one field (amount, date) in match order.
CREATE INDEX recon_discrepancies_field_idx ON recon_discrepancies (job_id, field, match_id);

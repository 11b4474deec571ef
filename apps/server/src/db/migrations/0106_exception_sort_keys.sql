-- Pages of a job's exceptions sorted by amount or booking date (GET .../unmatched?sort=...). The keys lived
-- only in `records`, so every page joined and sorted all of a side's exceptions (180k at 1M rows: 650-690 ms
-- p50). Each exception now carries its record's amount and booking date, written with the exception (the
-- run's COPY, review's reopen), and the page reads an index in its order and stops after 100 rows.
ALTER TABLE recon_exceptions ADD COLUMN amount_minor bigint, ADD COLUMN booking_date date;

-- Existing exceptions take their record's values: the job's source (left) or target (right) data source.
UPDATE recon_exceptions e SET amount_minor = r.amount_minor, booking_date = r.booking_date
  FROM recon_jobs j, records r
  WHERE j.id = e.job_id
    AND r.data_source_id = CASE e.side WHEN 'left' THEN j.source_data_source_id ELSE j.target_data_source_id END
    AND r.row_no = e.row_no;

-- records.amount_minor is NOT NULL and every exception is a record of its job's side; the booking date
-- may be missing on the record, so it stays nullable here.
ALTER TABLE recon_exceptions ALTER COLUMN amount_minor SET NOT NULL;

-- The expressions are the repository's sort keys word for word (exceptionSortSpec), or the planner would
-- not match them. Ties break by row number ascending except in amount_desc (below); an index read backwards
-- gives a descending order with its ties reversed. Each index costs the run's COPY of its
-- exceptions (360k rows: ~2.3 s with the two older indexes, ~2 s more per index here), so:
-- - amounts: one index; amount_desc reads it backwards with its ties by row descending (the exact reverse of
--   amount_asc), so nothing is re-sorted. Ties by ascending row made the planner re-sort each run of equal
--   amounts: 37 ms a page on generated data, 1.7 s a page in the 1M platform benchmark.
-- - dates: missing ones sort last both ways (+infinity ascending, -infinity descending), two expressions and
--   two indexes. One index for both (the dated part read backwards, then the undated part) re-sorts a whole
--   day per page: 65 ms for a page at 180k exceptions over 21 days, against ~2-5 ms with its own index.
CREATE INDEX recon_exceptions_amount_idx ON recon_exceptions (job_id, side, abs(amount_minor), row_no);
CREATE INDEX recon_exceptions_date_asc_idx
  ON recon_exceptions (job_id, side, coalesce(booking_date, 'infinity'::date), row_no);
CREATE INDEX recon_exceptions_date_desc_idx
  ON recon_exceptions (job_id, side, coalesce(booking_date, '-infinity'::date) DESC, row_no);

-- Hand-written DuckDB baseline for the benchmark: the same three passes as rules.bench.json.
-- Placeholders {{name}} are filled by sql-baseline.variant.ts. Sections run in the order the runner says;
-- `assign` runs repeatedly until it picks nothing (see the comment there).

-- @section load
CREATE TABLE l AS
SELECT "Transaction ID" AS id,
       strptime("Booking Date", '%d/%m/%Y')::DATE AS d,
       CAST(CAST("Amount" AS DECIMAL(18, 2)) * 100 AS BIGINT) AS amt,
       "Currency" AS ccy,
       regexp_replace(upper("Counterparty"), '[^A-Z0-9]', '', 'g') AS name,
       nullif(regexp_replace(upper(coalesce("Reference", '')), '[^A-Z0-9]', '', 'g'), '') AS ref
FROM read_csv('{{left}}', header = true, delim = ',', all_varchar = true);
CREATE TABLE r AS
SELECT doc_no AS id,
       strptime(posting_date, '%Y-%m-%d')::DATE AS d,
       CAST(CAST(replace(replace(amount, '.', ''), ',', '.') AS DECIMAL(18, 2)) * 100 AS BIGINT) AS amt,
       ccy,
       regexp_replace(upper(partner), '[^A-Z0-9]', '', 'g') AS name,
       nullif(regexp_replace(upper(coalesce(invoice_ref, '')), '[^A-Z0-9]', '', 'g'), '') AS ref
FROM read_csv('{{right}}', header = true, delim = ';', all_varchar = true);
CREATE TABLE matches (lid BIGINT, rid BIGINT, pass INTEGER, score DOUBLE);

-- @section exact
-- Candidates carry row ids (the tables' rowid), not the VARCHAR ids: less memory in joins and windows.
CREATE OR REPLACE TABLE cand AS
SELECT l.rowid AS lid, r.rowid AS rid, 1 AS pass, 1.0::DOUBLE AS score
FROM l JOIN r ON l.ref = r.ref AND l.amt = r.amt AND l.ccy = r.ccy;

-- @section assign
-- Greedy best-first over a total order (score desc, lid, rid) computed as rounds of "mutual best":
-- an edge best for both its ends is never beaten by a later greedy choice, so taking all of them,
-- removing their ends and repeating reaches exactly the greedy assignment.
CREATE OR REPLACE TABLE picked AS
SELECT lid, rid, pass, score FROM (
  SELECT *, row_number() OVER (PARTITION BY lid ORDER BY score DESC, rid) AS rank_l,
            row_number() OVER (PARTITION BY rid ORDER BY score DESC, lid) AS rank_r
  FROM cand) WHERE rank_l = 1 AND rank_r = 1;
INSERT INTO matches SELECT * FROM picked;
DELETE FROM cand WHERE lid IN (SELECT lid FROM picked) OR rid IN (SELECT rid FROM picked);

-- @section residual
CREATE OR REPLACE TABLE lres AS SELECT rowid AS lid, d, amt, ccy, name FROM l WHERE rowid NOT IN (SELECT lid FROM matches);
CREATE OR REPLACE TABLE rres AS SELECT rowid AS rid, d, amt, ccy, name FROM r WHERE rowid NOT IN (SELECT rid FROM matches);

-- @section tolerance
-- Blocking: amount buckets as wide as the tolerance (a true pair is at most one bucket apart) and the lag
-- window expanded into explicit days, so the join is a hash join on (ccy, bucket, day). Blocking on the
-- amount alone was measured 20x slower: small amounts crowd into few buckets. Names join in only for the
-- pairs that pass the amount test.
CREATE OR REPLACE TABLE cand AS
WITH lk AS (
  SELECT lid, d, amt, ccy, (amt // {{absTol}}) + db AS bucket, d - dd::INTEGER AS rd
  FROM lres, unnest([-1, 0, 1]) AS b(db), unnest(range({{lag2Min}}, {{lag2Max}} + 1)) AS t(dd)),
rk AS (SELECT rid, d, amt, ccy, amt // {{absTol}} AS bucket FROM rres),
pairs AS (
  SELECT lk.lid, rk.rid, abs(lk.amt - rk.amt) AS diff, datediff('day', rk.d, lk.d) AS lag
  FROM lk JOIN rk ON lk.ccy = rk.ccy AND lk.bucket = rk.bucket AND lk.rd = rk.d
  WHERE abs(lk.amt - rk.amt) <= {{absTol}}),
named AS (
  SELECT pairs.*, jaro_winkler_similarity(l.name, r.name) AS sim
  FROM pairs JOIN lres l USING (lid) JOIN rres r USING (rid))
SELECT lid, rid, 2 AS pass,
       0.5 * sim + 0.3 * (1 - diff / ({{absTol}} + 1)) + 0.2 * (1 - lag / ({{lag2Max}} + 1)) AS score
FROM named WHERE sim >= {{name2Min}};

-- @section fuzzy
-- Blocking on log-amount buckets wider than the percent tolerance, and on the lag window as above.
CREATE OR REPLACE TABLE cand AS
WITH lk AS (
  SELECT lid, d, amt, ccy,
         sign(amt) * (floor(ln(greatest(abs(amt), 1)) / {{logWidth}})::BIGINT + db) AS bucket,
         d - dd::INTEGER AS rd
  FROM lres, unnest([-1, 0, 1]) AS b(db), unnest(range({{lag3Min}}, {{lag3Max}} + 1)) AS t(dd)),
rk AS (SELECT rid, d, amt, ccy, sign(amt) * floor(ln(greatest(abs(amt), 1)) / {{logWidth}})::BIGINT AS bucket FROM rres),
pairs AS (
  SELECT lk.lid, rk.rid, abs(lk.amt - rk.amt) / greatest(least(abs(lk.amt), abs(rk.amt)), 1) AS rel, datediff('day', rk.d, lk.d) AS lag
  FROM lk JOIN rk ON lk.ccy = rk.ccy AND lk.bucket = rk.bucket AND lk.rd = rk.d
  WHERE abs(lk.amt - rk.amt) <= {{pct}} * least(abs(lk.amt), abs(rk.amt))),
named AS (
  SELECT pairs.*, jaro_winkler_similarity(l.name, r.name) AS sim
  FROM pairs JOIN lres l USING (lid) JOIN rres r USING (rid))
SELECT lid, rid, 3 AS pass,
       0.6 * sim + 0.2 * (1 - rel / {{pct}}) + 0.2 * (1 - lag / ({{lag3Max}} + 1)) AS score
FROM named WHERE sim >= {{name3Min}};

-- @section write
COPY (SELECT l.id AS left_id, r.id AS right_id, m.pass, m.score
      FROM matches m JOIN l ON l.rowid = m.lid JOIN r ON r.rowid = m.rid ORDER BY m.pass, l.id)
  TO '{{out}}/matches.parquet' (FORMAT parquet);
COPY (SELECT id FROM l WHERE rowid NOT IN (SELECT lid FROM matches) ORDER BY id) TO '{{out}}/unmatched-left.parquet' (FORMAT parquet);
COPY (SELECT id FROM r WHERE rowid NOT IN (SELECT rid FROM matches) ORDER BY id) TO '{{out}}/unmatched-right.parquet' (FORMAT parquet);

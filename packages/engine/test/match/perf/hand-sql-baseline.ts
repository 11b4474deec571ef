/**
 * A hand-written DuckDB script doing the same three passes as `perfRules` (exact reference, counterparty
 * typo, amount/date drift) with "best per side" assignment, for comparing `reconcile` against it.
 * Not a test: used by `compare-1m.ts`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

export async function handWrittenReconcile(c: DuckDBConnection): Promise<void> {
  await c.run(`
    CREATE OR REPLACE TABLE h1 AS SELECT l.row_no AS l, r.row_no AS r FROM records_left l JOIN records_right r
      ON l.reference = r.reference AND l.amount_minor = r.amount_minor AND l.currency = r.currency;
    CREATE OR REPLACE TABLE hl AS SELECT * FROM records_left ANTI JOIN h1 ON row_no = h1.l;
    CREATE OR REPLACE TABLE hr AS SELECT * FROM records_right ANTI JOIN h1 ON row_no = h1.r;
    CREATE OR REPLACE TABLE h2 AS
      SELECT l, r FROM (
        SELECT l.row_no AS l, r.row_no AS r, jaro_winkler_similarity(lower(l.counterparty), lower(r.counterparty)) AS s
        FROM hl l JOIN hr r ON l.amount_minor = r.amount_minor AND l.currency = r.currency
        WHERE r.booking_date BETWEEN l.booking_date AND l.booking_date + 3 AND s >= 0.88
        QUALIFY row_number() OVER (PARTITION BY l ORDER BY s DESC, r) = 1)
      QUALIFY row_number() OVER (PARTITION BY r ORDER BY l) = 1;
    CREATE OR REPLACE TABLE hl2 AS SELECT * FROM hl ANTI JOIN h2 ON row_no = h2.l;
    CREATE OR REPLACE TABLE hr2 AS SELECT * FROM hr ANTI JOIN h2 ON row_no = h2.r;
    CREATE OR REPLACE TABLE h3 AS
      SELECT l, r FROM (
        SELECT l.row_no AS l, r.row_no AS r, abs(l.amount_minor - r.amount_minor) AS d
        FROM hl2 l JOIN hr2 r ON lower(trim(l.counterparty)) = lower(trim(r.counterparty)) AND l.currency = r.currency
        WHERE r.amount_minor BETWEEN l.amount_minor - 100 AND l.amount_minor + 100
          AND r.booking_date BETWEEN l.booking_date AND l.booking_date + 3
        QUALIFY row_number() OVER (PARTITION BY l ORDER BY d, r) = 1)
      QUALIFY row_number() OVER (PARTITION BY r ORDER BY l) = 1;
    CREATE OR REPLACE TABLE hand_matches AS
      SELECT 1 AS pass, l, r FROM h1 UNION ALL SELECT 2, l, r FROM h2 UNION ALL SELECT 3, l, r FROM h3;
    CREATE OR REPLACE TABLE hand_unmatched_left AS SELECT row_no FROM records_left ANTI JOIN hand_matches ON row_no = l;
    CREATE OR REPLACE TABLE hand_unmatched_right AS SELECT row_no FROM records_right ANTI JOIN hand_matches ON row_no = r;`);
}

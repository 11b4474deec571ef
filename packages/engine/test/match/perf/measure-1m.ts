/**
 * Quick 1M × 1M measurement of `reconcile` (not a test: run by hand).
 *   npx tsx packages/engine/test/match/perf/measure-1m.ts [rows] [--no-diagnostics]
 * Generates the data inside DuckDB (deterministic hashes, no randomness), then times reconcile and scores
 * the matches against the generated truth.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createCanonicalTable, openSession, parseRuleSet, reconcile } from '../../../src/index';

const rows = Number(process.argv[2] ?? 1_000_000);
const diagnostics = !process.argv.includes('--no-diagnostics');

// Shares of the left side: exact-reference pairs, drift pairs (amount ±1.00, 0–3 days, no reference),
// counterparty-typo pairs (same amount, 0–2 days, no reference); the rest has no partner.
const EXACT = 0.6;
const DRIFT = 0.8;
const TYPO = 0.9;

export const perfRules = parseRuleSet({
  version: 1,
  confidence_threshold: 0.6,
  auto_confirm_threshold: 0.9,
  passes: [
    { name: 'exact reference', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] },
    {
      name: 'counterparty typo',
      comparisons: [
        { type: 'amount' },
        { type: 'date', min_days: 0, max_days: 3 },
        { type: 'text', field: 'counterparty', algorithm: 'jaro_winkler', threshold: 0.88 },
      ],
    },
    {
      name: 'amount and date drift',
      comparisons: [
        { type: 'amount', tolerance_minor: 100 },
        { type: 'date', min_days: 0, max_days: 3 },
        { type: 'exact', field: 'counterparty', normalisers: ['trim', 'case'] },
      ],
    },
  ],
});

/** The same passes, but the drift pass has no equality at all (ranges + fuzzy name): expanded keys. */
export const perfRangeRules = parseRuleSet({
  ...perfRules,
  passes: [
    ...perfRules.passes.slice(0, 2),
    {
      name: 'amount and date drift',
      comparisons: [
        { type: 'amount', tolerance_minor: 100 },
        { type: 'date', min_days: 0, max_days: 3 },
        { type: 'text', field: 'counterparty', threshold: 0.9 },
      ],
    },
  ],
});

/** Fills records_left/right and a `truth(l, r)` table with `rows` generated records per side. */
export async function generate(c: DuckDBConnection, rows: number): Promise<void> {
  await createCanonicalTable(c, 'left');
  await createCanonicalTable(c, 'right');
  const u = (salt: number, expr = 'i') => `(hash(${expr} * 7 + ${salt}) % 1000000)::DOUBLE / 1000000`;
  await c.run(`
    CREATE TABLE gen AS SELECT i,
      CASE WHEN i < ${rows * EXACT} THEN 'exact' WHEN i < ${rows * DRIFT} THEN 'drift' WHEN i < ${rows * TYPO} THEN 'typo' ELSE 'none' END AS kind,
      (100 + floor(${u(1)} * 9999900))::BIGINT AS amount,
      DATE '2024-01-01' + floor(${u(2)} * 365)::INTEGER AS day,
      'Company ' || (hash(i * 7 + 3) % 200000)::VARCHAR || ' ' || ['Ltd', 'GmbH', 'Inc', 'SA', 'BV'][1 + (hash(i) % 5)::INTEGER] AS party
    FROM range(${rows}) t(i);
    INSERT INTO records_left SELECT i + 1, 'L' || i, amount, 'EUR', 2, day, day,
      CASE WHEN kind = 'exact' THEN 'INV' || i END, party, 'payment ' || i, NULL, '{}' FROM gen;
    INSERT INTO records_right SELECT (i * 7919 + 13) % ${rows} + 1, 'R' || i,
      CASE WHEN kind = 'drift' THEN amount + floor(${u(4)} * 201)::BIGINT - 100
           WHEN kind = 'none' THEN (100 + floor(${u(5)} * 9999900))::BIGINT ELSE amount END,
      'EUR', 2,
      CASE WHEN kind = 'exact' THEN day WHEN kind = 'none' THEN DATE '2024-01-01' + floor(${u(6)} * 365)::INTEGER
           ELSE day + floor(${u(7)} * 3)::INTEGER END, NULL,
      CASE WHEN kind = 'exact' THEN 'INV' || i END,
      CASE WHEN kind = 'typo' THEN substr(party, 1, 3) || substr(party, 5, 1) || substr(party, 4, 1) || substr(party, 6)
           WHEN kind = 'none' THEN 'Other ' || i ELSE party END,
      'bank line', NULL, '{}' FROM gen;
    CREATE TABLE truth AS SELECT i + 1 AS l, (i * 7919 + 13) % ${rows} + 1 AS r FROM gen WHERE kind <> 'none';
    DROP TABLE gen;`);
}

async function main(): Promise<void> {
  const session = await openSession({ memoryLimit: '700MB', tempDirectory: '/tmp/recon-duck-spill' });
  const c = session.connection;
  const t0 = performance.now();
  await generate(c, rows);
  console.log(`generated ${rows} × ${rows} in ${Math.round(performance.now() - t0)} ms`);
  const t1 = performance.now();
  const phases: string[] = [];
  let last = t1;
  const stats = await reconcile(session, process.argv.includes('--ranges') ? perfRangeRules : perfRules, {
    diagnostics,
    onProgress: (phase) => {
      const now = performance.now();
      phases.push(`${phase} +${Math.round(now - last)}ms`);
      last = now;
    },
  });
  const elapsed = performance.now() - t1;
  const [row] = (
    await c.runAndReadAll(`
    WITH p AS (SELECT ml.row_no AS l, mr.row_no AS r FROM recon_match_left ml JOIN recon_match_right mr USING (match_id))
    SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM p JOIN truth USING (l, r)), (SELECT count(*) FROM truth)`)
  ).getRowsJS();
  const [predicted, correct, truth] = (row ?? []).map(Number);
  console.log(phases.join(' | '));
  console.table({
    rows,
    diagnostics,
    reconcileMs: Math.round(elapsed),
    matches: stats.matches,
    precision: (correct ?? 0) / (predicted ?? 1),
    recall: (correct ?? 0) / (truth ?? 1),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  session.close();
}

if (process.argv[1]?.endsWith('measure-1m.ts')) await main();

/**
 * Times the hand-written SQL baseline and `reconcile` (with and without diagnostics) on the same generated
 * data in one process. Not a test: `npx tsx packages/engine/test/match/perf/compare-1m.ts [rows]`.
 */
import { openSession, reconcile } from '../../../src/index';
import { handWrittenReconcile } from './hand-sql-baseline';
import { generate, perfRules } from './measure-1m';

const rows = Number(process.argv[2] ?? 1_000_000);
const session = await openSession({ memoryLimit: '700MB', tempDirectory: '/tmp/recon-duck-spill' });
await generate(session.connection, rows);
const time = async (label: string, run: () => Promise<unknown>) => {
  const t0 = performance.now();
  await run();
  const ms = Math.round(performance.now() - t0);
  console.log(
    `${label.padEnd(28)} ${String(ms).padStart(6)} ms   rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
  );
  return ms;
};
for (let round = 0; round < 2; round += 1) {
  const hand = await time('hand-written SQL', () => handWrittenReconcile(session.connection));
  const lean = await time('reconcile, no diagnostics', () =>
    reconcile(session, perfRules, { diagnostics: false }),
  );
  const full = await time('reconcile, with diagnostics', () => reconcile(session, perfRules));
  console.log(
    `ratio engine/hand: ${(lean / hand).toFixed(2)} (no diagnostics), ${(full / hand).toFixed(2)} (with)`,
  );
}
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
session.close();

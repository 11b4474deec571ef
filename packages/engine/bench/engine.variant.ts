import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openSession, withMemoryLimit } from '../src/duck/session';
import { columnMappingSchema, ingestFile } from '../src/ingest/index';
import { reconcile } from '../src/match/index';
import { parseRuleSet } from '../src/rules/index';
import type { VariantInput, VariantOutput } from './variant';

/** DuckDB memory limit while writing the result files. */
const WRITE_MEMORY_LIMIT = '500MB';

const json = (url: URL | string): unknown => JSON.parse(readFileSync(url, 'utf8')) as unknown;
const q = (path: string): string => `'${path.replaceAll("'", "''")}'`;

/**
 * Writes the four result files (matches with external ids, unmatched per side, discrepancies) to `outDir`,
 * calling `lap` after each, as the benchmark's engine variant does.
 */
export async function writeEngineResults(
  connection: DuckDBConnection,
  outDir: string,
  lap: (phase: string) => void,
): Promise<void> {
  const out = (file: string) => q(`${outDir}/${file}`);
  // Each side's member ids are looked up first (narrow joins on row_no), then paired by match id: the same
  // rows as joining the five tables in one go, which DuckDB ran as a chain of hash joins each carrying the
  // strings of the ones before (measured 1.60 -> 1.06 CPU s at 1M under the 500 MB write limit).
  await connection.run(`
    COPY (SELECT x.left_id, y.right_id, m.pass_name AS pass, m.score, m.tier
          FROM (SELECT ml.match_id, l.external_id AS left_id
                FROM recon_match_left ml JOIN records_left l ON l.row_no = ml.row_no) x
          JOIN (SELECT mr.match_id, r.external_id AS right_id
                FROM recon_match_right mr JOIN records_right r ON r.row_no = mr.row_no) y USING (match_id)
          JOIN recon_matches m USING (match_id)
          ORDER BY m.match_id) TO ${out('matches.parquet')} (FORMAT parquet);`);
  lap('write matches');
  await connection.run(`
    COPY (SELECT l.external_id, u.* FROM recon_unmatched_left u JOIN records_left l USING (row_no) ORDER BY row_no)
      TO ${out('unmatched-left.parquet')} (FORMAT parquet);
    COPY (SELECT r.external_id, u.* FROM recon_unmatched_right u JOIN records_right r USING (row_no) ORDER BY row_no)
      TO ${out('unmatched-right.parquet')} (FORMAT parquet);`);
  lap('write unmatched');
  await connection.run(
    `COPY (SELECT * FROM recon_discrepancies ORDER BY match_id, field) TO ${out('discrepancies.parquet')} (FORMAT parquet);`,
  );
  lap('write discrepancies');
}

/**
 * The engine end to end: open a session, ingest both files with their mappings (strict parsing, row
 * errors), reconcile with rules.bench.json, and write matches, unmatched records and discrepancies.
 * `diagnostics` adds the engine's "nearest candidate and why it failed" for every unmatched record,
 * work the SQL baseline does not do.
 */
export async function runEngineVariant(input: VariantInput, diagnostics = false): Promise<VariantOutput> {
  const phases: Record<string, number> = {};
  const phasesCpu: Record<string, number> = {};
  let mark = performance.now();
  let cpuMark = process.cpuUsage();
  const lap = (name: string): void => {
    const now = performance.now();
    phases[name] = (now - mark) / 1000;
    const cpu = process.cpuUsage(cpuMark);
    phasesCpu[name] = (cpu.user + cpu.system) / 1e6;
    mark = now;
    cpuMark = process.cpuUsage();
    // BENCH_RSS=1 prints the resident set after each phase to stderr, to find where memory peaks.
    if (process.env.BENCH_RSS === '1') {
      const status = readFileSync('/proc/self/status', 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      console.error(
        `${name}: rss ${Math.round(kb('VmRSS') / 1024)} MB, peak ${Math.round(kb('VmHWM') / 1024)} MB`,
      );
    }
  };
  const rules = parseRuleSet(json(input.rulesFile));
  const session = await openSession(input.session);
  try {
    const mapping = (side: string) =>
      columnMappingSchema.parse(json(new URL(`./mapping-${side}.bench.json`, import.meta.url)));
    // Time per ingest phase (read, detect, normalise, profile), taken from the progress callback.
    const ingest = async (side: 'left' | 'right', delimiter: string) => {
      let phase = 'sniff';
      const result = await ingestFile(
        session,
        side,
        {
          path: side === 'left' ? input.left : input.right,
          format: 'csv',
          delimiter,
          mapping: mapping(side),
          // A batch run shows no column profile and never reads the raw text again.
          profile: false,
          dropRaw: true,
        },
        {
          onProgress: (next) => {
            if (next === phase) return;
            lap(`ingest ${side} ${phase}`);
            phase = next;
          },
        },
      );
      lap(`ingest ${side} ${phase}`);
      return result;
    };
    const left = await ingest('left', ',');
    const right = await ingest('right', ';');
    if (left.errorCount + right.errorCount > 0) {
      throw new Error(
        `row errors: left ${left.errorCount}, right ${right.errorCount}: ${JSON.stringify(left.errors[0] ?? right.errors[0])}`,
      );
    }
    // Time per reconcile phase (pass:<name>, diagnose, finalise), taken from the progress callback.
    let phase = 'prepare';
    const stats = await reconcile(session, rules, {
      diagnostics,
      onProgress: (next) => {
        if (next === phase) return;
        lap(`reconcile ${phase}`);
        phase = next;
      },
    });
    lap(`reconcile ${phase}`);
    // The writes run under a lower DuckDB limit: it evicts table pages and spills the sorts instead of
    // growing the buffer pool on top of the tables (peak RSS 1156 -> ~900 MB at 1M rows).
    await withMemoryLimit(session, WRITE_MEMORY_LIMIT, () =>
      writeEngineResults(session.connection, input.outDir, lap),
    );
    return { matchesFile: `${input.outDir}/matches.parquet`, matched: stats.matches, phases, phasesCpu };
  } finally {
    session.close();
  }
}

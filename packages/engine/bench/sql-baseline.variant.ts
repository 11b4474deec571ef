import { readFileSync } from 'node:fs';
import { openSession } from '../src/duck/session';
import { BENCH_RULES } from './bench-rules';
import type { VariantInput, VariantOutput } from './variant';

/** Splits the script into its `-- @section name` parts. */
function sections(script: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const chunk of script.split(/^-- @section /m).slice(1)) {
    const newline = chunk.indexOf('\n');
    parts.set(chunk.slice(0, newline).trim(), chunk.slice(newline + 1));
  }
  return parts;
}

const sqlString = (path: string): string => path.replaceAll("'", "''");

/** The script's sections with the rules and paths filled in. */
export function sqlBaselineSections(paths: {
  left: string;
  right: string;
  outDir: string;
}): Map<string, string> {
  const { tolerance, fuzzy } = BENCH_RULES;
  const values: Record<string, string> = {
    left: sqlString(paths.left),
    right: sqlString(paths.right),
    out: sqlString(paths.outDir),
    absTol: String(tolerance.amountAbsMinor),
    // The script counts lag as bank − ledger (the settlement delay); the rules as ledger − bank.
    lag2Min: String(-tolerance.lagMaxDays),
    lag2Max: String(-tolerance.lagMinDays),
    name2Min: String(tolerance.nameMin),
    pct: String(fuzzy.amountPct),
    lag3Min: String(-fuzzy.lagMaxDays),
    lag3Max: String(-fuzzy.lagMinDays),
    name3Min: String(fuzzy.nameMin),
    // Slightly wider than ln(1 + pct) so a pair within the percentage is never two buckets apart.
    logWidth: String(Math.log(1 + fuzzy.amountPct) * 1.05),
  };
  const script = readFileSync(new URL('./sql-baseline.sql', import.meta.url), 'utf8').replace(
    /\{\{(\w+)\}\}/g,
    (_, key: string) => values[key] ?? `{{${key}}}`,
  );
  return sections(script);
}

/** Runs the hand-written SQL baseline: load, exact, tolerance and fuzzy passes, greedy assignment, write. */
export async function runSqlBaseline(input: VariantInput): Promise<VariantOutput> {
  const parts = sqlBaselineSections(input);
  const section = (name: string): string => {
    const sql = parts.get(name);
    if (sql === undefined) throw new Error(`sql-baseline.sql has no section ${name}`);
    return sql;
  };
  const session = await openSession(input.session);
  const phases: Record<string, number> = {};
  const phasesCpu: Record<string, number> = {};
  try {
    const { connection } = session;
    const timed = async (name: string, work: () => Promise<void>): Promise<void> => {
      const start = performance.now();
      const cpu = process.cpuUsage();
      await work();
      phases[name] = (phases[name] ?? 0) + (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      phasesCpu[name] = (phasesCpu[name] ?? 0) + (used.user + used.system) / 1e6;
    };
    const assign = async (): Promise<void> => {
      for (;;) {
        await connection.run(section('assign'));
        const picked = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM picked');
        if (picked.getRowObjects()[0]?.n === 0) return;
      }
    };
    await timed('load', () => connection.run(section('load')).then(() => undefined));
    for (const pass of ['exact', 'tolerance', 'fuzzy']) {
      if (pass !== 'exact')
        await timed(pass, () => connection.run(section('residual')).then(() => undefined));
      await timed(pass, () => connection.run(section(pass)).then(() => undefined));
      await timed(pass, assign);
    }
    await timed('write', () => connection.run(section('write')).then(() => undefined));
    const count = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM matches');
    const matched = Number(count.getRowObjects()[0]?.n ?? 0);
    return { matchesFile: `${input.outDir}/matches.parquet`, matched, phases, phasesCpu };
  } finally {
    session.close();
  }
}

/**
 * Engine benchmark: generates (seeded) two files with known truth, runs each variant in its own child
 * process, scores the matches and prints one table. See docs/benchmarks.md.
 *
 *   npm run bench:engine                      # 1,000,000 rows per side, all variants
 *   npm run bench -w @recon/engine -- --rows 100000     # quick run
 *   options: --rows N  --seed N  --data-dir DIR  --variants sql,engine[,engine-diagnostics]  --threads N
 *            --memory-limit 1GB (DuckDB, each variant)  --timeout 900 (seconds per variant)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { labelTruth, scoreMatches, type Accuracy } from './evaluate';
import { generateBenchData } from './generate-data';
import { DEFAULT_VARIANTS, VARIANTS, type VariantInput, type VariantReport } from './variant';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '../../..');

const Options = z.object({
  rows: z.coerce.number().int().min(1000).default(1_000_000),
  seed: z.coerce.number().int().default(378),
  dataDir: z.string().default(join(repoRoot, 'bench-data')),
  variants: z
    .string()
    .default(DEFAULT_VARIANTS.join(','))
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(VARIANTS)).min(1)),
  threads: z.coerce.number().int().min(1).optional(),
  memoryLimit: z.string().default('1GB'),
  timeout: z.coerce.number().positive().default(900),
});

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    seed: { type: 'string' },
    'data-dir': { type: 'string' },
    variants: { type: 'string' },
    threads: { type: 'string' },
    'memory-limit': { type: 'string' },
    timeout: { type: 'string' },
  },
});
const options = Options.parse({
  rows: values.rows,
  seed: values.seed,
  dataDir: values['data-dir'],
  variants: values.variants,
  threads: values.threads,
  memoryLimit: values['memory-limit'],
  timeout: values.timeout,
});

const VariantReportSchema = z.object({
  variant: z.string(),
  seconds: z.number(),
  cpuSeconds: z.number(),
  peakRssMb: z.number(),
  matchesFile: z.string(),
  matched: z.number(),
  phases: z.record(z.string(), z.number()),
  phasesCpu: z.record(z.string(), z.number()),
});

function runChild(variant: string, input: VariantInput): VariantReport | { variant: string; error: string } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(benchDir, 'run-variant.ts'), variant, JSON.stringify(input)],
    {
      cwd: resolve(benchDir, '..'),
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0) {
    const reason =
      child.stderr
        .trim()
        .split('\n')
        .find((line) => line.includes('Error')) ?? child.stderr.trim();
    return { variant, error: reason.slice(0, 300) };
  }
  return VariantReportSchema.parse(JSON.parse(last));
}

const fmt = (n: number, digits: number): string => n.toFixed(digits);

async function main(): Promise<void> {
  const dataDir = join(options.dataDir, `rows-${options.rows}-seed-${options.seed}`);
  let start = performance.now();
  const data = generateBenchData(dataDir, options.rows, options.seed);
  console.log(
    `data: ${data.dir} (${options.rows} rows per side, ready in ${fmt((performance.now() - start) / 1000, 1)} s)`,
  );
  start = performance.now();
  const truth = await labelTruth(data);
  console.log(
    `truth: ${truth.truePairs} true pairs, ${truth.withinTolerance} within the rules' tolerances (recall denominator); labelled in ${fmt((performance.now() - start) / 1000, 1)} s`,
  );

  const results: { report: VariantReport; accuracy: Accuracy }[] = [];
  const failures: { variant: string; error: string }[] = [];
  for (const variant of options.variants) {
    const outDir = join(data.dir, `out-${variant}`);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const tempDirectory = join(data.dir, `spill-${variant}`);
    const input: VariantInput = {
      left: data.left,
      right: data.right,
      rulesFile: join(benchDir, 'rules.bench.json'),
      outDir,
      session: {
        memoryLimit: options.memoryLimit,
        tempDirectory,
        ...(options.threads ? { threads: options.threads } : {}),
      },
    };
    console.log(`running ${variant}...`);
    const outcome = runChild(variant, input);
    if ('error' in outcome) {
      failures.push(outcome);
      continue;
    }
    results.push({ report: outcome, accuracy: await scoreMatches(truth.path, outcome.matchesFile) });
  }

  const sql = results.find((r) => r.report.variant === 'sql');
  const header = [
    'variant',
    'rows',
    'time (s)',
    'CPU (s)',
    'peak RSS (MB)',
    'matched pairs',
    'precision',
    'recall',
    '× SQL',
    'CPU × SQL',
  ];
  const rows = results.map(({ report, accuracy }) => [
    report.variant,
    String(options.rows),
    fmt(report.seconds, 2),
    fmt(report.cpuSeconds, 2),
    fmt(report.peakRssMb, 0),
    String(accuracy.matched),
    fmt(accuracy.precision, 4),
    fmt(accuracy.recall, 4),
    sql ? fmt(report.seconds / sql.report.seconds, 2) : '-',
    sql ? fmt(report.cpuSeconds / sql.report.cpuSeconds, 2) : '-',
  ]);
  const table = [header, header.map(() => '---'), ...rows]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
  console.log(`\n${table}\n`);
  for (const { report, accuracy } of results) {
    // Wall / CPU seconds per phase; phases of zero length (progress steps) are left out.
    const phases = Object.entries(report.phases)
      .filter(([name, s]) => s >= 0.005 || (report.phasesCpu[name] ?? 0) >= 0.005)
      .map(([name, s]) => `${name} ${fmt(s, 2)}/${fmt(report.phasesCpu[name] ?? 0, 2)}`)
      .join(', ');
    console.log(
      `${report.variant}: phases (wall/CPU s): ${phases}; recall over all true pairs ${fmt(accuracy.recallAll, 4)}`,
    );
  }
  for (const failure of failures) console.log(`${failure.variant}: FAILED: ${failure.error}`);
  const machine = { nproc: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  writeFileSync(
    join(data.dir, 'results.json'),
    JSON.stringify({ date: new Date().toISOString(), machine, options, truth, results, failures }, null, 2),
  );
  console.log(
    `machine: ${machine.nproc} cores, ${machine.memoryGb} GB, node ${machine.node}; results.json in ${data.dir}`,
  );
}

await main();

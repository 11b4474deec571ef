/**
 * Platform benchmark: the engine benchmark's data (packages/engine/bench/generate-data.ts) through the
 * server — both files uploaded and ingested into PostgreSQL by the real routes and queue worker, a
 * reconciliation job run by the worker, results queried through the API — against the engine alone on
 * the same files, in one run. Then the latency of pages of matches through the real route.
 * See docs/benchmarks.md ("Platform: 1M × 1M through the server").
 *
 *   npm run bench:platform                          # 1,000,000 rows per side
 *   npm run bench:platform -- --rows 100000         # quick run
 *   options: --rows N --seed N --data-dir DIR --pages N (timed page requests, 0 = none)
 *            --engine engine,engine-diagnostics (engine-only variants, each run before and after the platform; '' = none)
 *   DATABASE_URL: a role that may create databases (a scratch database is created and dropped); unset → embedded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateBenchData } from '../../../packages/engine/bench/generate-data';
import { runEngineOnly, type EngineReport } from './engine-only';
import {
  get,
  login,
  post,
  put,
  uploadFile,
  waitForIngestion,
  waitForJob,
  type Client,
} from './platform-client';
import { startPlatform } from './platform-server';
import { measurePages, summarise } from './results-pages';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    seed: { type: 'string' },
    'data-dir': { type: 'string' },
    pages: { type: 'string' },
    engine: { type: 'string' },
  },
});
const options = z
  .object({
    rows: z.coerce.number().int().min(1000).default(1_000_000),
    seed: z.coerce.number().int().default(378),
    dataDir: z.string().default(join(repoRoot, 'bench-data')),
    pages: z.coerce.number().int().min(0).default(200),
    engine: z
      .string()
      .default('engine,engine-diagnostics')
      .transform((s) => s.split(',').filter((v) => v !== ''))
      .pipe(z.array(z.enum(['engine', 'engine-diagnostics']))),
  })
  .parse({
    rows: values.rows,
    seed: values.seed,
    dataDir: values['data-dir'],
    pages: values.pages,
    engine: values.engine,
  });

const s = (ms: number) => (ms / 1000).toFixed(2);
const uptime = () => execSync('uptime').toString().trim();
const num = (value: unknown) => (typeof value === 'number' ? value : NaN);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/**
 * The engine benchmark's column mappings, set the way a user sets them: on a first small upload of each
 * feed (`PUT .../mapping`), remembered for the next upload with the same `source_key`. Not timed.
 */
async function rememberMapping(client: Client, projectId: string, file: string, side: 'left' | 'right') {
  const seed = `${file}.seed.csv`;
  writeFileSync(seed, readFileSync(file, 'utf8').split('\n').slice(0, 101).join('\n') + '\n');
  const id = await uploadFile(client, projectId, seed, `bench-${side}`);
  await waitForIngestion(client, id);
  const mapping: unknown = JSON.parse(
    readFileSync(join(repoRoot, `packages/engine/bench/mapping-${side}.bench.json`), 'utf8'),
  );
  await put(client, `/api/data-sources/${id}/mapping`, { mapping });
  const view = await waitForIngestion(client, id);
  if (view.error_count !== 0) throw new Error(`the ${side} mapping gives row errors on the first 100 rows`);
}

async function main(): Promise<void> {
  console.log(`start: ${new Date().toISOString()}; ${uptime()}`);
  const data = generateBenchData(
    join(options.dataDir, `rows-${options.rows}-seed-${options.seed}`),
    options.rows,
    options.seed,
  );
  const rules: unknown = JSON.parse(
    readFileSync(join(repoRoot, 'packages/engine/bench/rules.bench.json'), 'utf8'),
  );

  // Each engine-only variant runs before and after the platform, and the platform is compared with the mean
  // of the two: this machine's speed drifts by 20–35 % within minutes, and a bracket shows how much it moved.
  const engineRuns = (when: string): EngineReport[] =>
    options.engine.map((variant) => {
      console.log(`engine only (${variant}, ${when})...`);
      return runEngineOnly(data, variant);
    });
  const before = engineRuns('before the platform');

  console.log(`platform (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'})...`);
  const platform = await startPlatform(process.env.DATABASE_URL);
  try {
    const client = await login(platform.app, platform.adminEmail, platform.adminPassword);
    const project = await post<{ id: string }>(client, '/api/projects', { name: 'Benchmark' });
    await rememberMapping(client, project.id, data.left, 'left');
    await rememberMapping(client, project.id, data.right, 'right');
    const ingest = async (file: string, side: 'left' | 'right') =>
      timed(async () => {
        const id = await uploadFile(client, project.id, file, `bench-${side}`);
        const view = await waitForIngestion(client, id);
        if (view.loaded_count !== options.rows || view.error_count !== 0)
          throw new Error(
            `ingested ${String(view.loaded_count)} rows with ${String(view.error_count)} errors`,
          );
        return id;
      });
    // Both feeds uploaded at once, as a team drops its two files: the worker ingests two at a time.
    const ingestion = await timed(() =>
      Promise.all([ingest(data.left, 'left'), ingest(data.right, 'right')]),
    );
    const [left, right] = ingestion.value;
    const job = await post<{ id: string }>(client, '/api/reconciliation/jobs', {
      name: 'Benchmark',
      project_id: project.id,
      source_data_source_id: left.value,
      target_data_source_id: right.value,
      rules,
    });
    const run = await timed(async () => {
      await post(client, `/api/reconciliation/jobs/${job.id}/start`);
      return waitForJob(client, job.id);
    });
    const query = await timed(async () => {
      const summary = await get<{ matches: number }>(client, `/api/reconciliation/jobs/${job.id}/results`);
      const page = await get<{ items: unknown[] }>(
        client,
        `/api/reconciliation/jobs/${job.id}/matches?limit=100`,
      );
      if (page.items.length === 0)
        throw new Error(`no matches page: ${JSON.stringify(summary).slice(0, 1500)}`);
      return summary.matches;
    });
    const total = ingestion.ms + run.ms + query.ms;
    const ingestedLog = platform.logged('ingestion finished');
    const ingested = (['left', 'right'] as const).map((side) => {
      const id = (side === 'left' ? left : right).value;
      return { side, log: ingestedLog.find((r) => r.dataSourceId === id) ?? {} };
    });
    const finished = platform.logged('reconcile finished')[0] ?? {};
    // The explain and the matches' export in parts run beside the staging of the unmatched records, the
    // matches' COPY reads each part as it is written (logged under `overlapped`); the run's tables are staged
    // and indexed, then attached (migration 0108).
    const overlapped = (finished.overlapped ?? {}) as Record<string, unknown>;
    const write =
      num(finished.export_ms) +
      num(finished.stage_unmatched_ms) +
      num(finished.stage_matches_ms) +
      num(finished.index_ms) +
      num(finished.attach_ms);
    const phaseRows: [string, string][] = [
      ['ingest both, concurrently (uploads → both ready)', s(ingestion.ms)],
      ['  left / right (upload → ready)', `${s(left.ms)} / ${s(right.ms)}`],
      ...ingested.map((r): [string, string] => [
        `  ${r.side}: engine read / PostgreSQL write (its phases, s)`,
        `${s(num(r.log.read_ms))} / ${s(num(r.log.write_ms))} (${Object.entries(
          (r.log.phases_ms ?? {}) as Record<string, unknown>,
        )
          .map(([phase, ms]) => `${phase} ${s(num(ms))}`)
          .join(', ')})`,
      ]),
      ['job (start → completed)', s(run.ms)],
      ['  load (PostgreSQL → DuckDB)', s(num(finished.load_ms))],
      ['  match (engine)', s(num(finished.match_ms))],
      ['  currency tallies of the summary (DuckDB)', s(num(finished.currency_tally_ms))],
      ['  write (DuckDB → PostgreSQL)', s(write)],
      [
        '    export unmatched (DuckDB → CSV) / stage unmatched (explain, then export matches in parts, overlapped)',
        `${s(num(finished.export_ms))} / ${s(num(finished.stage_unmatched_ms))} (explain ${s(num(overlapped.explain_ms))}, export matches ${s(num(overlapped.export_matches_ms))})`,
      ],
      [
        '    stage matches (the rest of the COPY begun beside stage unmatched) / index (the builds left after it; all builds, overlapped) / attach and complete',
        `${s(num(finished.stage_matches_ms))} (COPY ${s(num(overlapped.copy_matches_ms))} in all, of which waiting for DuckDB's parts ${s(num(overlapped.matches_wait_ms))}) / ${s(num(finished.index_ms))} (${s(num(overlapped.index_all_ms))}) / ${s(num(finished.attach_ms))}`,
      ],
      ['results summary + first page', s(query.ms)],
      ['**total**', `**${s(total)}**`],
    ];
    const after = engineRuns('after the platform');
    before.forEach((first, k) => {
      const second = after[k] ?? first;
      const mean = (first.seconds + second.seconds) / 2;
      phaseRows.push([
        `engine only (${first.variant}): before / after the platform; platform ÷ their mean`,
        `${first.seconds.toFixed(2)} / ${second.seconds.toFixed(2)}; **${(total / 1000 / mean).toFixed(2)}×**`,
      ]);
    });
    console.log(
      `\nrows per side: ${options.rows}; matches: platform ${query.value}, ${[...before, ...after].map((e) => `${e.variant} ${e.matched}`).join(', ')}`,
    );
    console.log(
      `\n| phase | seconds |\n| --- | --- |\n${phaseRows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}`,
    );
    console.log(`after the run: ${uptime()}`);

    if (options.pages > 0) {
      const summary = await get<{ passes: { name: string }[] }>(
        client,
        `/api/reconciliation/jobs/${job.id}/results`,
      );
      // The second pass (amount and date): a filter that keeps a minority of the matches.
      const pass = summary.passes[1]?.name ?? summary.passes[0]?.name ?? '';
      const scenarios = await measurePages(client, platform.database.db, job.id, pass, options.pages);
      const all = summarise(scenarios.flatMap((x) => x.ms));
      console.log(
        `\n| page of 100 matches (${query.value} matches) | n | p50 (ms) | p95 (ms) | max (ms) |\n| --- | --- | --- | --- | --- |`,
      );
      for (const x of [
        ...scenarios.map((sc) => ({ name: sc.name, ...summarise(sc.ms) })),
        { name: '**all**', ...all },
      ])
        console.log(
          `| ${x.name} | ${x.n} | ${x.p50.toFixed(1)} | ${x.p95.toFixed(1)} | ${x.max.toFixed(1)} |`,
        );
      console.log(`after the pages: ${uptime()}`);
    }
  } finally {
    await platform.close();
  }
}

await main();

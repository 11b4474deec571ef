import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { openSession, reconcile, RESULT_TABLES, type IngestResult, type RuleSet } from '@recon/engine';
import { CliError, EXIT } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { Command } from '../command-registry';
import { ingestSide, rowErrorLines } from '../engine/ingest-side';
import { loadRules } from '../engine/load-rules';
import { suggestRuleSet } from '../engine/suggest';
import { parseOptions } from '../parse-options';
import { createProgress, slice } from '../output/progress';
import { buildSummary, formatSummary } from '../output/summary';
import { writeExplanations } from '../output/write-explanations';
import { OUTPUT_FORMATS, writeResults, writeRowErrors } from '../output/write-results';

const usage = `Usage: recon match --left FILE --right FILE (--rules RULES.json | --auto) --out DIR [options]

Reconciles two files without a server and writes matches, unmatched records per side, discrepancies
and summary.json into DIR.

Options:
  --left FILE           left input (CSV/TSV, JSON, NDJSON, XLSX, Parquet, CAMT, MT940, OFX, QIF, BAI2)
  --right FILE          right input
  --rules FILE          rule set JSON (see packages/engine/README.md)
  --auto                suggest a rule set from the two files and use it (written to DIR/rules-used.json)
  --map-left FILE       column mapping JSON for the left file (detected when absent)
  --map-right FILE      column mapping JSON for the right file
  --out DIR             output directory (created when missing)
  --format FMT          csv (default), json or parquet
  --explain             also write DIR/explanations.ndjson: every match with each comparison's outcome,
                        the compared values, the runner-up and the margin
  --skip-diagnostics    do not search the nearest candidate of every unmatched record (faster on big files)
  --allow-row-errors    reconcile the valid rows when some rows cannot be read (errors go to DIR)
  --memory-limit SIZE   DuckDB memory limit, e.g. 2GB (it spills to disk past it)

Exit codes: 0 fully reconciled, 1 differences found, 2 error.
Fully reconciled: no unmatched or rejected records and no amount discrepancy inside a match (a date
within the rules' window is listed in discrepancies but is not a difference).`;

const MatchOptions = z
  .object({
    left: z.string({ error: 'required' }).min(1),
    right: z.string({ error: 'required' }).min(1),
    rules: z.string().min(1).optional(),
    auto: z.boolean().default(false),
    'map-left': z.string().min(1).optional(),
    'map-right': z.string().min(1).optional(),
    out: z.string({ error: 'required' }).min(1),
    format: z.enum(OUTPUT_FORMATS, { error: 'use csv, json or parquet' }).default('csv'),
    'allow-row-errors': z.boolean().default(false),
    explain: z.boolean().default(false),
    'skip-diagnostics': z.boolean().default(false),
    'memory-limit': z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as 512MB or 2GB')
      .optional(),
  })
  .refine((o) => (o.rules === undefined) !== !o.auto, {
    message: 'give exactly one of --rules FILE or --auto',
    path: ['rules'],
  });

const FLAGS = {
  left: { type: 'string' },
  right: { type: 'string' },
  rules: { type: 'string' },
  auto: { type: 'boolean' },
  'map-left': { type: 'string' },
  'map-right': { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  'allow-row-errors': { type: 'boolean' },
  explain: { type: 'boolean' },
  'skip-diagnostics': { type: 'boolean' },
  'memory-limit': { type: 'string' },
} as const;

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseOptions(args, FLAGS, MatchOptions);
  // Rules are checked before any file is read: a typo in a pass should not cost a long ingest.
  const explicitRules = options.rules === undefined ? null : await loadRules(options.rules);
  await mkdir(options.out, { recursive: true }).catch((error: unknown) => {
    throw new CliError(
      `--out: cannot create ${options.out} (${error instanceof Error ? error.message : String(error)})`,
    );
  });
  const progress = createProgress(io);
  // Ctrl-C stops the engine between steps and interrupts a running DuckDB query; the session is closed.
  const cancel = new AbortController();
  const onSigint = () => {
    cancel.abort(new CliError('cancelled (interrupted)'));
  };
  process.once('SIGINT', onSigint);
  const session = await openSession(options['memory-limit'] ? { memoryLimit: options['memory-limit'] } : {});
  try {
    const left = await ingestSide(
      session,
      {
        side: 'left',
        path: options.left,
        flag: '--left',
        mappingPath: options['map-left'],
        mappingFlag: '--map-left',
        dropRaw: true,
        profile: false,
      },
      slice(progress, 0, 0.35, 'read left: '),
      cancel.signal,
    );
    const right = await ingestSide(
      session,
      {
        side: 'right',
        path: options.right,
        flag: '--right',
        mappingPath: options['map-right'],
        mappingFlag: '--map-right',
        dropRaw: true,
        profile: false,
      },
      slice(progress, 0.35, 0.7, 'read right: '),
      cancel.signal,
    );
    await reportRowErrors(session, io, options, { left, right });
    let rules: RuleSet;
    let rulesSource: string;
    if (explicitRules) {
      rules = explicitRules;
      rulesSource = options.rules ?? '';
    } else {
      progress('suggest rules', 0.7);
      const suggestion = await suggestRuleSet(session);
      rules = suggestion.rules;
      io.err(['suggested rules:', ...suggestion.notes.map((note) => `  ${note}`)].join('\n'));
      rulesSource = join(options.out, 'rules-used.json');
      await writeFile(rulesSource, `${JSON.stringify(rules, null, 2)}\n`);
    }
    const stats = await reconcile(session, rules, {
      onProgress: slice(progress, 0.7, 0.95, 'match: '),
      signal: cancel.signal,
      diagnostics: !options['skip-diagnostics'],
    });
    progress('write results', 0.95);
    const written = await writeResults(session, options.out, options.format);
    if (options.explain) {
      const path = join(options.out, 'explanations.ndjson');
      await writeExplanations(session, rules, path);
      written.push(path);
    }
    const amountDiscrepancies = await session.connection.runAndReadAll(
      `SELECT count(*)::INTEGER FROM ${RESULT_TABLES.discrepancies} WHERE field = 'amount'`,
    );
    const summary = buildSummary({
      files: { left: options.left, right: options.right },
      ingested: { left, right },
      stats,
      rules: rulesSource,
      written,
      amountDiscrepancies: Number(amountDiscrepancies.getRows()[0]?.[0] ?? 0),
    });
    const summaryPath = join(options.out, 'summary.json');
    summary.files.push(summaryPath);
    await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
    progress('done', 1);
    progress.done();
    io.out(`${formatSummary(summary)}\nfiles: ${options.out}`);
    return summary.exit_code === 0 ? EXIT.ok : EXIT.differences;
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
    session.close();
  }
}

/** Row errors stop the run unless --allow-row-errors; either way they are written next to the results. */
async function reportRowErrors(
  session: Awaited<ReturnType<typeof openSession>>,
  io: CliIo,
  options: { out: string; 'allow-row-errors': boolean },
  ingested: { left: IngestResult; right: IngestResult },
): Promise<void> {
  const lines: string[] = [];
  for (const side of ['left', 'right'] as const) {
    if (ingested[side].errorCount === 0) continue;
    await writeRowErrors(session, side, join(options.out, `row-errors-${side}.csv`));
    lines.push(...rowErrorLines(`--${side}`, ingested[side]));
  }
  if (lines.length === 0) return;
  if (!options['allow-row-errors']) {
    throw new CliError(
      'some rows cannot be read; fix them or pass --allow-row-errors to reconcile the valid rows',
      [...lines, `all row errors: ${join(options.out, 'row-errors-<side>.csv')}`],
    );
  }
  io.err(['warning: reconciling without the rejected rows', ...lines].join('\n'));
}

export const matchCommand: Command = {
  path: ['match'],
  summary: 'reconcile two files and write matches, unmatched records, discrepancies and a summary',
  usage,
  run,
};

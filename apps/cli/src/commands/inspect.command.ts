import { z } from 'zod';
import { openSession, profileTable, type ColumnProfile, type IngestResult } from '@recon/engine';
import { CliError, EXIT } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { Command } from '../command-registry';
import { ingestSide, rowErrorLines } from '../engine/ingest-side';
import { parseOptions } from '../parse-options';
import { textTable } from '../output/text-table';

const usage = `Usage: recon inspect FILE [--map MAPPING.json] [--json]

Reads FILE the way \`recon match\` would and prints the detected format, the column mapping (detected or
given), a profile of every column and the row errors.

Options:
  --map FILE   column mapping JSON to apply instead of detection
  --json       print one JSON document instead of tables

Exit codes: 0 the file reads cleanly, 1 some rows cannot be read, 2 error.`;

const InspectOptions = z.object({
  positionals: z.array(z.string()).length(1, 'give exactly one FILE'),
  map: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

// Long values (JSON extras, free text) would stretch the table past any terminal.
const clip = (text: string, width = 40): string =>
  text.length > width ? `${text.slice(0, width - 1)}…` : text;

function profileLines(profile: readonly ColumnProfile[]): string {
  return textTable(
    ['column', 'type', 'format', 'empty', 'distinct', 'min', 'max', 'samples'],
    profile.map((c) => [
      c.name,
      c.inferredType,
      c.format ?? '',
      `${(c.nullShare * 100).toFixed(0)}%`,
      String(c.distinctCount),
      clip(c.min ?? ''),
      clip(c.max ?? ''),
      clip(c.samples.slice(0, 3).join(' | '), 60),
    ]),
  );
}

function report(path: string, result: IngestResult): string {
  const head = [
    `file: ${path}`,
    `format: ${result.format}${result.encoding ? `, encoding ${result.encoding}` : ''}${result.delimiter ? `, delimiter ${JSON.stringify(result.delimiter)}` : ''}`,
    `rows: ${result.rowCount}, loaded: ${result.loadedCount}, rejected: ${result.rejectedRowCount}, row errors: ${result.errorCount}`,
  ];
  const mapping = result.mapping ? ['', 'mapping:', JSON.stringify(result.mapping, null, 2)] : [];
  const notes = result.detected?.notes.length
    ? ['', 'detection notes:', ...result.detected.notes.map((n) => `  ${n}`)]
    : [];
  const statements = (result.statements ?? []).flatMap((s) => [
    `statement ${s.statementId ?? s.index}: account ${s.account ?? '?'}, ${s.movementCount} movements, balance check ${s.balanceCheck === null ? 'n/a' : s.balanceCheck.ok ? 'ok' : 'FAILED'}`,
    // Findings reject nothing but need a person's eye (e.g. a batch kept as one record).
    ...s.findings.map((f) => `  finding ${f.code} (row ${f.row}): ${f.message}`),
  ]);
  const errors = rowErrorLines('row errors', result, 10);
  return [
    ...head,
    ...mapping,
    ...notes,
    '',
    'profile:',
    profileLines(result.profile),
    ...(statements.length ? ['', ...statements] : []),
    ...(errors.length ? ['', ...errors] : []),
  ].join('\n');
}

const jsonReplacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    args,
    { map: { type: 'string' }, json: { type: 'boolean' } },
    InspectOptions,
    true,
  );
  const [path = ''] = options.positionals;
  const session = await openSession();
  try {
    let result: IngestResult;
    try {
      result = await ingestSide(session, {
        side: 'left',
        path,
        flag: 'FILE',
        mappingPath: options.map,
        mappingFlag: '--map',
      });
    } catch (error) {
      // Without a usable mapping the columns can still be profiled: that is what the user needs to write one.
      if (error instanceof CliError && error.message.includes('[MAPPING_INCOMPLETE]')) {
        io.out(`profile:\n${profileLines(await profileTable(session, 'left'))}`);
      }
      throw error;
    }
    io.out(options.json ? JSON.stringify({ file: path, ...result }, jsonReplacer, 2) : report(path, result));
    return result.errorCount === 0 ? EXIT.ok : EXIT.differences;
  } finally {
    session.close();
  }
}

export const inspectCommand: Command = {
  path: ['inspect'],
  summary: 'show the detected format, column mapping, column profile and row errors of a file',
  usage,
  run,
};

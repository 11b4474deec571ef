import { z } from 'zod';
import { openSession } from '@recon/engine';
import { EXIT } from '../cli-error';
import type { CliIo } from '../cli-io';
import type { Command } from '../command-registry';
import { ingestSide } from '../engine/ingest-side';
import { suggestRuleSet } from '../engine/suggest';
import { parseOptions } from '../parse-options';

const usage = `Usage: recon rules suggest LEFT RIGHT [--map-left FILE] [--map-right FILE]

Profiles both files and prints a suggested rule set (JSON) to standard output: key columns by uniqueness
and overlap, amount and date columns with the observed date lag, text fields worth fuzzy matching.
The reason for each decision goes to standard error. Save the JSON, edit it, and pass it to
\`recon match --rules\`.

Options:
  --map-left FILE    column mapping JSON for LEFT (detected when absent)
  --map-right FILE   column mapping JSON for RIGHT`;

const SuggestOptions = z.object({
  positionals: z.array(z.string()).length(2, 'give two files: LEFT RIGHT'),
  'map-left': z.string().min(1).optional(),
  'map-right': z.string().min(1).optional(),
});

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    args,
    { 'map-left': { type: 'string' }, 'map-right': { type: 'string' } },
    SuggestOptions,
    true,
  );
  const [left = '', right = ''] = options.positionals;
  const session = await openSession();
  try {
    await ingestSide(session, {
      side: 'left',
      path: left,
      flag: 'LEFT',
      mappingPath: options['map-left'],
      mappingFlag: '--map-left',
    });
    await ingestSide(session, {
      side: 'right',
      path: right,
      flag: 'RIGHT',
      mappingPath: options['map-right'],
      mappingFlag: '--map-right',
    });
    const { rules, notes } = await suggestRuleSet(session);
    // The JSON alone on stdout (so `> rules.json` works); the reasons on stderr.
    io.err(notes.map((note) => `note: ${note}`).join('\n'));
    io.out(JSON.stringify(rules, null, 2));
    return EXIT.ok;
  } finally {
    session.close();
  }
}

export const rulesSuggestCommand: Command = {
  path: ['rules', 'suggest'],
  summary: 'print a suggested rule set (JSON) for two files',
  usage,
  run,
};

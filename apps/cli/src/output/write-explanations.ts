import { open } from 'node:fs/promises';
import { readMatches, type EngineSession, type RuleSet } from '@recon/engine';

const PAGE = 2000;

/**
 * Writes every match with its explanation (each comparison's outcome and compared values, runner-up and
 * margin) as NDJSON, one match per line, paging through the engine's reader so memory stays flat.
 * Returns the number of lines written.
 */
export async function writeExplanations(
  session: EngineSession,
  rules: RuleSet,
  path: string,
): Promise<number> {
  const file = await open(path, 'w');
  let written = 0;
  try {
    for (;;) {
      const page = await readMatches(session, rules, { offset: written, limit: PAGE });
      if (page.length === 0) break;
      await file.write(page.map((match) => JSON.stringify(match)).join('\n') + '\n');
      written += page.length;
      if (page.length < PAGE) break;
    }
  } finally {
    await file.close();
  }
  return written;
}

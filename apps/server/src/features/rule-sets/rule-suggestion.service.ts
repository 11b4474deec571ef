import { openSession, suggestRules } from '@recon/engine';
import type { Db } from '../../db/database';
import { loadSide } from '../jobs/load-records';
import { readySourcesOf } from './project-sources';

/**
 * The engine's proposed rule set for two ingested data sources of the project, with a note per decision.
 * Runs in the API process: DuckDB profiles both sides in memory (single-threaded, so one request cannot
 * take every core from the rest of the API).
 */
export async function suggestRuleSet(db: Db, projectId: string, sourceId: string, targetId: string) {
  await readySourcesOf(db, projectId, [
    [sourceId, 'source_data_source_id'],
    [targetId, 'target_data_source_id'],
  ]);
  const session = await openSession({ threads: 1 });
  try {
    await loadSide(db, session, 'left', sourceId);
    await loadSide(db, session, 'right', targetId);
    const suggestion = await suggestRules(session);
    return { rules: suggestion.rules, notes: suggestion.notes };
  } finally {
    session.close();
  }
}

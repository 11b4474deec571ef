import { openSession, suggestRules } from '@recon/engine';
import { AppError } from '@recon/shared';
import type { Db } from '../../db/database';
import { findDataSource } from '../data-sources/data-sources.repository';
import { loadSide } from '../jobs/load-records';

/**
 * The engine's proposed rule set for two ingested data sources of the project, with a note per decision.
 * Runs in the API process: DuckDB profiles both sides in memory (single-threaded, so one request cannot
 * take every core from the rest of the API).
 */
export async function suggestRuleSet(db: Db, projectId: string, sourceId: string, targetId: string) {
  for (const [id, field] of [
    [sourceId, 'source_data_source_id'],
    [targetId, 'target_data_source_id'],
  ] as const) {
    const source = await findDataSource(db, id);
    if (source === undefined || source.project_id !== projectId) {
      throw new AppError('DATA_SOURCE_NOT_FOUND', `No data source ${id} in this project`, {
        errors: [{ in: 'body', field, message: 'not found in the project' }],
      });
    }
    if (source.status !== 'ready')
      throw new AppError('DATA_SOURCE_NOT_READY', `Data source ${id} is ${source.status}`);
  }
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

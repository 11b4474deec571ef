import { AppError } from '@recon/shared';
import type { Db } from '../../db/database';
import { findDataSource } from '../data-sources/data-sources.repository';

/**
 * The data sources named in a request body, each checked to belong to the project (another project's
 * source answers 404 naming the body field, so ids cannot be probed) and to be ingested.
 */
export async function readySourcesOf(db: Db, projectId: string, ids: readonly (readonly [string, string])[]) {
  const sources = [];
  for (const [id, field] of ids) {
    const source = await findDataSource(db, id);
    if (source === undefined || source.project_id !== projectId) {
      throw new AppError('DATA_SOURCE_NOT_FOUND', `No data source ${id} in this project`, {
        errors: [{ in: 'body', field, message: 'not found in the project' }],
      });
    }
    if (source.status !== 'ready')
      throw new AppError('DATA_SOURCE_NOT_READY', `Data source ${id} is ${source.status}`);
    sources.push(source);
  }
  return sources;
}

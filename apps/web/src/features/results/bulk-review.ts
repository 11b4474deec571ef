import type { z } from 'zod';
import type { bulkActionSchema } from '@recon/shared';

/** One action of `POST .../review/bulk`. */
export type BulkAction = z.infer<typeof bulkActionSchema>;

/** The server applies at most this many actions per request, all or none. */
export const BULK_LIMIT = 500;

/** Splits a selection into requests the server accepts. */
export function chunk<T>(items: readonly T[], size = BULK_LIMIT): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** The row an action is about, as the grid keys it: the match id, or `<side>:<row>`. */
export function actionKey(action: BulkAction): string {
  return 'match_id' in action ? String(action.match_id) : `${action.side}:${String(action.row)}`;
}

/**
 * After a 409, the rows of a failed request whose version moved on (or that left the list) since the
 * person selected them: what to name when telling them what a colleague changed.
 */
export function changedSince(sent: readonly BulkAction[], current: ReadonlyMap<string, number>): string[] {
  return sent.filter((action) => current.get(actionKey(action)) !== action.version).map(actionKey);
}

/** The outcome of one request of a bulk run. */
export interface ChunkOutcome {
  index: number;
  keys: string[];
  error: unknown;
}

/**
 * Sends the chunks one after another (each is one transaction on the server) and reports progress; a
 * failed chunk does not stop the others, whose rows are independent.
 */
export async function runChunks(
  chunks: readonly BulkAction[][],
  send: (actions: BulkAction[]) => Promise<unknown>,
  onProgress: (done: number, total: number) => void,
): Promise<{ applied: string[]; failed: ChunkOutcome[] }> {
  const applied: string[] = [];
  const failed: ChunkOutcome[] = [];
  const total = chunks.reduce((sum, actions) => sum + actions.length, 0);
  let done = 0;
  onProgress(0, total);
  for (const [index, actions] of chunks.entries()) {
    try {
      await send(actions);
      applied.push(...actions.map(actionKey));
    } catch (error) {
      failed.push({ index, keys: actions.map(actionKey), error });
    }
    done += actions.length;
    onProgress(done, total);
  }
  return { applied, failed };
}

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/api-error';
import { describeError } from '../../components/error-alert';
import type { BulkAction } from './bulk-review';
import { changedSince, chunk, runChunks } from './bulk-review';
import { resultKeys, sendBulkReview } from './results.queries';

interface BulkOptions<Row> {
  /** Reloads the grid's rows (all loaded pages) and returns them: the truth after a 409. */
  refetch: () => Promise<Row[]>;
  keyOf: (row: Row) => string;
  versionOf: (row: Row) => number;
  /** How people know a row: "match 12", "left row 7". */
  describe: (key: string) => string;
}

export interface BulkRun {
  applied: string[];
  /** Keys of rows in requests that failed: still to do. */
  failed: string[];
}

/**
 * Runs a bulk review in requests of at most 500 actions, one after another, with progress. A request the
 * server refuses as stale (409) names the rows a colleague changed, after reloading them.
 */
export function useBulkReview<Row>(jobId: string, options: BulkOptions<Row>) {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);

  const run = async (actions: BulkAction[]): Promise<BulkRun> => {
    setProblems([]);
    const chunks = chunk(actions);
    const result = await runChunks(
      chunks,
      (part) => sendBulkReview(jobId, part),
      (done, total) => {
        setProgress({ done, total });
      },
    );
    const messages: string[] = [];
    let fresh: Map<string, number> | undefined;
    for (const failure of result.failed) {
      const sent = chunks[failure.index] ?? [];
      const batch =
        chunks.length > 1 ? `Batch ${String(failure.index + 1)} of ${String(chunks.length)}` : 'It';
      if (isApiError(failure.error) && failure.error.code === 'STALE_VERSION') {
        fresh ??= new Map(
          (await options.refetch()).map((row) => [options.keyOf(row), options.versionOf(row)]),
        );
        const changed = changedSince(sent, fresh);
        const names = changed.length > 0 ? changed.map(options.describe).join(', ') : 'a row';
        messages.push(
          `${batch} was not applied: ${names} changed meanwhile (shown as it is now). Nothing in that batch of ${String(sent.length)} changed; check and try again.`,
        );
      } else {
        const { title, detail } = describeError(failure.error);
        messages.push(`${batch} was not applied: ${detail || title}`);
      }
    }
    setProblems(messages);
    setProgress(null);
    void queryClient.invalidateQueries({ queryKey: resultKeys.all(jobId) });
    return { applied: result.applied, failed: result.failed.flatMap((failure) => failure.keys) };
  };

  return {
    run,
    progress,
    problems,
    isRunning: progress !== null,
    dismiss: () => {
      setProblems([]);
    },
  };
}

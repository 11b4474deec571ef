import { describe, expect, it } from 'vitest';
import type { BulkAction } from './bulk-review';
import { actionKey, BULK_LIMIT, changedSince, chunk, runChunks } from './bulk-review';

const confirm = (id: number, version = 1): BulkAction => ({ type: 'confirm', match_id: id, version });

describe('bulk review', () => {
  it('splits a selection into requests of at most 500 actions', () => {
    const actions = Array.from({ length: 1201 }, (_, index) => confirm(index + 1));
    const chunks = chunk(actions);
    expect(chunks.map((part) => part.length)).toEqual([BULK_LIMIT, BULK_LIMIT, 201]);
    expect(chunks.flat()).toEqual(actions);
    expect(chunk([])).toEqual([]);
  });

  it('keys actions the way the grids key rows', () => {
    expect(actionKey(confirm(12))).toBe('12');
    expect(actionKey({ type: 'status', side: 'right', row: 7, version: 2, status: 'resolved' })).toBe(
      'right:7',
    );
  });

  it('names the rows whose version moved on or that left the list', () => {
    const sent = [confirm(1, 1), confirm(2, 3), confirm(3, 1)];
    expect(
      changedSince(
        sent,
        new Map([
          ['1', 1],
          ['2', 4],
        ]),
      ),
    ).toEqual(['2', '3']);
  });

  it('sends chunks in order, reports progress and carries on past a failed chunk', async () => {
    const chunks = [[confirm(1), confirm(2)], [confirm(3)], [confirm(4)]];
    const progress: number[] = [];
    const sent: number[][] = [];
    const result = await runChunks(
      chunks,
      (actions) => {
        sent.push(actions.map((action) => ('match_id' in action ? action.match_id : 0)));
        return sent.length === 2 ? Promise.reject(new Error('stale')) : Promise.resolve({ applied: 1 });
      },
      (done) => progress.push(done),
    );
    expect(sent).toEqual([[1, 2], [3], [4]]);
    expect(progress).toEqual([0, 2, 3, 4]);
    expect(result.applied).toEqual(['1', '2', '4']);
    expect(result.failed).toEqual([{ index: 1, keys: ['3'], error: new Error('stale') }]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleSet, readMatches, readStatistics, reconcile } from '../../src/index';
import { sessionWith } from './engine-fixture';

const rules = parseRuleSet({
  version: 1,
  passes: [
    { name: 'reference', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] },
    {
      name: 'amount',
      comparisons: [
        { type: 'amount', tolerance_minor: 10 },
        { type: 'date', max_days: 2 },
      ],
    },
  ],
});
const left = [
  { row: 1, reference: 'R1', amount: 100, date: '2024-01-01' },
  { row: 2, amount: 205, date: '2024-01-01' },
];
const right = [
  { row: 1, reference: 'R1', amount: 100, date: '2024-01-01' },
  { row: 2, amount: 200, date: '2024-01-02' },
];

describe('reconcile control', () => {
  it('reports progress per phase, ending at 1', async () => {
    const session = await sessionWith(left, right);
    try {
      const seen: [string, number][] = [];
      await reconcile(session, rules, { onProgress: (phase, fraction) => seen.push([phase, fraction]) });
      expect(seen.map(([phase]) => phase)).toEqual([
        'prepare',
        'pass:reference',
        'pass:amount',
        'diagnose',
        'finalise',
        'done',
      ]);
      expect(seen.map(([, f]) => f)).toEqual([...seen.map(([, f]) => f)].sort((a, b) => a - b));
      expect(seen.at(-1)?.[1]).toBe(1);
    } finally {
      session.close();
    }
  });

  it('stops with the abort reason when the signal fires between passes', async () => {
    const session = await sessionWith(left, right);
    try {
      const controller = new AbortController();
      const run = reconcile(session, rules, {
        signal: controller.signal,
        onProgress: (phase) => {
          if (phase === 'pass:amount') controller.abort(new Error('user cancelled'));
        },
      });
      await expect(run).rejects.toThrow('user cancelled');
    } finally {
      session.close();
    }
  });

  it('can run twice in one session: results are replaced, not appended', async () => {
    const session = await sessionWith(left, right);
    try {
      await reconcile(session, rules);
      const stats = await reconcile(session, rules);
      expect(stats.matches).toBe(2);
      expect(await readStatistics(session, rules)).toEqual(stats);
      const matches = await readMatches(session, rules);
      expect(matches.map((m) => m.id)).toEqual([1_000_000_000_001, 2_000_000_000_002]);
      expect(stats.passes.map((p) => [p.name, p.matches, p.left.amount, p.right.amount])).toEqual([
        ['reference', 1, 100n, 100n],
        ['amount', 1, 205n, 200n],
      ]);
    } finally {
      session.close();
    }
  });
});

describe('rules module', () => {
  it('imports no DuckDB and nothing outside itself but zod (the web app bundles it)', () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'rules');
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const target of imports) expect(target === 'zod' || target?.startsWith('./')).toBe(true);
    }
  });
});

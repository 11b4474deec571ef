import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mirrorRuleSet, parseRuleSet, reconcile, type EngineSession, type RuleSet } from '../../src/index';
import { sessionWith, text, type TestRecord } from './engine-fixture';

// Small value pools so that candidates collide often: ties, conflicts and groups are the interesting cases.
const recordArb = fc.record({
  amount: fc.constantFrom(100, 150, 250, 400, 1000, -100),
  day: fc.integer({ min: 1, max: 4 }),
  reference: fc.constantFrom(null, 'A1', 'A2', 'B7'),
  counterparty: fc.constantFrom('Acme Ltd', 'ACME Limited', 'Globex', 'Globx', null),
  batch: fc.constantFrom(null, 'P1', 'P2'),
});
type Generated = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;
const sideArb = fc.array(recordArb, { minLength: 0, maxLength: 9 });

const toRecords = (side: readonly Generated[]): TestRecord[] =>
  side.map((g, i) => ({
    row: i + 1,
    amount: g.amount,
    date: `2024-01-0${g.day}`,
    reference: g.reference,
    counterparty: g.counterparty,
    extra: { batch: g.batch },
  }));

const rules: RuleSet = parseRuleSet({
  version: 1,
  confidence_threshold: 0.5,
  passes: [
    { name: 'reference', comparisons: [{ type: 'exact', field: 'reference' }, { type: 'amount' }] },
    {
      name: 'tolerance',
      comparisons: [
        { type: 'amount', tolerance_minor: 60 },
        { type: 'date', min_days: 0, max_days: 2 },
        { type: 'text', field: 'counterparty', threshold: 0.8, required: false },
      ],
    },
    {
      name: 'payout',
      kind: 'one_to_many',
      comparisons: [{ type: 'amount' }, { type: 'date', min_days: -1, max_days: 1 }],
      group: { max_group_size: 3 },
    },
    {
      name: 'batches',
      kind: 'many_to_one',
      comparisons: [{ type: 'amount', tolerance_minor: 10 }],
      group: { left_key: 'extra.batch' },
    },
  ],
});

interface Outcome {
  matches: string[];
  unmatchedLeft: number[];
  unmatchedRight: number[];
}

async function outcome(session: EngineSession, swap = false): Promise<Outcome> {
  const read = async (sql: string) => (await session.connection.runAndReadAll(sql)).getRowsJS();
  const matches = await read(`
    SELECT m.pass_index, m.tier, m.score,
      (SELECT list(row_no ORDER BY row_no) FROM recon_match_left x WHERE x.match_id = m.match_id)::VARCHAR,
      (SELECT list(row_no ORDER BY row_no) FROM recon_match_right x WHERE x.match_id = m.match_id)::VARCHAR
    FROM recon_matches m ORDER BY m.match_id`);
  const rows = async (side: string) =>
    (await read(`SELECT row_no FROM recon_unmatched_${side} ORDER BY 1`)).map((r) => Number(r[0]));
  const described = matches.map(([pass, tier, score, l, r]) =>
    swap
      ? `${text(pass)} ${text(tier)} ${text(score)} ${text(r)}~${text(l)}`
      : `${text(pass)} ${text(tier)} ${text(score)} ${text(l)}~${text(r)}`,
  );
  const [unmatchedLeft, unmatchedRight] = [await rows('left'), await rows('right')];
  return {
    matches: described.sort(),
    unmatchedLeft: swap ? unmatchedRight : unmatchedLeft,
    unmatchedRight: swap ? unmatchedLeft : unmatchedRight,
  };
}

async function runOnce(
  left: TestRecord[],
  right: TestRecord[],
  ruleSet: RuleSet,
  swap = false,
): Promise<{ outcome: Outcome; session: EngineSession }> {
  const session = swap ? await sessionWith(right, left) : await sessionWith(left, right);
  await reconcile(session, ruleSet);
  return { outcome: await outcome(session, swap), session };
}

describe('reconcile properties', () => {
  it('puts every record in exactly one match or the unmatched list, and conserves amounts', async () => {
    await fc.assert(
      fc.asyncProperty(sideArb, sideArb, async (l, r) => {
        const { session } = await runOnce(toRecords(l), toRecords(r), rules);
        try {
          for (const side of ['left', 'right'] as const) {
            const reader = await session.connection.runAndReadAll(`
              SELECT count(*) FILTER (n <> 1)::INTEGER,
                (SELECT coalesce(sum(amount_minor), 0) FROM records_${side})::VARCHAR,
                (SELECT coalesce(sum(x.amount_minor), 0) FROM recon_match_${side} m JOIN records_${side} x USING (row_no))::VARCHAR,
                (SELECT coalesce(sum(x.amount_minor), 0) FROM recon_unmatched_${side} u JOIN records_${side} x USING (row_no))::VARCHAR
              FROM (SELECT r.row_no, (SELECT count(*) FROM recon_match_${side} m WHERE m.row_no = r.row_no)
                + (SELECT count(*) FROM recon_unmatched_${side} u WHERE u.row_no = r.row_no) AS n FROM records_${side} r)`);
            const [bad, total, matched, unmatched] = reader.getRowsJS()[0] ?? [];
            expect(bad).toBe(0);
            expect(BigInt(text(matched)) + BigInt(text(unmatched))).toBe(BigInt(text(total)));
          }
        } finally {
          session.close();
        }
      }),
      { numRuns: 30 },
    );
  }, 180_000);

  it('mirrors the result when the sides are swapped (with the mirrored rule set)', async () => {
    await fc.assert(
      fc.asyncProperty(sideArb, sideArb, async (l, r) => {
        const a = await runOnce(toRecords(l), toRecords(r), rules);
        a.session.close();
        const b = await runOnce(toRecords(l), toRecords(r), mirrorRuleSet(rules), true);
        b.session.close();
        expect(b.outcome).toEqual(a.outcome);
      }),
      { numRuns: 25 },
    );
  }, 180_000);

  it('is deterministic: same records in any insertion order give identical results', async () => {
    await fc.assert(
      fc.asyncProperty(sideArb, sideArb, fc.integer(), async (l, r, seed) => {
        const left = toRecords(l);
        const right = toRecords(r);
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 }))
            .sort((p, q) => p.k - q.k)
            .map((p) => p.x);
        const a = await runOnce(left, right, rules);
        a.session.close();
        const b = await runOnce(shuffle(left), shuffle(right), rules);
        b.session.close();
        expect(b.outcome).toEqual(a.outcome);
      }),
      { numRuns: 20 },
    );
  }, 180_000);
});

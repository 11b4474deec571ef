import type { EngineSession } from '@recon/engine';
import { z } from 'zod';

const amountText = z.string().regex(/^-?\d+$/);
const countOf = z.union([z.bigint(), z.number().int()]).transform(Number);

/**
 * One side's records of a run in one currency and scale: all of them, and those in a match of the run.
 * Amounts are integer minor units of that scale as decimal strings (exact past 2^53).
 */
export const currencyTallySchema = z.object({
  currency: z.string().nullable(),
  scale: z.number().int(),
  total: z.object({ count: z.number().int(), amount: amountText }),
  matched: z.object({ count: z.number().int(), amount: amountText }),
});
/** See {@link currencyTallySchema}. */
export type CurrencyTally = z.infer<typeof currencyTallySchema>;

const rowSchema = z.tuple([
  z.string().nullable(),
  z.number().int(),
  countOf,
  amountText,
  countOf,
  amountText,
]);

async function sideTallies(session: EngineSession, side: 'left' | 'right'): Promise<CurrencyTally[]> {
  // A record is in at most one match of the run, so the left join neither drops nor repeats a record.
  const reader = await session.connection.runAndReadAll(`
    SELECT r.currency, r.scale, count(*)::BIGINT, coalesce(sum(r.amount_minor), 0)::VARCHAR,
      count(m.row_no)::BIGINT, coalesce(sum(r.amount_minor) FILTER (WHERE m.row_no IS NOT NULL), 0)::VARCHAR
    FROM records_${side} r LEFT JOIN recon_match_${side} m ON m.row_no = r.row_no
    GROUP BY r.currency, r.scale ORDER BY r.currency NULLS LAST, r.scale`);
  return reader.getRowsJS().map((row) => {
    const [currency, scale, totalCount, totalAmount, matchedCount, matchedAmount] = rowSchema.parse(row);
    return {
      currency,
      scale,
      total: { count: totalCount, amount: totalAmount },
      matched: { count: matchedCount, amount: matchedAmount },
    };
  });
}

/**
 * After `reconcile`, each side's records per currency and scale, in total and in a match of the run (one
 * query per side over the session's tables). Stored with the run's statistics so that the results summary
 * shows amounts per currency without scanning the job's records.
 */
export async function currencyTallies(
  session: EngineSession,
): Promise<{ left: CurrencyTally[]; right: CurrencyTally[] }> {
  return { left: await sideTallies(session, 'left'), right: await sideTallies(session, 'right') };
}

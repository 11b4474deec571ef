import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestFile, openSession, parseRuleSet, reconcile, type EngineSession } from '@recon/engine';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import {
  getJob,
  newUsers,
  REFERENCE_TOLERANCE_RULES,
  runJobToCompletion,
  uploadReady,
} from './fixtures/recon/recon-scenario';
import type { Session } from './support/test-app';
import { stagedLeftovers } from './support/result-runs';
import * as MatchWriter from '../src/features/jobs/match-writer';

// The reconcile job streams the matches into PostgreSQL's COPY in parts DuckDB writes one after the other
// (match-writer.ts, lib/csv-parts.ts). Here the parts are as small as the tests choose, so a part lost,
// written twice or out of order changes the result; and a part can fail mid-way through the COPY.
const parts = vi.hoisted(() => ({
  /** Matches per part in the job's export; undefined: the job's default. */
  size: undefined as bigint | undefined,
  /** The part whose DuckDB export fails, once. */
  failPart: undefined as number | undefined,
  failures: 0,
}));
vi.mock('../src/features/jobs/match-writer', async (original) => {
  const actual = await original<typeof MatchWriter>();
  return {
    ...actual,
    exportMatchParts: async (...[session, run, folder, size]: Parameters<typeof actual.exportMatchParts>) => {
      const failing = parts.failPart === undefined ? undefined : `matches-${String(parts.failPart)}.csv`;
      const connection = new Proxy(session.connection, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property !== 'run' || failing === undefined)
            return typeof value === 'function' ? (value.bind(target) as unknown) : value;
          return async (...args: Parameters<typeof target.run>) => {
            if (args[0].includes(failing)) {
              parts.failPart = undefined;
              parts.failures += 1;
              throw new Error('DuckDB failed while writing a part of the matches');
            }
            return target.run(...args);
          };
        },
      });
      return actual.exportMatchParts({ ...session, connection }, run, folder, size ?? parts.size);
    },
  };
});

/** Two passes (match ids are sparse: each pass has its own id base), auto-confirmed and suggested matches. */
const RULES = {
  ...REFERENCE_TOLERANCE_RULES,
  passes: [
    ...REFERENCE_TOLERANCE_RULES.passes,
    {
      name: 'amount and date',
      comparisons: [
        { type: 'amount', tolerance_minor: 0 },
        { type: 'date', field: 'booking_date', min_days: -1, max_days: 1 },
      ],
    },
  ],
};

/**
 * 40 bank rows and 40 ledger rows: 30 pairs share a reference (amounts off by 0–3 cents), 7 pairs share
 * only amount and date, 3 rows of each side match nothing.
 */
function files(): { bank: string; ledger: string } {
  const bank = ['Date,Reference,Amount,Currency'];
  const ledger = ['Date,Reference,Amount,Currency'];
  for (let i = 0; i < 40; i += 1) {
    const date = `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`;
    const cents = 1000 + i * 137;
    const amount = (minor: number) =>
      `${String(Math.floor(minor / 100))}.${String(minor % 100).padStart(2, '0')}`;
    bank.push(`${date},INV-${String(i)},${amount(cents)},EUR`);
    if (i < 30) ledger.push(`${date},INV-${String(i)},${amount(cents + (i % 4))},EUR`);
    else if (i < 37) ledger.push(`${date},LEDGER-${String(i)},${amount(cents)},EUR`);
    else ledger.push(`${date},LEDGER-${String(i)},${amount(cents + 50_000)},EUR`);
  }
  return { bank: `${bank.join('\n')}\n`, ledger: `${ledger.join('\n')}\n` };
}

describe('matches exported in parts', () => {
  let session: EngineSession;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'recon-match-parts-'));
    session = await openSession({ threads: 1 });
    const { bank, ledger } = files();
    const mapping = {
      reference: 'Reference',
      amount: { kind: 'signed' as const, column: 'Amount' },
      currency: { column: 'Currency' },
      booking_date: { column: 'Date', format: 'YYYY-MM-DD' },
    };
    for (const [side, content] of [
      ['left', bank],
      ['right', ledger],
    ] as const) {
      const file = path.join(folder, `${side}.csv`);
      await writeFile(file, content);
      await ingestFile(session, side, { path: file, mapping });
    }
    await reconcile(session, parseRuleSet(RULES));
  });
  afterAll(async () => {
    session.close();
    await rm(folder, { recursive: true, force: true });
  });

  it.each([1n, 3n, 36n, 37n, 1_000n])(
    'streams the same bytes as one export, in match id order, with %s matches per part',
    async (size) => {
      const run = { jobId: '0b1f7a64-3c1e-4f59-9e55-8d6f1a2b3c4d', runNo: 1 };
      const rules = parseRuleSet(RULES);
      const whole = await mkdtemp(path.join(folder, 'whole-'));
      await MatchWriter.explainSuggested(session, rules);
      const expected = await readFile(await MatchWriter.exportMatches(session, run, whole), 'utf8');
      const inParts = await mkdtemp(path.join(folder, 'parts-'));
      await MatchWriter.explainSuggested(session, rules);
      const streamed = await MatchWriter.exportMatchParts(session, run, inParts, size);
      const chunks: Buffer[] = [];
      for await (const chunk of streamed.stream) chunks.push(chunk as Buffer);
      await streamed.exported;
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).toBe(expected);
      const ids = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => BigInt(line.split(',')[2] ?? ''));
      expect(ids).toHaveLength(37);
      expect(new Set(ids).size).toBe(37);
      // Two passes: the ids are not one dense range, and they arrive in ascending order.
      expect(ids.at(-1)! - ids[0]!).toBeGreaterThan(37n);
      expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
      const written = (await readdir(inParts)).filter((name) => name.startsWith('matches-'));
      expect(written).toHaveLength(Math.ceil(37 / Number(size)));
      // The work tables are gone with the export: the session is as the next step expects it.
      const left = await session.connection.runAndReadAll(
        "SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name IN ('_w_left', '_w_right', '_w_explained')",
      );
      expect(left.getRows()[0]?.[0]).toBe(0);
    },
  );

  it('stops writing parts once the reader is gone', async () => {
    const run = { jobId: '0b1f7a64-3c1e-4f59-9e55-8d6f1a2b3c4d', runNo: 2 };
    await MatchWriter.explainSuggested(session, parseRuleSet(RULES));
    const target = await mkdtemp(path.join(folder, 'stopped-'));
    const streamed = await MatchWriter.exportMatchParts(session, run, target, 1n);
    streamed.stream.destroy();
    await expect(streamed.exported).rejects.toThrow(/closed before every part/);
    expect((await readdir(target)).length).toBeLessThan(37);
  });
});

describe('the reconcile job with its matches in parts', () => {
  let ctx: ReconTestContext;
  let owner: Session;
  let projectId: string;
  let bankId: string;
  let ledgerId: string;

  beforeAll(async () => {
    ctx = await createReconTestApp();
    ({ owner } = await newUsers(ctx.app, 'owner'));
    projectId = await createProject(ctx.app, owner, 'Parts');
    const { bank, ledger } = files();
    bankId = await uploadReady(ctx.app, owner, projectId, 'bank.csv', bank);
    ledgerId = await uploadReady(ctx.app, owner, projectId, 'ledger.csv', ledger);
  });
  afterAll(async () => {
    await ctx.close();
  });

  const job = (name: string) => ({ name, projectId, sourceId: bankId, targetId: ledgerId, rules: RULES });

  /** The job's matches and exceptions without the job id, by key, and its matches in physical order. */
  async function results(jobId: string) {
    const { rows: matches } = await sql<Record<string, unknown>>`
      SELECT match_id, pass_index, pass_name, kind, score, tier, status, left_rows, right_rows, left_amount,
             right_amount, currency, scale, explanation
      FROM recon_matches WHERE job_id = ${jobId}::uuid ORDER BY match_id`.execute(ctx.db.db);
    const { rows: exceptions } = await sql<Record<string, unknown>>`
      SELECT side, row_no, nearest_row, nearest_score, reason FROM recon_exceptions
      WHERE job_id = ${jobId}::uuid ORDER BY side, row_no`.execute(ctx.db.db);
    const { rows: stored } = await sql<{ match_id: unknown }>`
      SELECT match_id FROM recon_matches WHERE job_id = ${jobId}::uuid ORDER BY ctid`.execute(ctx.db.db);
    return { matches, exceptions, storedOrder: stored.map((row) => String(row.match_id)) };
  }

  it('writes the same results with one match per part as with the default parts, in match id order', async () => {
    parts.size = 1n;
    const small = await runJobToCompletion(ctx.app, owner, job('One match per part'));
    parts.size = undefined;
    const whole = await runJobToCompletion(ctx.app, owner, job('Default parts'));
    const [inParts, inOne] = [await results(small), await results(whole)];
    expect(inParts.matches).toHaveLength(37);
    expect(new Set(inParts.matches.map((m) => m.tier))).toEqual(new Set(['auto', 'suggested']));
    expect(inParts.matches).toEqual(inOne.matches);
    expect(inParts.exceptions).toEqual(inOne.exceptions);
    expect(inParts.exceptions).toHaveLength(6);
    // COPY read the parts in match id order: the rows lie in the primary key's order.
    expect(inParts.storedOrder).toEqual(inParts.matches.map((m) => String(m.match_id)));
  }, 60_000);

  it('leaves nothing staged when a part fails mid-way through the COPY, and the retry writes every match once', async () => {
    parts.size = 5n;
    parts.failPart = 3;
    const failures = parts.failures;
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/reconciliation/jobs',
      headers: owner.headers,
      payload: {
        name: 'A part fails',
        project_id: projectId,
        source_data_source_id: bankId,
        target_data_source_id: ledgerId,
        rules: RULES,
        start: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await waitFor(
      async () => {
        const current = await getJob<{ phase: string | null }>(ctx.app, owner, id);
        return parts.failures === failures + 1 && current.phase === 'retrying' ? true : undefined;
      },
      20_000,
      'the failed attempt to be retried',
    );
    expect(await stagedLeftovers(ctx.db.db, id)).toBe(0);
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM recon_matches WHERE job_id = ${id}::uuid`.execute(ctx.db.db);
    expect(Number(rows[0]?.n)).toBe(0);
    const done = await waitFor(
      async () => {
        const current = await getJob<{ status: string; attempt: number }>(ctx.app, owner, id);
        return ['completed', 'failed'].includes(current.status) ? current : undefined;
      },
      30_000,
      'the job to finish',
    );
    expect(done).toMatchObject({ status: 'completed', attempt: 2 });
    parts.size = undefined;
    const reference = await runJobToCompletion(ctx.app, owner, job('Reference'));
    expect((await results(id)).matches).toEqual((await results(reference)).matches);
  }, 60_000);
});

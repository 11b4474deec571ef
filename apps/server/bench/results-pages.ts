/**
 * Latency of a page of matches through the real route (`GET /api/reconciliation/jobs/{id}/matches`,
 * authentication, membership check, query, records of both sides, explanation, response schema), with
 * the filters and sorts the API offers, following the API's own cursors and jumping to deep ones; then
 * the unmatched listing (every sort) and the discrepancy listing, following their cursors.
 */
import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { Client } from './platform-client';

interface Page {
  items: { match_id: number; score: number }[];
  next_cursor: string | null;
}

export interface Scenario {
  name: string;
  ms: number[];
}

/** Filters (query strings) and sorts a reviewer uses; `pass` is a pass name of the run. */
function scenarios(pass: string): { name: string; query: string }[] {
  return [
    { name: 'all, by match id', query: 'sort=match_id' },
    { name: 'suggested, score desc', query: 'tier=suggested&sort=score_desc' },
    {
      name: 'confirmed + pass, score asc',
      query: `status=confirmed&pass=${encodeURIComponent(pass)}&sort=score_asc`,
    },
    { name: 'score 0.5-0.95, score desc', query: 'min_score=0.5&max_score=0.95&sort=score_desc' },
    { name: 'amount diff >= 1, by match id', query: 'min_amount_difference=1&sort=match_id' },
    {
      name: 'auto + amount diff >= 50, score desc',
      query: 'tier=auto&min_amount_difference=50&sort=score_desc',
    },
    // Sorts a newer API offers; skipped (with a note) where the route refuses them.
    { name: 'amount difference desc', query: 'sort=amount_difference_desc' },
    { name: 'suggested, amount difference asc', query: 'tier=suggested&sort=amount_difference_asc' },
  ];
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

export function summarise(ms: readonly number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? NaN,
  };
}

async function timedPage(client: Client, url: string): Promise<{ ms: number; page: Page }> {
  const start = performance.now();
  const response = await client.app.inject({ method: 'GET', url, headers: client.headers });
  const ms = performance.now() - start;
  if (response.statusCode !== 200)
    throw new Error(`GET ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return { ms, page: response.json<Page>() };
}

/**
 * The cursor the API would hand out after a row with this id and sort-key text, made by editing a real
 * cursor of the same sort: JSON `{s, k, i}` or the older `match_id:score`, both base64url. Undefined when
 * the format is neither; deep pages are then reached only by following cursors.
 */
function cursorEditor(sample: string | null): ((id: string, key: string | null) => string) | undefined {
  if (sample === null) return undefined;
  const decoded = Buffer.from(sample, 'base64url').toString('utf8');
  const encode = (text: string) => Buffer.from(text).toString('base64url');
  if (/^\d+:/.test(decoded)) return (id, key) => encode(`${id}:${key ?? ''}`);
  try {
    const parsed: unknown = JSON.parse(decoded);
    if (typeof parsed === 'object' && parsed !== null && 'i' in parsed)
      return (id, key) => encode(JSON.stringify({ ...parsed, k: key, i: id }));
  } catch {
    return undefined;
  }
  return undefined;
}

/** Runs about `total` timed page requests (100 per page) and returns the latencies per scenario. */
export async function measurePages(
  client: Client,
  db: Db,
  jobId: string,
  pass: string,
  total: number,
): Promise<Scenario[]> {
  const base = `/api/reconciliation/jobs/${jobId}/matches?limit=100`;
  const list: { name: string; query: string }[] = [];
  for (const s of scenarios(pass)) {
    const probe = await client.app.inject({
      method: 'GET',
      url: `${base}&${s.query}`,
      headers: client.headers,
    });
    if (probe.statusCode === 200) list.push(s);
    else console.log(`(skipped "${s.name}": ${probe.statusCode})`);
  }
  // Warm-up (not counted): the first requests pay for connection set-up and plan caching.
  for (const s of list) await timedPage(client, `${base}&${s.query}`);
  const results: Scenario[] = [];
  const chained = Math.max(1, Math.floor((total * 0.6) / list.length));
  for (const s of list) {
    const ms: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < chained; i++) {
      const { ms: took, page }: { ms: number; page: Page } = await timedPage(
        client,
        `${base}&${s.query}${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      ms.push(took);
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    results.push({ name: `${s.name}, pages 1-${ms.length}`, ms });
  }
  const count = Number(
    (
      await sql<{
        n: string;
      }>`SELECT count(*)::text AS n FROM recon_matches WHERE job_id = ${jobId}::uuid`.execute(db)
    ).rows[0]?.n ?? 0,
  );
  const deepSorts = {
    match_id: { key: sql`NULL`, order: sql`match_id` },
    score_desc: { key: sql`score::text`, order: sql`score DESC, match_id` },
    score_asc: { key: sql`score::text`, order: sql`score, match_id` },
  };
  const deep = Math.max(1, Math.floor((total * 0.4) / Object.keys(deepSorts).length));
  for (const [sort, { key, order }] of Object.entries(deepSorts)) {
    const edit = cursorEditor((await timedPage(client, `${base}&sort=${sort}`)).page.next_cursor);
    if (edit === undefined) continue;
    const ms: number[] = [];
    for (let i = 0; i < deep; i++) {
      // Spread over the whole result: positions i/deep of the way through, in this sort order.
      const offset = Math.floor(((i + 0.5) / deep) * count);
      const row = (
        await sql<{
          id: string;
          key: string | null;
        }>`SELECT match_id::text AS id, ${key} AS key FROM recon_matches
          WHERE job_id = ${jobId}::uuid ORDER BY ${order} OFFSET ${offset} LIMIT 1`.execute(db)
      ).rows[0];
      if (row === undefined) continue;
      ms.push((await timedPage(client, `${base}&sort=${sort}&cursor=${edit(row.id, row.key)}`)).ms);
    }
    results.push({ name: `deep cursor, sort ${sort}`, ms });
  }
  results.push(...(await otherListings(client, jobId, Math.max(1, Math.floor(chained / 2)))));
  return results;
}

/** The unmatched (each sort, both sides' left shown) and discrepancy listings, `pages` pages each by cursor. */
async function otherListings(client: Client, jobId: string, pages: number): Promise<Scenario[]> {
  const base = `/api/reconciliation/jobs/${jobId}`;
  const listings = [
    ...['row', 'amount_desc', 'amount_asc', 'date_asc', 'date_desc'].map((sort) => ({
      name: `unmatched left, ${sort}`,
      url: `${base}/unmatched?side=left&limit=100&sort=${sort}`,
    })),
    { name: 'discrepancies', url: `${base}/discrepancies?limit=100` },
    { name: 'discrepancies, field amount', url: `${base}/discrepancies?limit=100&field=amount` },
  ];
  const results: Scenario[] = [];
  for (const listing of listings) {
    const probe = await client.app.inject({ method: 'GET', url: listing.url, headers: client.headers });
    if (probe.statusCode !== 200) {
      console.log(`(skipped "${listing.name}": ${probe.statusCode})`);
      continue;
    }
    const ms: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < pages; i++) {
      const suffix = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const { ms: took, page }: { ms: number; page: Page } = await timedPage(
        client,
        `${listing.url}${suffix}`,
      );
      ms.push(took);
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    results.push({ name: `${listing.name}, pages 1-${ms.length}`, ms });
  }
  return results;
}

import { readFileSync } from 'node:fs';
import { openSession } from '../src/duck/session';
import { columnMappingSchema, ingestFile } from '../src/ingest/index';
import { pairCandidatesSql } from '../src/match/pass-sql';
import { parseRuleSet } from '../src/rules/index';
const dir = process.argv[2] ?? '';
const json = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8')) as unknown;
const rules = parseRuleSet(json('bench/rules.bench.json'));
const session = await openSession({ memoryLimit: '1GB' });
for (const [side, file, d] of [['left', 'left-bank.csv', ','], ['right', 'right-ledger.csv', ';']] as const) {
  const t = performance.now();
  await ingestFile(session, side, { path: `${dir}/${file}`, format: 'csv', delimiter: d, mapping: columnMappingSchema.parse(json(`bench/mapping-${side}.bench.json`)), profile: false, dropRaw: true });
  console.log(side, (performance.now() - t) / 1000);
}
const pass = rules.passes[0];
if (pass) {
  const sql = pairCandidatesSql(pass, 0.4, 'records_left', 'records_right');
  console.log(sql);
  const t = performance.now();
  const r = await session.connection.runAndReadAll(`EXPLAIN ANALYZE ${sql}`);
  console.log((performance.now() - t) / 1000);
  console.log(String(r.getRows()[0]?.[1]));
}
session.close();

/**
 * Compares two engine output folders of the benchmark (matches, unmatched per side, discrepancies) row for row
 * and in order, to check that a change leaves the results as they were. Not part of `npm run bench:engine`.
 *
 *   npx tsx packages/engine/bench/compare-outputs.ts <folder a> <folder b>
 *
 * Copy `bench-data/rows-…/out-engine` aside before the change, run the benchmark after it, compare. Each row
 * carries its position in the file (`file_row_number`), so a row that differs or moved shows up in the
 * `EXCEPT ALL` either way. Exits with 1 when any file differs.
 */
import { DuckDBInstance } from '@duckdb/node-api';

const FILES = ['matches', 'unmatched-left', 'unmatched-right', 'discrepancies'] as const;

const [a, b] = process.argv.slice(2);
if (a === undefined || b === undefined) throw new Error('usage: compare-outputs.ts <folder a> <folder b>');
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const rows = (folder: string, file: string) =>
  `(SELECT * FROM read_parquet('${`${folder}/${file}.parquet`.replaceAll("'", "''")}', file_row_number = true))`;
let same = true;
for (const file of FILES) {
  const reader = await connection.runAndReadAll(`SELECT
    (SELECT count(*) FROM ${rows(a, file)}), (SELECT count(*) FROM ${rows(b, file)}),
    (SELECT count(*) FROM (SELECT * FROM ${rows(a, file)} EXCEPT ALL SELECT * FROM ${rows(b, file)})),
    (SELECT count(*) FROM (SELECT * FROM ${rows(b, file)} EXCEPT ALL SELECT * FROM ${rows(a, file)}))`);
  const [countA, countB, onlyA, onlyB] = (reader.getRowsJS()[0] ?? []).map(Number);
  const differs = countA !== countB || onlyA !== 0 || onlyB !== 0;
  same &&= !differs;
  console.log(
    `${file.padEnd(16)} rows ${countA} / ${countB}, only in a ${onlyA}, only in b ${onlyB}${differs ? '  DIFFERENT' : ''}`,
  );
}
connection.closeSync();
process.exitCode = same ? 0 : 1;

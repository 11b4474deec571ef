import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSimpleCsv, toMinor, type TestRecord } from '../match/engine-fixture';

export const BLNK_DIR = join(import.meta.dirname, '..', 'fixtures', 'blnk');

const CORE = new Set(['ID', 'Amount', 'Currency', 'Reference', 'Description', 'Date', 'side']);

/** Blnk CSV rows → test records (row = line number, id = ID, extra = every other column). */
export function blnkRecords(rows: readonly Record<string, string>[]): TestRecord[] {
  return rows.map((r, i) => ({
    row: i + 1,
    id: r.ID ?? null,
    amount: toMinor(r.Amount ?? '0'),
    currency: r.Currency || null,
    reference: r.Reference || null,
    description: r.Description || null,
    date: (r.Date ?? '').slice(0, 10) || null,
    extra: Object.fromEntries(Object.entries(r).filter(([k]) => !CORE.has(k))),
  }));
}

export function readScenario(name: string): { left: TestRecord[]; right: TestRecord[]; expected: unknown } {
  const dir = join(BLNK_DIR, name);
  return {
    left: blnkRecords(parseSimpleCsv(readFileSync(join(dir, 'external.csv'), 'utf8'))),
    right: blnkRecords(parseSimpleCsv(readFileSync(join(dir, 'internal.csv'), 'utf8'))),
    expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')),
  };
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CanonicalRecord } from '../../src/core/canonical';

/** Root of the copied third-party statement fixtures (never ../shared at run time). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/statements/', import.meta.url));

export const readFixture = (relative: string): Uint8Array =>
  new Uint8Array(readFileSync(join(FIXTURES, relative)));
export const readFixtureText = (relative: string): string => readFileSync(join(FIXTURES, relative), 'utf8');

/** Files under a fixture folder (recursive), relative to FIXTURES, filtered by suffix. */
export function listFixtures(folder: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(FIXTURES, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (statSync(join(FIXTURES, rel)).isDirectory()) walk(rel);
      else if (name.endsWith(suffix)) out.push(rel);
    }
  };
  walk(folder);
  return out;
}

/** Parses a simple CSV without quoted commas (the expected-summary files). */
export function readCsv(relative: string): Record<string, string>[] {
  const [head = '', ...rows] = readFixtureText(relative).trim().split(/\r?\n/);
  const columns = head.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Formats a record amount as a canonical decimal string without trailing zeros ('-6260', '0.03'). */
export function amountText(amount: bigint, scale: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  const fraction = (scale === 0 ? '' : digits.slice(-scale)).replace(/0+$/, '');
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** Normalises a decimal string for comparison ('50.00' → '50', '-0.420' → '-0.42'). */
export const normDecimal = (text: string): string => {
  const negative = text.trim().startsWith('-');
  const [whole = '0', fraction = ''] = text.trim().replace(/^[+-]/, '').split('.');
  const w = whole.replace(/^0+(?=\d)/, '') || '0';
  const f = fraction.replace(/0+$/, '');
  const out = f === '' ? w : `${w}.${f}`;
  return negative && out !== '0' ? `-${out}` : out;
};

/** Exact sum of records of mixed scales as a normalised decimal string. */
export function sumText(records: readonly CanonicalRecord[]): string {
  const scale = Math.max(0, ...records.map((r) => r.scale));
  const total = records.reduce((acc, r) => acc + BigInt(r.amount) * 10n ** BigInt(scale - r.scale), 0n);
  return amountText(total, scale);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';
import { normaliseSql } from '../../src/match/sql-text';
import type { Normaliser } from '../../src/rules/index';

/** Every normaliser applied literally, in order (the reference `normaliseSql` may shortcut). */
const literalSql = (x: string, normalisers: readonly Normaliser[]): string =>
  normalisers.reduce((sql, n) => {
    switch (n) {
      case 'trim':
        return `trim(${sql})`;
      case 'case':
        return `lower(${sql})`;
      case 'strip_non_alphanumeric':
        return `regexp_replace(${sql}, '[^\\p{L}\\p{N}]+', '', 'g')`;
      case 'remove_leading_zeros':
        return `ltrim(${sql}, '0')`;
    }
  }, x);

let session: EngineSession;
beforeAll(async () => {
  session = await openSession();
});
afterAll(() => {
  session.close();
});

async function scalar(sql: string): Promise<unknown> {
  const reader = await session.connection.runAndReadAll(sql);
  return reader.getRowsJS()[0]?.[0];
}

describe('normaliseSql', () => {
  it('leaves out a trim that a later strip_non_alphanumeric makes redundant', () => {
    expect(normaliseSql('x', ['trim', 'case', 'strip_non_alphanumeric'])).not.toContain('trim(');
    expect(normaliseSql('x', ['trim', 'case'])).toContain('trim(');
    expect(normaliseSql('x', ['trim', 'remove_leading_zeros', 'strip_non_alphanumeric'])).toContain('trim(');
  });

  it('keeps the trim when remove_leading_zeros runs before the strip (" 007" reads 7, not 007)', async () => {
    const sql = normaliseSql(`' 007'`, ['trim', 'remove_leading_zeros', 'strip_non_alphanumeric']);
    expect(await scalar(`SELECT ${sql}`)).toBe('7');
  });

  it('gives the same value as applying every normaliser, for every code point at the ends', async () => {
    const lists: Normaliser[][] = [
      ['trim', 'case', 'strip_non_alphanumeric'],
      ['trim', 'strip_non_alphanumeric', 'remove_leading_zeros'],
      ['case', 'trim', 'trim', 'strip_non_alphanumeric'],
    ];
    // All code points but NUL and the surrogates (not characters), at both ends of other text.
    const values = `(SELECT chr(c::INTEGER) AS ch FROM range(1, 1114112) t(c) WHERE c NOT BETWEEN 55296 AND 57343)`;
    const mismatches = lists
      .map((list) => {
        const v = `ch || 'Ab 0' || ch`;
        return `count(*) FILTER (WHERE ${normaliseSql(v, list)} IS DISTINCT FROM ${literalSql(v, list)})`;
      })
      .join(' + ');
    expect(Number(await scalar(`SELECT ${mismatches} FROM ${values}`))).toBe(0);
    // The check covers the space separators trim removes (no-break, ideographic space...).
    expect(Number(await scalar(`SELECT count(*) FROM ${values} WHERE trim(ch) = ''`))).toBeGreaterThan(10);
  });
});

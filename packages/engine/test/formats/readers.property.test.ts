import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BankFormat } from '../../src/core/statement';
import { bankReaders } from '../../src/formats';
import { BankFormatError } from '../../src/formats/shared/bank-format.error';
import { readFixture } from './fixture-helpers';

const FORMATS: BankFormat[] = ['camt', 'mt940', 'ofx', 'qif', 'bai2'];

// Real files cut and mutated reach deep into each parser; pure random bytes test the front door.
const SEEDS: Record<BankFormat, string> = {
  camt: 'camt/camt053.v2.multi.statement.xml',
  mt940: 'mt940/cmxl/mt940.sta',
  ofx: 'ofx/bank_medium.ofx',
  qif: 'qif/us-bank.qif',
  bai2: 'bai2/sample2.txt',
};

/** Runs a reader: it must return a result or throw a BankFormatError, never anything else. */
function readsOrRejects(format: BankFormat, content: Uint8Array): void {
  const reader = bankReaders[format];
  if (reader === undefined) throw new Error(`no reader for ${format}`);
  try {
    const result = reader(content);
    expect(result.format).toBe(format);
    for (const record of result.records) expect(typeof record.amount).toBe('bigint');
  } catch (error) {
    if (!(error instanceof BankFormatError)) throw error;
    expect(error.code).toMatch(/^[A-Z_]+$/);
  }
}

describe('bank readers never crash on garbage', () => {
  for (const format of FORMATS) {
    it(`${format}: random bytes give a result or a BankFormatError`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (content) => {
          readsOrRejects(format, content);
        }),
        { numRuns: 300 },
      );
    });

    it(`${format}: a real file cut short and with bytes overwritten gives a result or a BankFormatError`, () => {
      const seed = readFixture(SEEDS[format]);
      const mutated = fc
        .tuple(
          fc.nat({ max: seed.length }),
          fc.array(fc.tuple(fc.nat({ max: seed.length }), fc.integer({ min: 0, max: 255 })), {
            maxLength: 8,
          }),
        )
        .map(([cut, edits]) => {
          const copy = seed.slice(0, cut);
          for (const [at, byte] of edits) if (at < copy.length) copy[at] = byte;
          return copy;
        });
      fc.assert(
        fc.property(mutated, (content) => {
          readsOrRejects(format, content);
        }),
        { numRuns: 300 },
      );
    });
  }
});

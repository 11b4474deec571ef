import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor, minor } from '../../src/core/money';
import { parseAmount, type AmountFormat } from '../../src/parse/amount-parse';

const dot: AmountFormat = { decimalSeparator: '.', thousandsSeparator: ',' };
const comma: AmountFormat = { decimalSeparator: ',', thousandsSeparator: '.' };
const value = (raw: string, format: AmountFormat = dot, scale = 2) => {
  const result = parseAmount(raw, format, scale);
  return result.ok ? result.value : result.code;
};

describe('parseAmount', () => {
  it.each([
    ['100.50', 10050n],
    ['0.01', 1n],
    ['999999999.99', 99999999999n],
    ['-12.00', -1200n],
    ['+7', 700n],
    ['(12.00)', -1200n],
    ['12.00-', -1200n],
    ['$1,234.56', 123456n],
    ['-$5', -500n],
    ['$-5', -500n],
    ['USD 1,000,000.00', 100000000n],
    ['12.5 EUR', 1250n],
    ['.5', 50n],
    ['  3.10  ', 310n],
    ['1.230', 123n],
    ['−4.00', -400n],
  ])('reads %s with a dot decimal separator', (raw, expected) => {
    expect(value(raw)).toBe(expected);
  });

  it.each([
    ['1.234,56', 123456n],
    ['-950,00', -95000n],
    ['3,5', 350n],
    ['12,00 €', 1200n],
    ['1.000.000', 100000000n],
  ])('reads %s with a comma decimal separator', (raw, expected) => {
    expect(value(raw, comma)).toBe(expected);
  });

  it('reads Swiss apostrophes and no-break spaces as thousands separators', () => {
    expect(value("1'234.56", { decimalSeparator: '.', thousandsSeparator: "'" })).toBe(123456n);
    expect(value('1\u00A0234,56', { decimalSeparator: ',', thousandsSeparator: ' ' })).toBe(123456n);
  });

  it.each([
    ['', 'AMOUNT_MISSING'],
    ['   ', 'AMOUNT_MISSING'],
    ['abc', 'AMOUNT_INVALID'],
    ['1,23', 'AMOUNT_INVALID'],
    ['1234,567.00', 'AMOUNT_INVALID'],
    ['(12.00', 'AMOUNT_INVALID'],
    ['-(12.00)', 'AMOUNT_INVALID'],
    ['--5', 'AMOUNT_INVALID'],
    ['-5-', 'AMOUNT_INVALID'],
    ['$5 USD', 'AMOUNT_INVALID'],
    ['1e5', 'AMOUNT_INVALID'],
    ['12.', 'AMOUNT_INVALID'],
    ['12.345', 'AMOUNT_PRECISION'],
    ['1'.repeat(37), 'AMOUNT_OUT_OF_RANGE'],
  ])('refuses %j with %s', (raw, code) => {
    expect(value(raw)).toBe(code);
  });

  it('treats a null cell as a missing amount, never as zero', () => {
    expect(parseAmount(null, dot, 2)).toMatchObject({ ok: false, code: 'AMOUNT_MISSING' });
  });

  it('uses the scale it is given: JPY has no decimals, KWD three', () => {
    expect(value('500', dot, 0)).toBe(500n);
    expect(value('500.5', dot, 0)).toBe('AMOUNT_PRECISION');
    expect(value('1.234', dot, 3)).toBe(1234n);
  });

  it('reads back every amount formatMinor writes, at every scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 6 }),
        (value, scale) => {
          const text = formatMinor(minor(value), scale);
          expect(parseAmount(text, { decimalSeparator: '.', thousandsSeparator: null }, scale)).toEqual({
            ok: true,
            value,
          });
        },
      ),
    );
  });
});

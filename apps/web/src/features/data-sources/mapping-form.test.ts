import { describe, expect, it } from 'vitest';
import {
  dateFormatProblem,
  formFromMapping,
  mappingFromForm,
  usesMonthNames,
  validateMappingForm,
  sampleValues,
} from './mapping-form';
import { formErrorsFromServer } from './mapping-form-errors';

// What the engine detected for a German bank export (snake_case, as the server sends it).
const DETECTED = {
  version: 1,
  external_id: null,
  amount: { kind: 'signed', column: 'Betrag' },
  invert_sign: false,
  number_format: { decimal_separator: '.', thousands_separator: null },
  currency: {},
  scale: null,
  booking_date: { column: 'Datum', format: 'DD/MM/YYYY', required: true },
  value_date: null,
  reference: 'Referenz',
  counterparty: null,
  description: null,
  account: null,
};
const COLUMNS = ['Datum', 'Buchungstext', 'Betrag', 'Referenz', 'Soll', 'Haben', 'S/H'];

describe('formFromMapping and mappingFromForm', () => {
  it('prefills every input from the detected mapping', () => {
    expect(formFromMapping(DETECTED)).toMatchObject({
      amount_kind: 'signed',
      amount_column: 'Betrag',
      decimal_separator: '.',
      thousands_separator: '',
      booking_date_column: 'Datum',
      booking_date_format: 'DD/MM/YYYY',
      value_date_column: null,
      reference: 'Referenz',
      description: null,
      currency_fixed: '',
    });
  });

  it('writes the fixes back as the engine mapping and keeps keys the form does not know', () => {
    const base = { ...DETECTED, scale: 2, booking_date: { ...DETECTED.booking_date, month_names: 'de' } };
    const state = {
      ...formFromMapping(base),
      decimal_separator: ',' as const,
      thousands_separator: '.' as const,
      currency_fixed: 'eur',
      description: 'Buchungstext',
      booking_date_format: 'DD.MM.YYYY',
    };
    expect(mappingFromForm(state, base)).toEqual({
      ...base,
      number_format: { decimal_separator: ',', thousands_separator: '.' },
      currency: { fixed: 'EUR' },
      booking_date: { column: 'Datum', format: 'DD.MM.YYYY', required: true, month_names: 'de' },
      description: 'Buchungstext',
    });
  });

  it('round-trips the debit/credit and direction layouts', () => {
    const dc = { amount: { kind: 'debit_credit', debit_column: 'Soll', credit_column: 'Haben' } };
    expect(mappingFromForm(formFromMapping(dc), dc).amount).toEqual(dc.amount);
    const direction = formFromMapping({
      amount: { kind: 'direction', column: 'Betrag', direction_column: 'S/H' },
    });
    expect(mappingFromForm({ ...direction, debit_values: 'S, soll ', credit_values: 'H' }).amount).toEqual({
      kind: 'direction',
      column: 'Betrag',
      direction_column: 'S/H',
      debit_values: ['S', 'soll'],
      credit_values: ['H'],
    });
  });

  it('drops a date field whose column was cleared and a fixed currency that was emptied', () => {
    const base = { ...DETECTED, currency: { column: 'Cur', fixed: 'EUR' } };
    const mapping = mappingFromForm(
      { ...formFromMapping(base), booking_date_column: null, currency_fixed: '' },
      base,
    );
    expect(mapping.booking_date).toBeNull();
    expect(mapping.currency).toEqual({ column: 'Cur' });
  });
});

describe('validateMappingForm', () => {
  it('accepts the detected mapping', () => {
    expect(validateMappingForm(formFromMapping(DETECTED), COLUMNS)).toEqual({});
  });

  it('puts each problem next to its input', () => {
    const state = {
      ...formFromMapping(DETECTED),
      amount_kind: 'debit_credit' as const,
      debit_column: 'Soll',
      credit_column: 'Soll',
      thousands_separator: '.' as const,
      decimal_separator: '.' as const,
      currency_fixed: 'EURO',
      booking_date_format: 'DD.MM',
      reference: 'Ref',
    };
    expect(validateMappingForm(state, COLUMNS)).toEqual({
      credit_column: 'debit and credit must be two different columns',
      thousands_separator: 'the thousands separator must differ from the decimal separator',
      currency_fixed: 'a three-letter ISO 4217 code such as EUR',
      booking_date_format: 'a date format needs a year, a month and a day',
      reference: 'the file has no column "Ref"',
    });
  });

  it('asks for the amount and direction columns of the direction layout', () => {
    const state = { ...formFromMapping({}), amount_kind: 'direction' as const, credit_values: ' , ' };
    expect(validateMappingForm(state, null)).toEqual({
      amount_column: 'choose the amount column',
      direction_column: 'choose the direction column',
      credit_values: 'give at least one credit word',
    });
  });
});

describe('dateFormatProblem', () => {
  it.each(['DD.MM.YYYY', 'MM/DD/YY', 'D MMM YYYY', 'YYYYMMDD', 'ISO', 'DD.MM.YYYY HH:mm'])(
    'accepts %s',
    (format) => {
      expect(dateFormatProblem(format)).toBeNull();
    },
  );

  it('refuses letters that are not tokens (moment-style lower case) and missing parts', () => {
    expect(dateFormatProblem('dd.MM.yyyy')).toMatch(/tokens/);
    expect(dateFormatProblem('MM/YYYY')).toMatch(/year, a month and a day/);
    expect(dateFormatProblem(' ')).toBe('choose the date format');
  });
});

describe('formErrorsFromServer', () => {
  it('maps problem+json field paths back to the inputs, and the rest to the form', () => {
    expect(
      formErrorsFromServer([
        { path: 'mapping.amount.column', message: 'Required' },
        { path: 'mapping.booking_date.format', message: 'unknown date format' },
        { path: 'mapping.amount.debit_values.0', message: 'Too small' },
        { path: 'mapping.reference', message: 'the file has no column "Ref"' },
        { path: 'mapping.unknown_key', message: 'Unrecognized key' },
        { path: 'mapping', message: 'Invalid input' },
      ]),
    ).toEqual({
      amount_column: 'Required',
      booking_date_format: 'unknown date format',
      debit_values: 'Too small',
      reference: 'the file has no column "Ref"',
      _form: 'unknown_key: Unrecognized key; Invalid input',
    });
  });
});

describe('sampleValues', () => {
  const raw = {
    columns: ['A', 'B', '__row_no'],
    rows: [
      ['1', null, '1'],
      ['1', 'x', '2'],
      ['2', ' ', '3'],
    ],
  };

  it('prefers the profile samples of the chosen column', () => {
    expect(sampleValues('A', [{ name: 'A', samples: ['9', '8', '7', '6'] }], raw)).toEqual(['9', '8', '7']);
  });

  it('falls back to distinct non-empty raw cells, and to nothing without a column', () => {
    expect(sampleValues('A', null, raw)).toEqual(['1', '2']);
    expect(sampleValues('B', [], raw)).toEqual(['x']);
    expect(sampleValues(null, null, raw)).toEqual([]);
  });
});

describe('month names', () => {
  it('reads and writes the language of month names, and only writes it when it says something', () => {
    const base = {
      amount: { kind: 'signed', column: 'A' },
      booking_date: { column: 'D', format: 'D MMMM YYYY' },
    };
    const state = formFromMapping(base);
    expect(state.booking_date_month_names).toBe('en');
    expect(usesMonthNames(state.booking_date_format)).toBe(true);
    expect(mappingFromForm(state, base).booking_date).toEqual({ column: 'D', format: 'D MMMM YYYY' });
    expect(mappingFromForm({ ...state, booking_date_month_names: 'de' }, base).booking_date).toEqual({
      column: 'D',
      format: 'D MMMM YYYY',
      month_names: 'de',
    });
    expect(
      formFromMapping({ booking_date: { column: 'D', format: 'MMM D', month_names: 'xx' } })
        .booking_date_month_names,
    ).toBe('en');
    expect(dateFormatProblem('D MMMM YYYY')).toBeNull();
  });
});

import type { Side } from '../core/canonical';
import type { EngineSession } from '../duck/session';
import { parseAmount, type AmountFormat } from '../parse/amount-parse';
import { compileDateFormat, parseDate } from '../parse/date-parse';
import { MONTH_NAME_LANGUAGES, type MonthNameLanguage } from '../parse/month-names';
import type { ColumnProfile } from './profile-table';
import { headerScore, type DetectableField } from './header-synonyms';
import { DEFAULT_CREDIT_VALUES, DEFAULT_DEBIT_VALUES, type ColumnMappingInput } from './mapping.schema';
import { ROW_NO, rawTable } from './raw-table';
import { columnNames } from './read-raw';
import { sqlIdent } from './sql-text';

/** A proposed mapping and how sure detection is of each field (0–1). */
export interface MappingProposal {
  /** Null when no amount column could be found: the file cannot be ingested without a mapping. */
  mapping: ColumnMappingInput | null;
  confidence: Partial<Record<DetectableField | 'number_format', number>>;
  /** Human-readable reasons for low confidence (ambiguous dates, several candidates). */
  notes: string[];
}

/** Rows read to profile values; the first rows in file order, so detection is deterministic. */
const SAMPLE_ROWS = 2000;

/** Number formats tried, most common first (ties go to the earlier one). */
export const CANDIDATE_NUMBER_FORMATS: readonly AmountFormat[] = [
  { decimalSeparator: '.', thousandsSeparator: null },
  { decimalSeparator: '.', thousandsSeparator: ',' },
  { decimalSeparator: ',', thousandsSeparator: null },
  { decimalSeparator: ',', thousandsSeparator: '.' },
  { decimalSeparator: ',', thousandsSeparator: ' ' },
  { decimalSeparator: '.', thousandsSeparator: ' ' },
  { decimalSeparator: '.', thousandsSeparator: "'" },
];

/** Date formats tried; a column gets every format that reads all its values. */
export const CANDIDATE_DATE_FORMATS = [
  'YYYY-MM-DD',
  'ISO',
  'DD.MM.YYYY',
  'D.M.YYYY',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'D/M/YYYY',
  'M/D/YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'DD.MM.YY',
  'DD/MM/YY',
  'MM/DD/YY',
  'DD-MMM-YYYY',
  'DD-MMM-YY',
  'DD MMM YYYY',
  'D MMM YYYY',
  'D. MMM YYYY',
  'D MMMM YYYY',
  'D. MMMM YYYY',
  'MMMM D, YYYY',
  'DD.MM.YYYY HH:mm',
  'DD.MM.YYYY HH:mm:ss',
  'DD/MM/YYYY HH:mm:ss',
  'MM/DD/YYYY HH:mm:ss',
  'YYYY-MM-DD HH:mm:ss',
] as const;

/** A date format that reads a column, with the month-name language it was read in. */
interface DateCandidate {
  format: string;
  monthNames: MonthNameLanguage;
}

interface ColumnFacts {
  name: string;
  values: string[];
  amountFit: number[];
  hasDecimals: boolean;
  /** Every candidate reading the most values (at least MIN_FIT), in candidate order. */
  dateFormats: DateCandidate[];
  isCurrency: boolean;
  isDirection: boolean;
  isUnique: boolean;
  isCodeLike: boolean;
}

const collapse = (format: string): string => format.replace(/DD/g, 'D').replace(/(?<!M)MM(?!M)/g, 'M');

/** Share of a column's values a format must read to be proposed. */
const MIN_FIT = 0.5;

const share = (values: string[], test: (value: string) => boolean): number =>
  values.length === 0 ? 0 : values.filter(test).length / values.length;

const upperSet = (values: readonly string[]) => new Set(values.map((v) => v.toUpperCase()));
const DIRECTION_WORDS = new Set([...upperSet(DEFAULT_DEBIT_VALUES), ...upperSet(DEFAULT_CREDIT_VALUES)]);

function factsOf(name: string, values: string[], isUnique: boolean): ColumnFacts {
  const amountFit = CANDIDATE_NUMBER_FORMATS.map((format) =>
    share(values, (v) => parseAmount(v, format, 4).ok),
  );
  // A few unreadable cells must not hide a column's format: they become row errors later.
  // Month-name formats are tried in every language, English first, when the values hold letters at all.
  const hasLetters = values.some((v) => /[A-Za-z\u00C0-\u00FF]/.test(v));
  const candidates = CANDIDATE_DATE_FORMATS.flatMap((format): DateCandidate[] =>
    !format.includes('MMM')
      ? [{ format, monthNames: 'en' }]
      : hasLetters
        ? MONTH_NAME_LANGUAGES.map((monthNames) => ({ format, monthNames }))
        : [],
  );
  const dateFits = candidates.map((candidate) => {
    const compiled = compileDateFormat(candidate.format);
    return { candidate, fit: share(values, (v) => parseDate(v, compiled, candidate.monthNames).ok) };
  });
  const topDateFit = Math.max(0, ...dateFits.map((d) => d.fit));
  const dateFormats =
    topDateFit < MIN_FIT ? [] : dateFits.filter((d) => d.fit === topDateFit).map((d) => d.candidate);
  return {
    name,
    values,
    amountFit,
    hasDecimals: values.some((v) => /[0-9][.,][0-9]{1,2}(?![0-9])/.test(v)),
    dateFormats,
    isCurrency: values.length > 0 && values.every((v) => /^[A-Za-z]{3}$/.test(v.trim())),
    isDirection: values.length > 0 && values.every((v) => DIRECTION_WORDS.has(v.trim().toUpperCase())),
    isUnique,
    // Ids are codes with a digit somewhere (INV-001, 7f3a...); unique words ("Gutschrift") are not ids.
    isCodeLike:
      values.length > 0 && values.every((v) => /^[A-Za-z0-9_\-./:#]+$/.test(v.trim()) && /[0-9]/.test(v)),
  };
}

async function readFacts(
  session: EngineSession,
  side: Side,
  profile: readonly ColumnProfile[] | undefined,
): Promise<ColumnFacts[]> {
  const table = rawTable(side);
  const names = (await columnNames(session.connection, table)).filter((name) => name !== ROW_NO);
  if (names.length === 0) return [];
  const sample = await session.connection.runAndReadAll(
    `SELECT ${names.map(sqlIdent).join(', ')} FROM ${table} WHERE ${ROW_NO} <= ${SAMPLE_ROWS} ORDER BY ${ROW_NO}`,
  );
  const rows = sample.getRowsJson();
  const valuesOf = (index: number) =>
    rows.map((row) => row[index]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  // Exact distinct counts are costly on wide files: only columns that look nearly unique are checked.
  let total: number;
  let estimates: number[];
  const known =
    profile === undefined ? [] : names.map((name) => profile.find((column) => column.name === name));
  if (known.length > 0 && known.every((column) => column !== undefined)) {
    const counted = await session.connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
    total = Number(counted.getRowsJson()[0]?.[0] ?? 0);
    estimates = known.map((column) => column.distinctCount);
  } else {
    const approx = await session.connection.runAndReadAll(
      `SELECT count(*), ${names.map((n) => `approx_count_distinct(${sqlIdent(n)})`).join(', ')} FROM ${table}`,
    );
    [total = 0, ...estimates] = (approx.getRowsJson()[0] ?? []).map(Number);
  }
  const candidates = names.filter((_, index) => (estimates[index] ?? 0) >= 0.9 * total);
  const unique = new Set<string>();
  if (candidates.length > 0) {
    const exact = await session.connection.runAndReadAll(
      `SELECT ${candidates.map((n) => `count(DISTINCT ${sqlIdent(n)}) = count(*) AND count(${sqlIdent(n)}) = count(*)`).join(', ')} FROM ${table}`,
    );
    (exact.getRowsJson()[0] ?? []).forEach((isUnique, index) => {
      const name = candidates[index];
      if (isUnique === true && name !== undefined) unique.add(name);
    });
  }
  return names.map((name, index) => factsOf(name, valuesOf(index), unique.has(name)));
}

const best = <T>(items: T[], score: (item: T) => number): { item: T; score: number } | null => {
  let top: { item: T; score: number } | null = null;
  for (const item of items) {
    const value = score(item);
    if (value > 0 && (top === null || value > top.score)) top = { item, score: value };
  }
  return top;
};

/**
 * Proposes a column mapping for `raw_<side>` from header names (en, de, fr, es, nl, it, pt) and value
 * profiles: which columns read as amounts and with which separators, which date format reads every value
 * of a column, which column is unique. Detection never changes how a value is read later: the proposal is
 * an ordinary mapping the caller can inspect and correct. Pass the side's `profileTable` result to reuse
 * its distinct counts instead of counting again.
 */
export async function detectMapping(
  session: EngineSession,
  side: Side,
  profile?: readonly ColumnProfile[],
): Promise<MappingProposal> {
  const facts = await readFacts(session, side, profile);
  const used = new Set<string>();
  const confidence: MappingProposal['confidence'] = {};
  const notes: string[] = [];
  const free = () => facts.filter((fact) => !used.has(fact.name));
  const maxFit = (fact: ColumnFacts) => Math.max(...fact.amountFit);
  const take = (field: DetectableField, score: (fact: ColumnFacts) => number): ColumnFacts | null => {
    const found = best(free(), score);
    if (!found) return null;
    used.add(found.item.name);
    confidence[field] = Math.round(Math.min(1, found.score) * 100) / 100;
    return found.item;
  };
  const amountish = (fact: ColumnFacts) =>
    fact.dateFormats.length === 0 &&
    (maxFit(fact) >= 0.9 || (maxFit(fact) >= MIN_FIT && headerScore(fact.name, 'amount') > 0));

  // Dates first: a date column would otherwise also read as an amount (20240131).
  const dateScore = (field: 'booking_date' | 'value_date') => (fact: ColumnFacts) =>
    fact.dateFormats.length > 0
      ? 0.5 +
        0.5 * headerScore(fact.name, field) -
        (field === 'value_date' && headerScore(fact.name, field) === 0 ? 1 : 0)
      : 0;
  const valueDate = take('value_date', dateScore('value_date'));
  const bookingDate = take('booking_date', dateScore('booking_date'));
  const currency = take('currency', (fact) =>
    fact.isCurrency ? 0.5 + 0.5 * headerScore(fact.name, 'currency') : 0,
  );

  const debit = free().find((fact) => headerScore(fact.name, 'debit') > 0 && amountish(fact));
  const credit = free().find(
    (fact) => headerScore(fact.name, 'credit') > 0 && amountish(fact) && fact !== debit,
  );
  let amount: ColumnMappingInput['amount'] | null = null;
  let amountFacts: ColumnFacts[] = [];
  if (debit && credit) {
    used.add(debit.name).add(credit.name);
    amount = { kind: 'debit_credit', debit_column: debit.name, credit_column: credit.name };
    amountFacts = [debit, credit];
    confidence.amount = Math.min(headerScore(debit.name, 'debit'), headerScore(credit.name, 'credit'));
  } else {
    const column = take('amount', (fact) =>
      amountish(fact) && (headerScore(fact.name, 'amount') > 0 || fact.hasDecimals || !fact.isUnique)
        ? 0.5 * headerScore(fact.name, 'amount') + 0.3 * maxFit(fact) + (fact.hasDecimals ? 0.2 : 0)
        : 0,
    );
    if (column) {
      amountFacts = [column];
      const direction = take('direction', (fact) =>
        fact.isDirection ? 0.5 + 0.5 * headerScore(fact.name, 'direction') : 0,
      );
      amount = direction
        ? { kind: 'direction', column: column.name, direction_column: direction.name }
        : { kind: 'signed', column: column.name };
    }
  }

  const format = best([...CANDIDATE_NUMBER_FORMATS], (candidate) => {
    const index = CANDIDATE_NUMBER_FORMATS.indexOf(candidate);
    // Earlier formats win ties: subtract a tiny rank penalty.
    return (
      amountFacts.reduce((sum, fact) => sum + (fact.amountFit[index] ?? 0), 0) /
        Math.max(1, amountFacts.length) -
      index * 1e-6
    );
  });
  if (format) confidence.number_format = Math.round(Math.max(0, format.score) * 100) / 100;

  const dateMapping = (fact: ColumnFacts | null, field: 'booking_date' | 'value_date') => {
    if (!fact) return null;
    const [first, ...others] = fact.dateFormats;
    if (first === undefined) return null;
    // Day-first and month-first both reading every value (all days <= 12) cannot be told apart by values.
    const swapped = collapse(first.format.replace(/D/g, '#').replace(/M/g, 'D').replace(/#/g, 'M'));
    const rival = others.find((other) => collapse(other.format) === swapped);
    if (rival !== undefined) {
      notes.push(
        `${field}: every value of "${fact.name}" fits both ${first.format} and ${rival.format}; check the date format`,
      );
      confidence[field] = Math.min(confidence[field] ?? 1, 0.5);
    }
    if (!first.format.includes('MMM')) return { column: fact.name, format: first.format };
    // Month names are read in one language, chosen here and written into the mapping, never per value.
    const read = (candidate: DateCandidate) =>
      fact.values.map((v) => JSON.stringify(parseDate(v, candidate.format, candidate.monthNames)));
    const chosen = read(first);
    const disagreeing = others.filter(
      (other) => other.format === first.format && read(other).some((value, i) => value !== chosen[i]),
    );
    if (first.monthNames !== 'en' || disagreeing.length > 0) {
      notes.push(
        `${field}: the month names of "${fact.name}" read as ${first.monthNames}` +
          (disagreeing.length > 0
            ? `, but also as ${disagreeing.map((d) => d.monthNames).join(', ')} with other dates; check month_names`
            : ''),
      );
    }
    if (disagreeing.length > 0) confidence[field] = Math.min(confidence[field] ?? 1, 0.5);
    return { column: fact.name, format: first.format, month_names: first.monthNames };
  };

  const textField = (field: 'reference' | 'counterparty' | 'description' | 'account') =>
    take(field, (fact) => headerScore(fact.name, field))?.name ?? null;
  const reference = textField('reference');
  const counterparty = textField('counterparty');
  const description = textField('description');
  const account = textField('account');
  // Without a telling header, only a unique column of code-like values (no spaces) is taken as the id.
  const externalId = take('external_id', (fact) =>
    fact.isUnique
      ? headerScore(fact.name, 'external_id') > 0
        ? 0.4 + 0.6 * headerScore(fact.name, 'external_id')
        : fact.isCodeLike
          ? 0.4
          : 0
      : 0,
  );

  if (amount === null) {
    notes.push('no column reads as an amount; map the amount column explicitly');
    return { mapping: null, confidence, notes };
  }
  const chosen = format?.item ?? { decimalSeparator: '.', thousandsSeparator: null };
  const mapping: ColumnMappingInput = {
    external_id: externalId?.name ?? null,
    amount,
    number_format: {
      decimal_separator: chosen.decimalSeparator,
      thousands_separator: chosen.thousandsSeparator,
    },
    currency: currency ? { column: currency.name } : {},
    booking_date: dateMapping(bookingDate, 'booking_date'),
    value_date: dateMapping(valueDate, 'value_date'),
    reference,
    counterparty,
    description,
    account,
  };
  return { mapping, confidence, notes };
}

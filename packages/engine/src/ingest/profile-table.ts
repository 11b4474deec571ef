import type { Side } from '../core/canonical';
import { recordsTable } from '../core/canonical';
import type { EngineSession } from '../duck/session';
import { formatMinor, minor } from '../core/money';
import { parseAmount } from '../parse/amount-parse';
import { compileDateFormat, parseDate } from '../parse/date-parse';
import { addAmountSql } from './amount-sql';
import { addDateSql } from './date-sql';
import { CANDIDATE_DATE_FORMATS, CANDIDATE_NUMBER_FORMATS } from './detect-mapping';
import { LayeredSelect } from './layered-select';
import { ROW_NO, rawTable } from './raw-table';
import { columnNames } from './read-raw';
import { sqlIdent, trimmedSql } from './sql-text';

/** What a column holds, inferred from its values. */
export type InferredType = 'empty' | 'date' | 'integer' | 'amount' | 'currency' | 'text';

/** Profile of one column. `min`/`max` compare parsed values for dates and amounts, text otherwise. */
export interface ColumnProfile {
  name: string;
  inferredType: InferredType;
  /** Date format, or number format as `decimal|thousands` (e.g. `,|.`), when the type has one. */
  format: string | null;
  /** Share of rows where the cell is empty (0–1). */
  nullShare: number;
  /** Distinct non-empty values, estimated (HyperLogLog, within a few per cent) to keep profiling fast. */
  distinctCount: number;
  min: string | null;
  max: string | null;
  /** Up to five distinct values in file order. */
  samples: string[];
}

const PROFILE_SAMPLE = 2000;
const AMOUNT_PROFILE_SCALE = 4;

/** Share of values a type must read to be inferred; the rest are shown as unreadable by min/max. */
const TYPE_FIT = 0.8;

const fits = (values: string[], test: (value: string) => boolean): boolean =>
  values.filter(test).length >= TYPE_FIT * values.length;

/**
 * The parser reads any three letters as a currency mark, so identifiers such as `inv1` or `INV-2` parse
 * as amounts. For the profile a value with letters counts as an amount only when they are an upper-case
 * code set apart from the number by a space, or the number has decimals (`EUR 12.50`, `12,50EUR`).
 */
function looksLikeAmount(value: string): boolean {
  const letters = value.match(/[A-Za-z]+/g);
  if (letters === null) return true;
  if (letters.length !== 1 || !/^[A-Z]{3}$/.test(letters.join(''))) return false;
  return /[A-Z]{3}\s|\s[A-Z]{3}/.test(value) || /[0-9][.,][0-9]/.test(value);
}

function infer(values: string[]): { type: InferredType; format: string | null; formatIndex: number } {
  if (values.length === 0) return { type: 'empty', format: null, formatIndex: -1 };
  const date = CANDIDATE_DATE_FORMATS.find((format) => {
    const compiled = compileDateFormat(format);
    return fits(values, (v) => parseDate(v, compiled).ok);
  });
  if (date !== undefined) return { type: 'date', format: date, formatIndex: -1 };
  if (fits(values, (v) => /^[ ]*[+-]?[0-9]+[ ]*$/.test(v)))
    return { type: 'integer', format: null, formatIndex: 0 };
  const index = CANDIDATE_NUMBER_FORMATS.findIndex((format) =>
    fits(values, (v) => looksLikeAmount(v) && parseAmount(v, format, AMOUNT_PROFILE_SCALE).ok),
  );
  const numberFormat = CANDIDATE_NUMBER_FORMATS[index];
  if (numberFormat) {
    return {
      type: 'amount',
      format: `${numberFormat.decimalSeparator}|${numberFormat.thousandsSeparator ?? ''}`,
      formatIndex: index,
    };
  }
  if (fits(values, (v) => /^[A-Z]{3}$/.test(v.trim())))
    return { type: 'currency', format: null, formatIndex: -1 };
  return { type: 'text', format: null, formatIndex: -1 };
}

/**
 * Profiles every column of `raw_<side>` (or of the canonical table when the side came from a bank
 * format): inferred type and format, share of empty cells, distinct count, min/max, five samples.
 */
export async function profileTable(
  session: EngineSession,
  side: Side,
  table: 'raw' | 'records' = 'raw',
): Promise<ColumnProfile[]> {
  const { connection } = session;
  const name = table === 'raw' ? rawTable(side) : recordsTable(side);
  const columns = (await columnNames(connection, name)).filter((column) => column !== ROW_NO);
  if (columns.length === 0) return [];
  const text = (column: string) =>
    table === 'raw' ? trimmedSql(sqlIdent(column)) : `nullif(trim(CAST(${sqlIdent(column)} AS VARCHAR)), '')`;
  const sample = await connection.runAndReadAll(
    `SELECT ${columns.map(text).join(', ')} FROM ${name} WHERE ${table === 'raw' ? ROW_NO : 'row_no'} <= ${PROFILE_SAMPLE} ORDER BY ${table === 'raw' ? ROW_NO : 'row_no'}`,
  );
  const rows = sample.getRowsJson();
  const valuesOf = (index: number) =>
    rows.map((row) => row[index]).filter((v): v is string => typeof v === 'string');
  const inferred = columns.map((_, index) => infer(valuesOf(index)));

  const select = new LayeredSelect(name);
  const aggregates: string[] = [];
  columns.forEach((column, index) => {
    const kind = inferred[index];
    // Empty, not blank: trimming every cell of every column doubled the profile's cost.
    const cell = select.add(
      0,
      `p${index}_t`,
      table === 'raw' ? `nullif(${sqlIdent(column)}, '')` : text(column),
    );
    let value = cell;
    const format = CANDIDATE_NUMBER_FORMATS[kind?.formatIndex ?? -1];
    // DuckDB's own casts read the ISO and plain-decimal shapes much faster than the general parser;
    // for min/max of a profile they give the same answer on every value the parser accepts.
    if (kind?.type === 'date' && (kind.format === 'YYYY-MM-DD' || kind.format === 'ISO')) {
      value = `TRY_CAST(left(${cell}, 10) AS DATE)`;
    } else if (kind?.type === 'date' && kind.format !== null) {
      value = addDateSql(select, `p${index}`, cell, kind.format, false, 1).value;
    } else if ((kind?.type === 'amount' || kind?.type === 'integer') && kind.formatIndex === 0) {
      // DECIMAL(18) stays in 64-bit integers; DECIMAL(38) arithmetic measured 100x slower.
      value = `TRY_CAST(${cell} AS DECIMAL(18, ${AMOUNT_PROFILE_SCALE}))`;
    } else if ((kind?.type === 'amount' || kind?.type === 'integer') && format) {
      value = addAmountSql(select, `p${index}`, cell, format, String(AMOUNT_PROFILE_SCALE), 1).value;
    }
    aggregates.push(
      `count(*) - count(${cell})`,
      `approx_count_distinct(${cell})`,
      `CAST(min(${value}) AS VARCHAR)`,
      `CAST(max(${value}) AS VARCHAR)`,
      'count(*)',
    );
  });
  const reader = await connection.runAndReadAll(select.build(aggregates));
  const result = reader.getRowsJson()[0] ?? [];
  return columns.map((column, index) => {
    const at = (offset: number) => result[index * 5 + offset] ?? null;
    const kind = inferred[index] ?? { type: 'text', format: null, formatIndex: -1 };
    const total = Number(at(4) ?? 0);
    const numeric = kind.type === 'amount' || kind.type === 'integer';
    const asScaled = (value: unknown): string | null => {
      if (typeof value !== 'string') return null;
      if (!numeric) return value;
      // The general parser gives minor units at scale 4, the DECIMAL fast path a decimal text.
      const decimal = value.includes('.') ? value : formatMinor(minor(BigInt(value)), AMOUNT_PROFILE_SCALE);
      return decimal.replace(/\.?0+$/, '');
    };
    return {
      name: column,
      inferredType: kind.type,
      format: kind.format,
      nullShare: total === 0 ? 0 : Number(at(0)) / total,
      distinctCount: Number(at(1)),
      min: asScaled(at(2)),
      max: asScaled(at(3)),
      samples: [...new Set(valuesOf(index))].slice(0, 5),
    };
  });
}

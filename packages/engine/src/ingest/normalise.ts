import type { DuckDBConnection } from '@duckdb/node-api';
import { recordsTable, type RowErrorCode, type Side } from '../core/canonical';
import { createCanonicalTable } from '../duck/session';
import type { AmountFormat } from '../parse/amount-parse';
import { DEFAULT_SCALE, nonDefaultScales } from '../parse/currency-scale';
import { addAmountSql } from './amount-sql';
import { addDateSql } from './date-sql';
import { IngestError } from './ingest-error';
import { LayeredSelect } from './layered-select';
import { mappedColumns, type ColumnMapping } from './mapping.schema';
import { ROW_NO, errorsTable, rawTable } from './raw-table';
import { sqlIdent, sqlString, trimmedSql } from './sql-text';

/** The message stored with each row-error code (the raw value is stored beside it). */
export const ROW_ERROR_MESSAGES: Readonly<Record<RowErrorCode, string>> = {
  AMOUNT_INVALID: 'cannot be read as an amount with the mapping’s number format',
  AMOUNT_MISSING: 'the amount is empty',
  AMOUNT_OUT_OF_RANGE: 'the amount has more than 38 digits',
  AMOUNT_PRECISION: 'more decimals than the currency’s scale; it would have to be rounded',
  DATE_INVALID: 'cannot be read as a date with the mapping’s date format',
  DATE_MISSING: 'the date is empty',
  CURRENCY_INVALID: 'not a three-letter ISO 4217 currency code',
  DEBIT_CREDIT_CONFLICT: 'both the debit and the credit column hold an amount',
  DIRECTION_INVALID:
    'the direction is neither one of the mapping’s debit values nor one of its credit values',
  RECORD_MALFORMED: 'the line does not have the same number of fields as the header',
};

/** Where one kind of check lands in the errors table. */
interface Check {
  code: string;
  column: string;
  /** SQL for the raw cell, with the raw table aliased `r`. */
  raw: string;
}

/** Creates the empty errors table of a side. */
export async function createErrorsTable(connection: DuckDBConnection, side: Side): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TABLE ${errorsTable(side)} (row_no BIGINT, "column" VARCHAR, raw VARCHAR, code VARCHAR, message VARCHAR)`,
  );
}

const scaleExpression = (mapping: ColumnMapping, currency: string): string => {
  if (mapping.scale !== null) return String(mapping.scale);
  const cases = nonDefaultScales()
    .map(([code, scale]) => `WHEN ${sqlString(code)} THEN ${scale}`)
    .join(' ');
  return `CASE ${currency} ${cases} ELSE ${DEFAULT_SCALE} END`;
};

const text = (column: string | null): string =>
  column === null ? 'NULL' : trimmedSql(`r.${sqlIdent(column)}`);

/**
 * Reads `raw_<side>` through `mapping` into `records_<side>` (valid rows) and `errors_<side>` (one row per
 * unreadable value; a row with any error is not loaded). Everything runs as DuckDB SQL.
 * Throws `IngestError('MAPPING_COLUMN_NOT_FOUND')` when the mapping names a column the file lacks.
 */
export async function normaliseRaw(
  connection: DuckDBConnection,
  side: Side,
  mapping: ColumnMapping,
  rawColumns: readonly string[],
): Promise<void> {
  const missing = mappedColumns(mapping).filter((name) => !rawColumns.includes(name));
  if (missing.length > 0) {
    throw new IngestError(
      'MAPPING_COLUMN_NOT_FOUND',
      `the file has no column ${missing.map((n) => `"${n}"`).join(', ')}`,
      {
        missing,
        available: [...rawColumns],
      },
    );
  }
  const select = new LayeredSelect(rawTable(side));
  const checks: Check[] = [];
  const format: AmountFormat = {
    decimalSeparator: mapping.number_format.decimal_separator,
    thousandsSeparator: mapping.number_format.thousands_separator,
  };

  const currencyColumn = mapping.currency.column;
  const cellCurrency =
    currencyColumn === undefined ? 'NULL' : `upper(${trimmedSql(sqlIdent(currencyColumn))})`;
  const fixed = mapping.currency.fixed === undefined ? 'NULL' : sqlString(mapping.currency.fixed);
  const currency = select.add(0, 'n_cur', `coalesce(${cellCurrency}, ${fixed})`);
  if (currencyColumn !== undefined) {
    const code = select.add(
      1,
      'n_cur_code',
      `CASE WHEN NOT regexp_full_match(${currency}, '^[A-Z]{3}$') THEN 'CURRENCY_INVALID' END`,
    );
    checks.push({ code, column: sqlString(currencyColumn), raw: `r.${sqlIdent(currencyColumn)}` });
  }
  const scale = select.add(1, 'n_scale', scaleExpression(mapping, currency));

  let amount: string;
  const { amount: layout } = mapping;
  if (layout.kind === 'signed') {
    const a = addAmountSql(select, 'n_a', sqlIdent(layout.column), format, scale, 1);
    checks.push({ code: a.code, column: sqlString(layout.column), raw: `r.${sqlIdent(layout.column)}` });
    amount = a.value;
  } else if (layout.kind === 'debit_credit') {
    const debit = addAmountSql(select, 'n_d', sqlIdent(layout.debit_column), format, scale, 1);
    const credit = addAmountSql(select, 'n_c', sqlIdent(layout.credit_column), format, scale, 1);
    // An empty side is normal (that is the point of two columns); only a filled, unreadable one is an error.
    checks.push({
      code: `CASE WHEN NOT ${debit.empty} THEN ${debit.code} END`,
      column: sqlString(layout.debit_column),
      raw: `r.${sqlIdent(layout.debit_column)}`,
    });
    checks.push({
      code: `CASE WHEN NOT ${credit.empty} THEN ${credit.code} END`,
      column: sqlString(layout.credit_column),
      raw: `r.${sqlIdent(layout.credit_column)}`,
    });
    const both = sqlString(`${layout.debit_column} / ${layout.credit_column}`);
    const dc = select.add(
      8,
      'n_dc_code',
      `CASE WHEN ${debit.empty} AND ${credit.empty} THEN 'AMOUNT_MISSING'
        WHEN ${debit.value} IS NOT NULL AND ${credit.value} IS NOT NULL AND ${debit.value} <> 0 AND ${credit.value} <> 0 THEN 'DEBIT_CREDIT_CONFLICT' END`,
    );
    checks.push({
      code: dc,
      column: both,
      raw: `nullif(concat_ws(' / ', r.${sqlIdent(layout.debit_column)}, r.${sqlIdent(layout.credit_column)}), '')`,
    });
    amount = select.add(8, 'n_amt', `abs(coalesce(${credit.value}, 0)) - abs(coalesce(${debit.value}, 0))`);
  } else {
    const a = addAmountSql(select, 'n_a', sqlIdent(layout.column), format, scale, 1);
    checks.push({ code: a.code, column: sqlString(layout.column), raw: `r.${sqlIdent(layout.column)}` });
    const list = (values: string[]) => `[${values.map((v) => sqlString(v.toUpperCase())).join(', ')}]`;
    const dir = select.add(0, 'n_dir', `upper(${trimmedSql(sqlIdent(layout.direction_column))})`);
    const isDebit = `list_contains(${list(layout.debit_values)}, ${dir})`;
    const isCredit = `list_contains(${list(layout.credit_values)}, ${dir})`;
    const code = select.add(
      1,
      'n_dir_code',
      `CASE WHEN ${dir} IS NULL OR NOT (${isDebit} OR ${isCredit}) THEN 'DIRECTION_INVALID' END`,
    );
    checks.push({
      code,
      column: sqlString(layout.direction_column),
      raw: `r.${sqlIdent(layout.direction_column)}`,
    });
    amount = select.add(8, 'n_amt', `CASE WHEN ${isDebit} THEN -abs(${a.value}) ELSE abs(${a.value}) END`);
  }
  const signed = mapping.invert_sign ? `-(${amount})` : amount;

  const dates: Record<'booking' | 'value', string> = { booking: 'NULL', value: 'NULL' };
  for (const [key, field] of [
    ['booking', mapping.booking_date],
    ['value', mapping.value_date],
  ] as const) {
    if (field === null) continue;
    const date = addDateSql(
      select,
      `n_${key}`,
      sqlIdent(field.column),
      field.format,
      field.required,
      1,
      field.month_names,
    );
    checks.push({ code: date.code, column: sqlString(field.column), raw: `r.${sqlIdent(field.column)}` });
    dates[key] = date.value;
  }

  const used = new Set(mappedColumns(mapping));
  const extras = rawColumns.filter((name) => !used.has(name));
  const extra =
    extras.length === 0
      ? `'{}'::JSON`
      : `json_object(${extras.map((n) => `${sqlString(n)}, r.${sqlIdent(n)}`).join(', ')})`;

  // Raw values are fetched back from the raw table for failing rows only: carrying them through the
  // stage for every row cost as much as parsing them.
  const errorColumns = checks.map((check, index) => `${check.code} AS e${index}_code`);
  const ok = checks.length === 0 ? 'TRUE' : checks.map((_, index) => `e${index}_code IS NULL`).join(' AND ');
  const stage = select.build([
    `${ROW_NO} AS row_no`,
    `${signed} AS amount_minor`,
    `${currency} AS currency`,
    `${scale} AS scale`,
    `${dates.booking} AS booking_date`,
    `${dates.value} AS value_date`,
    ...errorColumns,
    `(${ok}) AS is_ok`,
  ]);
  const stageTable = `stage_${side}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${stageTable} AS ${stage}`);
  try {
    // Text columns are read from the raw table beside the stage (POSITIONAL JOIN: both are in file order)
    // instead of being copied through the stage: one materialisation of the strings instead of two.
    const misaligned = await connection.runAndReadAll(
      `SELECT count(*) FROM ${stageTable} s POSITIONAL JOIN ${rawTable(side)} r WHERE s.row_no IS DISTINCT FROM r.${ROW_NO}`,
    );
    if (Number(misaligned.getRowsJson()[0]?.[0] ?? 0) > 0) {
      throw new Error(`stage and raw rows of ${side} are not in the same order`);
    }
    await createCanonicalTable(connection, side);
    // No ORDER BY: DuckDB keeps insertion order, so records stay in file order without sorting 1M rows.
    await connection.run(
      `INSERT INTO ${recordsTable(side)} SELECT s.row_no, ${text(mapping.external_id)}, s.amount_minor, s.currency, s.scale,
        s.booking_date, s.value_date, ${text(mapping.reference)}, ${text(mapping.counterparty)}, ${text(mapping.description)},
        ${text(mapping.account)}, ${extra} FROM ${stageTable} s POSITIONAL JOIN ${rawTable(side)} r WHERE s.is_ok`,
    );
    if (checks.length > 0) {
      const messages = Object.entries(ROW_ERROR_MESSAGES)
        .map(([code, message]) => `WHEN ${sqlString(code)} THEN ${sqlString(message)}`)
        .join(' ');
      const parts = checks.map(
        (check, index) =>
          `SELECT s.row_no, ${check.column} AS "column", ${check.raw} AS raw, s.e${index}_code AS code, ${index} AS k
            FROM ${stageTable} s JOIN ${rawTable(side)} r ON r.${ROW_NO} = s.row_no WHERE NOT s.is_ok AND s.e${index}_code IS NOT NULL`,
      );
      await connection.run(
        `INSERT INTO ${errorsTable(side)} SELECT row_no, "column", raw, code, CASE code ${messages} END
          FROM (${parts.join(' UNION ALL ')}) ORDER BY row_no, k`,
      );
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${stageTable}`);
  }
}

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
  /** SQL for the raw cell (a column of the raw table). */
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

const text = (column: string | null): string => (column === null ? 'NULL' : trimmedSql(sqlIdent(column)));

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
    checks.push({ code, column: sqlString(currencyColumn), raw: sqlIdent(currencyColumn) });
  }
  const scale = select.add(1, 'n_scale', scaleExpression(mapping, currency));

  let amount: string;
  const { amount: layout } = mapping;
  if (layout.kind === 'signed') {
    const a = addAmountSql(select, 'n_a', sqlIdent(layout.column), format, scale, 1);
    checks.push({ code: a.code, column: sqlString(layout.column), raw: sqlIdent(layout.column) });
    amount = a.value;
  } else if (layout.kind === 'debit_credit') {
    const debit = addAmountSql(select, 'n_d', sqlIdent(layout.debit_column), format, scale, 1);
    const credit = addAmountSql(select, 'n_c', sqlIdent(layout.credit_column), format, scale, 1);
    // An empty side is normal (that is the point of two columns); only a filled, unreadable one is an error.
    checks.push({
      code: `CASE WHEN NOT ${debit.empty} THEN ${debit.code} END`,
      column: sqlString(layout.debit_column),
      raw: sqlIdent(layout.debit_column),
    });
    checks.push({
      code: `CASE WHEN NOT ${credit.empty} THEN ${credit.code} END`,
      column: sqlString(layout.credit_column),
      raw: sqlIdent(layout.credit_column),
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
      raw: `nullif(concat_ws(' / ', ${sqlIdent(layout.debit_column)}, ${sqlIdent(layout.credit_column)}), '')`,
    });
    amount = select.add(8, 'n_amt', `abs(coalesce(${credit.value}, 0)) - abs(coalesce(${debit.value}, 0))`);
  } else {
    const a = addAmountSql(select, 'n_a', sqlIdent(layout.column), format, scale, 1);
    checks.push({ code: a.code, column: sqlString(layout.column), raw: sqlIdent(layout.column) });
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
      raw: sqlIdent(layout.direction_column),
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
    checks.push({ code: date.code, column: sqlString(field.column), raw: sqlIdent(field.column) });
    dates[key] = date.value;
  }

  const used = new Set(mappedColumns(mapping));
  const extras = rawColumns.filter((name) => !used.has(name));
  const extra =
    extras.length === 0
      ? `'{}'::JSON`
      : `json_object(${extras.map((n) => `${sqlString(n)}, ${sqlIdent(n)}`).join(', ')})`;

  const ok = checks.length === 0 ? 'TRUE' : checks.map((check) => `${check.code} IS NULL`).join(' AND ');
  // One pass over the raw rows parses, checks and inserts the valid ones, in file order (DuckDB keeps
  // insertion order; no ORDER BY over 1M rows). The single-element unnest keeps the optimiser from pushing
  // `is_ok` down as a filter below the parsing layers, where every value would be parsed twice (once for
  // the filter, once for the columns). Before, a stage table of the parsed values was joined back to the
  // raw text: three scans and a materialised stage instead of one pass.
  const records = select.build([
    `${ROW_NO} AS row_no`,
    `${text(mapping.external_id)} AS external_id`,
    `${signed} AS amount_minor`,
    `${currency} AS currency`,
    `${scale} AS scale`,
    `${dates.booking} AS booking_date`,
    `${dates.value} AS value_date`,
    `${text(mapping.reference)} AS reference`,
    `${text(mapping.counterparty)} AS counterparty`,
    `${text(mapping.description)} AS description`,
    `${text(mapping.account)} AS account`,
    `${extra} AS extra`,
    `unnest([${ok}]) AS is_ok`,
  ]);
  await createCanonicalTable(connection, side);
  const inserted = await connection.run(
    `INSERT INTO ${recordsTable(side)} SELECT * EXCLUDE (is_ok) FROM (${records}) WHERE is_ok`,
  );
  const total = await connection.runAndReadAll(`SELECT count(*) FROM ${rawTable(side)}`);
  if (checks.length === 0 || inserted.rowsChanged === Number(total.getRowsJson()[0]?.[0] ?? 0)) return;

  // Some rows failed: parse again to find which checks failed on which rows, with their raw values. This
  // second pass runs only for files with row errors.
  const failed = select.build([
    `${ROW_NO} AS row_no`,
    ...checks.flatMap((check, index) => [`${check.code} AS e${index}_code`, `${check.raw} AS e${index}_raw`]),
    `unnest([${ok}]) AS is_ok`,
  ]);
  const stageTable = `stage_${side}`;
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${stageTable} AS SELECT * FROM (${failed}) WHERE NOT is_ok`,
  );
  try {
    const messages = Object.entries(ROW_ERROR_MESSAGES)
      .map(([code, message]) => `WHEN ${sqlString(code)} THEN ${sqlString(message)}`)
      .join(' ');
    const parts = checks.map(
      (check, index) =>
        `SELECT row_no, ${check.column} AS "column", e${index}_raw AS raw, e${index}_code AS code, ${index} AS k
          FROM ${stageTable} WHERE e${index}_code IS NOT NULL`,
    );
    await connection.run(
      `INSERT INTO ${errorsTable(side)} SELECT row_no, "column", raw, code, CASE code ${messages} END
        FROM (${parts.join(' UNION ALL ')}) ORDER BY row_no, k`,
    );
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${stageTable}`);
  }
}

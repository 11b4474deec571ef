import type { DuckDBConnection } from '@duckdb/node-api';
import type { Side } from '../core/canonical';
import { IngestError } from './ingest-error';
import { rawDataTable } from './raw-table';
import { finishRaw, type RawLoad } from './read-raw';
import { sqlIdent, sqlString } from './sql-text';

/** Column types DuckDB gives a JSON field that holds numbers (JSON: numbers mixed with other values). */
const NUMERIC_FIELD = /^(DOUBLE|FLOAT|BIGINT|UBIGINT|HUGEINT|UHUGEINT|INTEGER|UINTEGER|DECIMAL\(.*\)|JSON)$/;
/** `json_type` of a number. */
const NUMBER_TYPES = "('DOUBLE', 'UBIGINT', 'BIGINT', 'HUGEINT')";
const JSON_NUMBER = '(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)';
const SPACE = '[ \\t\\n\\r]*';
/** 16 digits in a row (a dot may sit among them) or a digit before an exponent mark. */
const LONG_OR_EXPONENT = '[0-9][0-9.]{15}|[0-9][eE]';

/** What a number cell holds when its text cannot be found exactly; the amount parser refuses it. */
export const INEXACT_JSON_NUMBER = 'inexact JSON number';

const jsonPath = (name: string): string => `$."${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * An RE2 pattern for the number written as the value of `name` in an object's text: the key as JSON
 * writes it, after `{` or `,` so it cannot be text inside a string (a quote there would be escaped).
 */
function numberPattern(name: string): string {
  const key = JSON.stringify(name)
    .slice(1, -1)
    .replace(/[!-/:-@[-`{-~]/g, '\\$&');
  return `[{,]${SPACE}"${key}"${SPACE}:${SPACE}${JSON_NUMBER}${SPACE}[,}\\]]`;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

async function describe(connection: DuckDBConnection, source: string): Promise<Array<[string, string]>> {
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    return reader
      .getRowObjectsJson()
      .map((row): [string, string] => [text(row.column_name), text(row.column_type)]);
  } catch (error) {
    throw new IngestError('FILE_UNREADABLE', `not valid JSON records: ${String(error)}`);
  }
}

/**
 * Loads a JSON array of objects or newline-delimited JSON into `raw_<side>` as text; nested values are
 * kept as JSON text. DuckDB parses JSON numbers into doubles, which keep 15–17 significant digits, so a
 * field holding numbers is read from the object's own text instead: `12345678901234567.89` stays exactly
 * that. When the text of a number cannot be told apart (the same key nested deeper with another spelling
 * of the same double, or a key written with escapes), the cell says `inexact JSON number (<double>)`,
 * which no amount format reads: a row error, never a rounded amount.
 */
export async function loadJson(
  connection: DuckDBConnection,
  side: Side,
  path: string,
  format: 'array' | 'newline_delimited',
): Promise<RawLoad> {
  const options = `${sqlString(path)}, format = ${sqlString(format)}`;
  const fields = await describe(connection, `read_json(${options}, sample_size = -1)`);
  const load = rawDataTable(side);
  const numeric = fields.filter(([, type]) => NUMERIC_FIELD.test(type)).map(([name]) => name);
  let sql: string;
  if (numeric.length === 0) {
    const columns = fields.map(([name]) => `${sqlString(name)}: 'VARCHAR'`).join(', ');
    sql = `SELECT * FROM read_json(${options}, columns = {${columns}})`;
  } else {
    // One parse per object for every field's text. A number of at most 15 significant digits and no
    // exponent prints back exactly from its double, so only objects holding a longer digit run or an
    // exponent (anywhere, strings too) look for the numbers' own text: typical files skip that cost.
    const paths = `[${fields.map(([name]) => sqlString(jsonPath(name))).join(', ')}]`;
    const cells = fields.map(([name], index) => {
      const value = `__v[${index + 1}]`;
      if (!numeric.includes(name)) return `${value} AS ${sqlIdent(name)}`;
      const tokens = `list_distinct(list_filter(regexp_extract_all(__j, ${sqlString(numberPattern(name))}, 1), t -> TRY_CAST(t AS DOUBLE) = TRY_CAST(${value} AS DOUBLE)))`;
      return `CASE WHEN NOT __long OR json_type(__j, ${sqlString(jsonPath(name))}) NOT IN ${NUMBER_TYPES} THEN ${value}
        WHEN len(${tokens}) = 1 THEN ${tokens}[1]
        ELSE ${sqlString(`${INEXACT_JSON_NUMBER} (`)} || ${value} || ')' END AS ${sqlIdent(name)}`;
    });
    sql = `SELECT ${cells.join(', ')} FROM (
      SELECT json::VARCHAR AS __j, json_extract_string(json, ${paths}) AS __v,
        regexp_matches(json::VARCHAR, ${sqlString(LONG_OR_EXPONENT)}) AS __long
      FROM read_json_objects(${options}))`;
  }
  try {
    await connection.run(`CREATE OR REPLACE TABLE ${load} AS ${sql}`);
  } catch (error) {
    throw new IngestError('FILE_UNREADABLE', `not valid JSON records: ${String(error)}`);
  }
  return finishRaw(connection, side, load);
}

import { extraColumnOf, type DateField, type Normaliser, type TextFieldRef } from '../rules/index';

/** Any value read back from DuckDB as display text (bigints exact, lists as JSON). */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return value.toString();
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Quotes a value as a SQL string literal. */
export const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** Formats a finite number as a SQL numeric literal (no exponent surprises). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return Number.isInteger(value) ? String(value) : value.toFixed(12);
}

/** SQL expression reading a text or date field of the record aliased `alias`. */
export function fieldSql(alias: string, field: TextFieldRef | DateField): string {
  const extra = extraColumnOf(field as TextFieldRef);
  if (extra === null) return `${alias}.${field}`;
  return `json_extract_string(${alias}.extra, ${sqlString(`$."${extra.replaceAll('"', '\\"')}"`)})`;
}

/**
 * Applies normalisers in order. Blank values must never match each other: callers add `notBlankSql`
 * (a filter, not part of the hash key, which keeps joins fast) or wrap the result in `nullif(…, '')`.
 */
export function normaliseSql(expression: string, normalisers: readonly Normaliser[]): string {
  if (normalisers.length === 0) return expression;
  let sql = expression;
  for (const normaliser of normalisers) {
    switch (normaliser) {
      case 'trim':
        sql = `trim(${sql})`;
        break;
      case 'case':
        sql = `lower(${sql})`;
        break;
      case 'strip_non_alphanumeric':
        // Runs, not single characters: the same result with fewer replacements (measured ~15 % faster).
        sql = `regexp_replace(${sql}, '[^\\p{L}\\p{N}]+', '', 'g')`;
        break;
      case 'remove_leading_zeros':
        sql = `ltrim(${sql}, '0')`;
        break;
    }
  }
  return sql;
}

/** Condition that a (normalised) text value is present: blanks never match. */
export const notBlankSql = (expression: string): string => `${expression} <> ''`;

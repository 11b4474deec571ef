/** Quotes a value as a SQL string literal. */
export const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** Quotes a name as a SQL identifier (column names come from user files). */
export const sqlIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * TRUE when a text cell is NULL, empty or only spaces/tabs/no-break spaces. Checks the first character
 * before trimming: trimming every cell measured ~0.3 s per 1M rows.
 */
export const blankSql = (column: string): string =>
  `(CASE WHEN ${column} IS NULL OR ${column} = '' THEN TRUE WHEN ascii(${column}) IN (32, 9, 160, 8239) THEN trim(${column}, ' 	  ') = '' ELSE FALSE END)`;

/**
 * The cell with surrounding spaces removed, NULL when nothing is left. Trims only cells that start or end
 * with a space: trimming every cell measured about three times the cost of this check.
 */
export const trimmedSql = (cell: string): string =>
  `(CASE WHEN ${cell} = '' THEN NULL WHEN starts_with(${cell}, ' ') OR ends_with(${cell}, ' ') THEN nullif(trim(${cell}), '') ELSE ${cell} END)`;

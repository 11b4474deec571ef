/** Quotes a value as a SQL string literal. */
export const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** Quotes a name as a SQL identifier (column names come from user files). */
export const sqlIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A scalar read back from DuckDB or JSON as text; objects become JSON rather than `[object Object]`. */
export function textOf(value: unknown, fallback = ''): string {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return value.toString();
  return JSON.stringify(value);
}

/** Like {@link textOf} but keeps null (and undefined) as null. */
export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : textOf(value);
}

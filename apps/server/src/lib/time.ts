/** ISO 8601 in UTC for the wire. */
export function iso(value: Date): string {
  return value.toISOString();
}

/** ISO 8601 or null. */
export function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

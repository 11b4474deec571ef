/** A copy without the keys whose value is undefined (PATCH bodies: absent means "leave as is"). */
export function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const entries = Object.entries(value as Record<string, unknown>).filter(([, child]) => child !== undefined);
  return Object.fromEntries(entries) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

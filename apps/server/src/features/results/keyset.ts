import { sql, type RawBuilder } from 'kysely';

// Keyset paging shared by the result pages (matches, exceptions): the cursor, the sort spec and the
// "strictly after the cursor" predicates an index can start at.

/** Where the next keyset page starts: the last row's sort key (as Postgres text; null when sorting by id) and id. */
export interface KeysetAfter {
  key: string | null;
  id: string;
}

/** `%text%` for ILIKE with the user's `%`, `_` and `\` taken literally (backslash is Postgres' LIKE escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type Direction = 'asc' | 'desc';

/** A keyset page's sort: its key expression, direction, tie order and the key's type for the cursor. */
export interface SortSpec {
  key: RawBuilder<unknown>;
  direction: Direction;
  /**
   * Order of the id among rows tied on the key. Score and amount-difference sorts break ties the other way
   * when ascending (each ascending order is the exact reverse of its descending one), so one index per key
   * serves both directions, read backwards for ascending (migration 0105). Absent: id ascending.
   */
  tie?: Direction;
  /** The Postgres type the cursor's text key is cast back to (a fixed name, never user input). */
  type: 'float8' | 'int8' | 'date';
}

/** `>` when going up, `<` when going down: "after" in that direction. */
export const afterOp = (direction: Direction) => sql.raw(direction === 'asc' ? '>' : '<');

/**
 * `(key, id)` strictly after the cursor in `ORDER BY key <direction>, id <tie>`. The leading `key >= k` (or
 * `<=`) bound is implied by the rest but lets the planner start an index scan at the cursor; the OR alone
 * cannot (measured on 500k matches: a middle page 393 ms → 0.9 ms, migration 0103).
 */
export function afterKeyset(
  spec: SortSpec,
  id: RawBuilder<unknown>,
  after: KeysetAfter,
): RawBuilder<boolean> {
  const op = afterOp(spec.direction);
  const bound = sql.raw(spec.direction === 'asc' ? '>=' : '<=');
  const type = sql.raw(spec.type);
  return sql<boolean>`(${spec.key} ${bound} ${after.key}::${type} AND (${spec.key} ${op} ${after.key}::${type}
    OR (${spec.key} = ${after.key}::${type} AND ${id} ${afterOp(spec.tie ?? 'asc')} ${after.id}::bigint)))`;
}

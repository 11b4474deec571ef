import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db, DbOrTx } from '../../src/db/database';

/** Foreign keys from any of `children` to any of `parents`, as "<child> has foreign key <name>". */
export async function foreignKeysBetween(
  db: DbOrTx,
  children: readonly string[],
  parents: readonly string[],
): Promise<string[]> {
  const { rows } = await sql<{ child: string; name: string }>`
    SELECT conrelid::regclass::text AS child, conname AS name FROM pg_constraint
    WHERE contype = 'f' AND conrelid::regclass::text = ANY(${children}::text[])
      AND confrelid::regclass::text = ANY(${parents}::text[]) ORDER BY 1, 2`.execute(db);
  return rows.map((fk) => `${fk.child} has foreign key ${fk.name}`);
}

/** Function bodies of the enabled AFTER DELETE statement triggers with a transition table, per table. */
export async function deleteTriggerBodies(db: DbOrTx): Promise<{ table: string; body: string }[]> {
  const { rows } = await sql<{ table: string; body: string }>`
    SELECT c.relname AS table, p.prosrc AS body
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgoldtable IS NOT NULL
      -- tgtype bits: 1 row-level (absent: statement), 2 BEFORE (absent: AFTER), 8 DELETE.
      AND t.tgtype & 1 = 0 AND t.tgtype & 2 = 0 AND t.tgtype & 8 <> 0`.execute(db);
  return rows;
}

/**
 * Applies `change` in a transaction that is rolled back, and expects `problems` to report `expected` in it:
 * shows a schema guard fails when what it guards is undone, without changing the schema.
 */
export async function expectReportedWhenUndone(
  db: Db,
  change: (trx: DbOrTx) => Promise<void>,
  problems: (trx: DbOrTx) => Promise<string[]>,
  expected: string[],
): Promise<void> {
  const rollback = new Error('roll back the schema change');
  await expect(
    db.transaction().execute(async (trx) => {
      await change(trx);
      expect(await problems(trx)).toEqual(expected);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
}

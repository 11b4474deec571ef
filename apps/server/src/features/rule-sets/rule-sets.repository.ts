import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';

const withCurrentRules = (db: DbOrTx) =>
  db
    .selectFrom('rule_sets as s')
    .innerJoin('rule_set_versions as v', (join) =>
      join.onRef('v.rule_set_id', '=', 's.id').onRef('v.version', '=', 's.current_version'),
    )
    .select([
      's.id',
      's.project_id',
      's.name',
      's.description',
      's.current_version',
      'v.rules',
      's.created_by',
      's.created_at',
      's.updated_at',
    ]);

export type RuleSetRow = Awaited<ReturnType<typeof findRuleSet>> & object;

export function findRuleSet(db: DbOrTx, id: string) {
  return withCurrentRules(db).where('s.id', '=', id).executeTakeFirst();
}

export function listRuleSets(db: DbOrTx, projectId: string) {
  return withCurrentRules(db)
    .where('s.project_id', '=', projectId)
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
}

export async function insertRuleSet(
  db: DbOrTx,
  values: { project_id: string; name: string; description: string; rules: unknown; created_by: string },
) {
  const row = await db
    .insertInto('rule_sets')
    .values({
      project_id: values.project_id,
      name: values.name,
      description: values.description,
      created_by: values.created_by,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('rule_set_versions')
    .values({
      rule_set_id: row.id,
      version: 1,
      rules: JSON.stringify(values.rules),
      created_by: values.created_by,
    })
    .execute();
  return row.id;
}

/** Locks the rule set row so concurrent edits get consecutive version numbers. */
export function lockRuleSet(db: DbOrTx, id: string) {
  return db.selectFrom('rule_sets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertVersion(
  db: DbOrTx,
  id: string,
  version: number,
  rules: unknown,
  userId: string,
): Promise<void> {
  await db
    .insertInto('rule_set_versions')
    .values({ rule_set_id: id, version, rules: JSON.stringify(rules), created_by: userId })
    .execute();
  await db
    .updateTable('rule_sets')
    .set({ current_version: version, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function updateRuleSetMeta(
  db: DbOrTx,
  id: string,
  changes: { name?: string; description?: string },
): Promise<void> {
  await db
    .updateTable('rule_sets')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export function listVersions(db: DbOrTx, id: string) {
  return db
    .selectFrom('rule_set_versions')
    .selectAll()
    .where('rule_set_id', '=', id)
    .orderBy('version', 'desc')
    .execute();
}

export function findVersion(db: DbOrTx, id: string, version: number) {
  return db
    .selectFrom('rule_set_versions')
    .selectAll()
    .where('rule_set_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function deleteRuleSet(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('rule_sets').where('id', '=', id).execute();
}

import { AppError, type ProjectRole, type RuleSetView } from '@recon/shared';
import type { Db } from '../../db/database';
import { assertProjectRole } from '../../plugins/project-access.plugin';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { validRules } from './rule-set-validation';
import * as repo from './rule-sets.repository';

type AuthedActor = Actor & { userId: string };

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

function toView(row: repo.RuleSetRow): RuleSetView {
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    description: row.description,
    version: row.current_version,
    rules: asObject(row.rules),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Loads a rule set the user may access with `minRole`; another project's rule set answers 404. */
export async function loadRuleSetForMember(db: Db, userId: string, id: string, minRole: ProjectRole) {
  const row = await repo.findRuleSet(db, id);
  if (row === undefined) throw new AppError('RULE_SET_NOT_FOUND');
  await assertProjectRole(db, userId, row.project_id, minRole, 'RULE_SET_NOT_FOUND');
  return row;
}

async function viewOf(db: Db, id: string) {
  const row = await repo.findRuleSet(db, id);
  if (row === undefined) throw new AppError('RULE_SET_NOT_FOUND');
  return toView(row);
}

export async function createRuleSet(
  db: Db,
  actor: AuthedActor,
  projectId: string,
  input: { name: string; description: string; rules: unknown },
) {
  const rules = validRules(input.rules);
  const id = await db.transaction().execute(async (trx) => {
    const created = await repo.insertRuleSet(trx, {
      project_id: projectId,
      name: input.name,
      description: input.description,
      rules,
      created_by: actor.userId,
    });
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'rule_set.created',
        { type: 'rule_set', id: created, projectId },
        { name: input.name, version: 1 },
      ),
    );
    return created;
  });
  return viewOf(db, id);
}

export async function listRuleSets(db: Db, projectId: string) {
  return { items: (await repo.listRuleSets(db, projectId)).map(toView) };
}

export async function getRuleSet(db: Db, userId: string, id: string) {
  return toView(await loadRuleSetForMember(db, userId, id, 'viewer'));
}

/** Renames or re-describes in place; new rules become the next immutable version. */
export async function updateRuleSet(
  db: Db,
  actor: AuthedActor,
  id: string,
  input: { name?: string | undefined; description?: string | undefined; rules?: unknown },
) {
  const current = await loadRuleSetForMember(db, actor.userId, id, 'manager');
  const rules = input.rules === undefined ? undefined : validRules(input.rules);
  await db.transaction().execute(async (trx) => {
    const locked = await repo.lockRuleSet(trx, id);
    if (locked === undefined) throw new AppError('RULE_SET_NOT_FOUND');
    const meta = Object.fromEntries(
      Object.entries({ name: input.name, description: input.description }).filter(([, v]) => v !== undefined),
    );
    if (Object.keys(meta).length > 0) await repo.updateRuleSetMeta(trx, id, meta);
    let version = locked.current_version;
    if (rules !== undefined) {
      version += 1;
      await repo.insertVersion(trx, id, version, rules, actor.userId);
    }
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'rule_set.updated',
        { type: 'rule_set', id, projectId: current.project_id },
        { ...meta, version },
      ),
    );
  });
  return viewOf(db, id);
}

export async function listVersions(db: Db, userId: string, id: string) {
  await loadRuleSetForMember(db, userId, id, 'viewer');
  const rows = await repo.listVersions(db, id);
  return {
    items: rows.map((row) => ({
      version: row.version,
      rules: asObject(row.rules),
      created_by: row.created_by,
      created_at: row.created_at.toISOString(),
    })),
  };
}

export async function getVersion(db: Db, userId: string, id: string, version: number) {
  await loadRuleSetForMember(db, userId, id, 'viewer');
  const row = await repo.findVersion(db, id, version);
  if (row === undefined) throw new AppError('RULE_SET_NOT_FOUND', `Rule set ${id} has no version ${version}`);
  return {
    version: row.version,
    rules: asObject(row.rules),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
  };
}

export async function deleteRuleSet(db: Db, actor: AuthedActor, id: string) {
  const row = await loadRuleSetForMember(db, actor.userId, id, 'manager');
  await db.transaction().execute(async (trx) => {
    await repo.deleteRuleSet(trx, id);
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'rule_set.deleted',
        { type: 'rule_set', id, projectId: row.project_id },
        { name: row.name },
      ),
    );
  });
}

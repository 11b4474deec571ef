import type { Db } from '../db/database';
import type { WsHub } from './ws-hub';

/**
 * Re-checks every room membership and every connected user of this process against the database. Runs
 * after the event connection was re-established, because access events sent while it was down are lost.
 */
export async function recheckAccess(db: Db, hub: WsHub): Promise<void> {
  const userIds = hub.userIds();
  if (userIds.length > 0) {
    const active = await db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', userIds)
      .where('status', '=', 'active')
      .execute();
    const stillActive = new Set(active.map((row) => row.id));
    for (const userId of userIds) if (!stillActive.has(userId)) hub.closeUser(userId, 'user_disabled');
  }
  const pairs = hub.memberships();
  if (pairs.length === 0) return;
  const rows = await db
    .selectFrom('project_members')
    .select(['project_id', 'user_id'])
    .where((eb) =>
      eb.or(
        pairs.map(({ projectId, userId }) =>
          eb.and([eb('project_id', '=', projectId), eb('user_id', '=', userId)]),
        ),
      ),
    )
    .execute();
  const kept = new Set(rows.map((row) => `${row.project_id}:${row.user_id}`));
  for (const { projectId, userId } of pairs)
    if (!kept.has(`${projectId}:${userId}`)) hub.revokeMembership(projectId, userId);
}

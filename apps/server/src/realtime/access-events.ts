import { z } from 'zod';
import type { DbOrTx } from '../db/database';
import { publish } from '../events/event-bus';

/**
 * Channel on which a service says "someone lost access" so that every API instance drops the affected
 * sockets from their rooms (or closes them). Room membership is checked at `join_project` only, so without
 * these events a removed member would keep receiving the project's events until reconnecting.
 */
export const ACCESS_CHANNEL = 'recon_access';

/** What a service publishes on {@link ACCESS_CHANNEL}. */
export const accessEventSchema = z.discriminatedUnion('type', [
  /** The user is no longer a member of the project. */
  z.object({ type: z.literal('member.removed'), project_id: z.uuid(), user_id: z.uuid() }),
  /** The project is gone: everyone leaves its room. */
  z.object({ type: z.literal('project.deleted'), project_id: z.uuid() }),
  /** The user may no longer sign in: every socket of theirs is closed. */
  z.object({
    type: z.literal('user.revoked'),
    user_id: z.uuid(),
    reason: z.enum(['user_disabled', 'user_deleted']),
  }),
  /** The platform role changed (for example an administrator demoted): admin-only messages stop. */
  z.object({ type: z.literal('user.role_changed'), user_id: z.uuid(), role: z.string() }),
]);
/** See {@link accessEventSchema}. */
export type AccessEvent = z.infer<typeof accessEventSchema>;

/**
 * Publishes an access change to every API instance. Call it inside the transaction that makes the change:
 * NOTIFY is delivered on commit only, so a rolled-back removal never drops anyone.
 *
 * @example
 * await publishAccessEvent(trx, { type: 'member.removed', project_id: projectId, user_id: userId });
 */
export async function publishAccessEvent(db: DbOrTx, event: AccessEvent): Promise<void> {
  await publish(db, ACCESS_CHANNEL, accessEventSchema.parse(event));
}

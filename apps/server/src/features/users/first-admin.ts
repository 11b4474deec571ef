import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../config';
import type { Db } from '../../db/database';
import { hashPassword } from '../../lib/crypto';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, systemActor } from '../auth/actor';
import { countUsers, insertUser } from './users.repository';

const BOOTSTRAP_LOCK_KEY = 378_000_003;

export type FirstAdminResult =
  | { created: false }
  | {
      created: true;
      email: string;
      /** Only when generated: print once, it is stored nowhere. */ generatedPassword?: string;
    };

/**
 * On a database without users, creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD, generating a
 * password when none is configured. Only the argon2 hash is stored. Safe with several processes starting.
 */
export async function ensureFirstAdmin(db: Db, config: Pick<Config, 'admin'>): Promise<FirstAdminResult> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`.execute(trx);
    if ((await countUsers(trx)) > 0) return { created: false };
    const generatedPassword =
      config.admin.password === undefined ? randomBytes(18).toString('base64url') : undefined;
    const password = config.admin.password ?? generatedPassword ?? '';
    const user = await insertUser(trx, {
      email: config.admin.email,
      name: 'Administrator',
      password_hash: await hashPassword(password),
      role: 'admin',
    });
    if (user === undefined) return { created: false };
    await appendAuditEntry(
      trx,
      auditFor(systemActor(), 'user.bootstrap_admin', { type: 'user', id: user.id }, { email: user.email }),
    );
    return generatedPassword === undefined
      ? { created: true, email: user.email }
      : { created: true, email: user.email, generatedPassword };
  });
}

import { randomBytes } from 'node:crypto';
import { AppError, type ApiKeyView } from '@recon/shared';
import type { Db } from '../../db/database';
import type { Selectable } from 'kysely';
import type { ApiKeysTable } from '../../db/schema';
import { randomToken, sha256Hex } from '../../lib/crypto';
import { isoOrNull } from '../../lib/time';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { insertApiKey, listApiKeysOf, revokeApiKey } from './api-keys.repository';

/** API keys look like `rk_<8 hex>_<43 base64url>`; the `rk_<8 hex>` prefix is stored and shown in lists. */
export const API_KEY_PREFIX = 'rk_';

function toView(row: Selectable<ApiKeysTable>): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: isoOrNull(row.last_used_at),
    expires_at: isoOrNull(row.expires_at),
    revoked_at: isoOrNull(row.revoked_at),
  };
}

/** Creates a key for the actor; the full key is returned here and never again. */
export async function createApiKey(
  db: Db,
  actor: Actor & { userId: string },
  input: { name: string; expires_in_days?: number | undefined },
) {
  const prefix = `${API_KEY_PREFIX}${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomToken(32)}`;
  const expiresAt =
    input.expires_in_days === undefined ? null : new Date(Date.now() + input.expires_in_days * 86_400_000);
  return db.transaction().execute(async (trx) => {
    const row = await insertApiKey(trx, {
      user_id: actor.userId,
      name: input.name,
      prefix,
      key_hash: sha256Hex(key),
      expires_at: expiresAt,
    });
    await appendAuditEntry(
      trx,
      auditFor(actor, 'api_key.created', { type: 'api_key', id: row.id }, { name: row.name, prefix }),
    );
    return { ...toView(row), key };
  });
}

export async function listApiKeys(db: Db, userId: string) {
  return { items: (await listApiKeysOf(db, userId)).map(toView) };
}

export async function revokeOwnApiKey(db: Db, actor: Actor & { userId: string }, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await revokeApiKey(trx, actor.userId, id);
    if (row === undefined) throw new AppError('API_KEY_NOT_FOUND');
    await appendAuditEntry(
      trx,
      auditFor(actor, 'api_key.revoked', { type: 'api_key', id }, { prefix: row.prefix }),
    );
    return toView(row);
  });
}

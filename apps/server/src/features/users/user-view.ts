import type { UserView } from '@recon/shared';
import type { UserRow } from '../../db/schema';

/** The wire shape of a user; never includes the password hash. */
export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_login_at: row.last_login_at === null ? null : row.last_login_at.toISOString(),
  };
}

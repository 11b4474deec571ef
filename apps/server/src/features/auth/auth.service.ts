import { randomUUID } from 'node:crypto';
import { AppError, type TokenResponse } from '@recon/shared';
import type { AppDeps } from '../../deps';
import type { DbOrTx } from '../../db/database';
import type { UserRow } from '../../db/schema';
import { hashPassword, randomToken, sha256Hex, verifyAgainstDummy, verifyPassword } from '../../lib/crypto';
import { appendAuditEntry } from '../audit/audit.repository';
import {
  findUserByEmail,
  findUserById,
  insertUser,
  touchLastLogin,
  updateUser,
} from '../users/users.repository';
import { toUserView } from '../users/user-view';
import { auditFor, type Actor } from './actor';
import { clearFailures, lockedForSeconds, recordFailure } from './login-throttle.repository';
import {
  findRefreshTokenForUpdate,
  insertRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
  revokeUserSessions,
} from './refresh-tokens.repository';

/** Where a session was started from; stored with refresh tokens for the user's session list. */
export interface ClientMeta {
  readonly ip: string;
  readonly userAgent: string | null;
}

async function issueTokens(
  deps: AppDeps,
  trx: DbOrTx,
  user: UserRow,
  familyId: string,
  meta: ClientMeta,
): Promise<TokenResponse> {
  const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = deps.config.auth;
  const refreshToken = randomToken(32);
  await insertRefreshToken(trx, {
    user_id: user.id,
    family_id: familyId,
    token_hash: sha256Hex(refreshToken),
    expires_at: new Date(Date.now() + refreshTokenTtlSeconds * 1000),
    user_agent: meta.userAgent?.slice(0, 500) ?? null,
    ip: meta.ip,
  });
  return {
    token_type: 'Bearer',
    access_token: await deps.tokens.sign(user.id, familyId),
    expires_in: accessTokenTtlSeconds,
    refresh_token: refreshToken,
    refresh_expires_in: refreshTokenTtlSeconds,
    user: toUserView(user),
  };
}

function lockedError(seconds: number): AppError {
  return new AppError(
    'TOO_MANY_LOGIN_ATTEMPTS',
    `Too many failed login attempts; try again in ${seconds} s`,
    {
      headers: { 'retry-after': String(seconds) },
    },
  );
}

/**
 * Checks email and password with throttling per account and per client address: after too many failures
 * within the lockout window the key is locked and further attempts answer 429 with Retry-After, even with
 * the right password.
 */
export async function login(
  deps: AppDeps,
  input: { email: string; password: string },
  actor: Actor,
  meta: ClientMeta,
): Promise<TokenResponse> {
  const { db, config } = deps;
  const accountKey = `account:${input.email}`;
  const ipKey = `ip:${meta.ip}`;
  const lockedSeconds = await lockedForSeconds(db, [accountKey, ipKey]);
  if (lockedSeconds > 0) throw lockedError(lockedSeconds);

  const user = await findUserByEmail(db, input.email);
  const isValid =
    user === undefined
      ? (await verifyAgainstDummy(input.password), false)
      : await verifyPassword(user.password_hash, input.password);
  if (user === undefined || !isValid) {
    const { loginMaxFailuresPerAccount, loginMaxFailuresPerIp, loginLockoutSeconds } = config.auth;
    await db.transaction().execute(async (trx) => {
      await recordFailure(
        trx,
        accountKey,
        loginMaxFailuresPerAccount,
        loginLockoutSeconds,
        loginLockoutSeconds,
      );
      await recordFailure(trx, ipKey, loginMaxFailuresPerIp, loginLockoutSeconds, loginLockoutSeconds);
      await appendAuditEntry(
        trx,
        auditFor({ ...actor, label: input.email }, 'auth.login_failed', {
          type: 'user',
          id: user?.id ?? null,
        }),
      );
    });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  return db.transaction().execute(async (trx) => {
    await clearFailures(trx, accountKey);
    await touchLastLogin(trx, user.id);
    const tokens = await issueTokens(deps, trx, user, randomUUID(), meta);
    await appendAuditEntry(
      trx,
      auditFor({ ...actor, userId: user.id, label: user.email }, 'auth.login', { type: 'user', id: user.id }),
    );
    return tokens;
  });
}

/** Self-registration, only when ALLOW_REGISTRATION is on. New users get the `user` role. */
export async function register(
  deps: AppDeps,
  input: { email: string; name: string; password: string },
  actor: Actor,
  meta: ClientMeta,
): Promise<TokenResponse> {
  if (!deps.config.auth.allowRegistration) throw new AppError('REGISTRATION_DISABLED');
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const user = await insertUser(trx, {
      email: input.email,
      name: input.name,
      password_hash: passwordHash,
      role: 'user',
      last_login_at: new Date(),
    });
    if (user === undefined) {
      throw new AppError('EMAIL_TAKEN', undefined, {
        errors: [{ in: 'body', field: 'email', message: 'is already registered' }],
      });
    }
    const tokens = await issueTokens(deps, trx, user, randomUUID(), meta);
    await appendAuditEntry(
      trx,
      auditFor({ ...actor, userId: user.id, label: user.email }, 'auth.registered', {
        type: 'user',
        id: user.id,
      }),
    );
    return tokens;
  });
}

type RefreshOutcome = { kind: 'ok'; tokens: TokenResponse } | { kind: 'reused' } | { kind: 'invalid' };

/**
 * Rotates a refresh token: the presented one is marked used and a successor in the same family is issued.
 * A token presented again after use (or after revocation) is a replay, e.g. a stolen copy: the whole family
 * is revoked, so both the thief and the victim must log in again.
 */
export async function refresh(
  deps: AppDeps,
  rawToken: string,
  actor: Actor,
  meta: ClientMeta,
): Promise<TokenResponse> {
  const outcome = await deps.db.transaction().execute(async (trx): Promise<RefreshOutcome> => {
    const row = await findRefreshTokenForUpdate(trx, sha256Hex(rawToken));
    if (row === undefined) return { kind: 'invalid' };
    if (row.used_at !== null || row.revoked_at !== null) {
      const revoked = await revokeFamily(trx, row.family_id, 'reuse_detected');
      await appendAuditEntry(
        trx,
        auditFor(
          { ...actor, userId: row.user_id },
          'auth.refresh_reuse_detected',
          { type: 'user', id: row.user_id },
          {
            family_id: row.family_id,
            revoked_tokens: revoked,
          },
        ),
      );
      return { kind: 'reused' };
    }
    if (row.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
    const user = await findUserById(trx, row.user_id);
    if (user?.status !== 'active') {
      await revokeFamily(trx, row.family_id, 'user_inactive');
      return { kind: 'invalid' };
    }
    await markRefreshTokenUsed(trx, row.id);
    return { kind: 'ok', tokens: await issueTokens(deps, trx, user, row.family_id, meta) };
  });
  switch (outcome.kind) {
    case 'ok':
      return outcome.tokens;
    case 'reused':
      throw new AppError('REFRESH_TOKEN_REUSED');
    case 'invalid':
      throw new AppError('REFRESH_TOKEN_INVALID');
  }
}

/** Ends the session the refresh token belongs to. Unknown tokens are ignored: logging out always succeeds. */
export async function logout(
  deps: AppDeps,
  rawToken: string | undefined,
  sessionId: string | undefined,
  actor: Actor,
) {
  await deps.db.transaction().execute(async (trx) => {
    let familyId = sessionId;
    let userId = actor.userId;
    if (rawToken !== undefined) {
      const row = await findRefreshTokenForUpdate(trx, sha256Hex(rawToken));
      if (row !== undefined) {
        familyId = row.family_id;
        userId = row.user_id;
      }
    }
    if (familyId === undefined) return;
    const revoked = await revokeFamily(trx, familyId, 'logout');
    if (revoked > 0) {
      await appendAuditEntry(
        trx,
        auditFor({ ...actor, userId }, 'auth.logout', { type: 'user', id: userId }),
      );
    }
  });
}

export async function updateMe(deps: AppDeps, user: UserRow, input: { name: string }, actor: Actor) {
  return deps.db.transaction().execute(async (trx) => {
    const updated = await updateUser(trx, user.id, { name: input.name });
    if (updated === undefined) throw new AppError('USER_NOT_FOUND');
    await appendAuditEntry(
      trx,
      auditFor(actor, 'user.self_updated', { type: 'user', id: user.id }, { name: input.name }),
    );
    return toUserView(updated);
  });
}

/** Changes the caller's password and revokes every other session (the current one stays logged in). */
export async function changePassword(
  deps: AppDeps,
  user: UserRow,
  input: { current_password: string; new_password: string },
  sessionId: string | null,
  actor: Actor,
) {
  if (!(await verifyPassword(user.password_hash, input.current_password))) {
    throw new AppError('WRONG_PASSWORD', undefined, {
      errors: [{ in: 'body', field: 'current_password', message: 'is wrong' }],
    });
  }
  const passwordHash = await hashPassword(input.new_password);
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash });
    const revoked = await revokeUserSessions(trx, user.id, 'password_changed', sessionId ?? undefined);
    await appendAuditEntry(
      trx,
      auditFor(actor, 'user.password_changed', { type: 'user', id: user.id }, { revoked_sessions: revoked }),
    );
  });
}

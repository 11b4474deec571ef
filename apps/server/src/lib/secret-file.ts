import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import type { Config, ResolvedConfig } from '../config';

/**
 * Reads a secret kept in a file, or creates it once with owner-only permissions (0600).
 * `wx` makes creation atomic: two processes starting together end up with the same secret.
 */
export async function readOrCreateSecret(file: string, bytes = 48): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return secret;
  } catch (error) {
    if (isAlreadyExists(error)) return (await readFile(file, 'utf8')).trim();
    throw error;
  }
}

/** Fills in the JWT secret from `DATA_DIR/secrets/jwt-secret` when the environment did not give one. */
export async function ensureJwtSecret(config: Config): Promise<ResolvedConfig> {
  const { jwtSecret } = config.auth;
  if (jwtSecret !== undefined) return { ...config, auth: { ...config.auth, jwtSecret } };
  const secret = await readOrCreateSecret(path.join(path.resolve(config.dataDir), 'secrets', 'jwt-secret'));
  return Object.freeze({ ...config, auth: Object.freeze({ ...config.auth, jwtSecret: secret }) });
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST';
}

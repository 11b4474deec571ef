import type { ResolvedConfig } from './config';
import type { Db } from './db/database';
import type { AccessTokens } from './features/auth/tokens';

/** What services need, built once in `buildApp` and passed down as a value. */
export interface AppDeps {
  readonly config: ResolvedConfig;
  readonly db: Db;
  readonly tokens: AccessTokens;
}

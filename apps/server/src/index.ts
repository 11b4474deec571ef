// What other workspaces (the CLI's admin commands) may use from the server, as TypeScript source.
export { buildApp, type App, type BuildOptions } from './app';
export { loadConfig, ConfigError, type Config, type ResolvedConfig, type Role } from './config';
export { connectDatabase, migrateConfigured, type Connection } from './db/connect';
export { openDatabase, type Db, type DatabaseHandle } from './db/database';
export { migrate, loadMigrations, pendingMigrations, type Migration, type MigrateResult } from './db/migrate';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres';
export { verifyAuditChain } from './features/audit/audit.service';
export { ensureFirstAdmin, type FirstAdminResult } from './features/users/first-admin';
export { ensureJwtSecret } from './lib/secret-file';

import type { Logger } from 'pino';
import { buildApp, type App } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { connectDatabase } from './db/connect';
import type { DatabaseHandle } from './db/database';
import type { EmbeddedDatabase } from './db/embedded-postgres';
import { migrate } from './db/migrate';
import { ensureFirstAdmin, type FirstAdminResult } from './features/users/first-admin';
import { createLogger } from './lib/logger';
import { ensureJwtSecret } from './lib/secret-file';
import { startWorker, type Worker } from './worker/worker';

// Entry point: parse config, start the database (embedded unless DATABASE_URL), migrate, then run the
// role's parts. Everything started is stopped in reverse order on SIGINT/SIGTERM.

const SHUTDOWN_TIMEOUT_MS = 20_000;

interface Running {
  app?: App;
  worker?: Worker;
  database?: DatabaseHandle;
  embedded?: EmbeddedDatabase;
}

function readConfig(): Config {
  try {
    return loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function printBanner(
  config: Config,
  admin: FirstAdminResult,
  embedded: EmbeddedDatabase | undefined,
  port: number,
): void {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;
  const lines = ['', `378 Reconciliation Platform (${config.role}) is running`];
  if (config.role !== 'worker') {
    lines.push(`  URL:      ${url}`, `  API docs: ${url}/docs`);
  }
  lines.push(
    `  Database: ${embedded ? `embedded PostgreSQL on 127.0.0.1:${embedded.port} (${config.dataDir}/pg)` : 'DATABASE_URL'}`,
  );
  if (admin.created) {
    lines.push(`  First admin created: ${admin.email}`);
    if (admin.generatedPassword !== undefined) {
      lines.push(
        `  Generated password (shown only now, not stored): ${admin.generatedPassword}`,
        '  Change it after logging in (POST /api/auth/me/password).',
      );
    } else {
      lines.push('  Password: the ADMIN_PASSWORD you configured.');
    }
  }
  if (config.role !== 'worker') {
    lines.push(
      '  Log in:',
      `    curl -s ${url}/api/auth/login -H 'content-type: application/json' \\`,
      `      -d '{"email":"${admin.created ? admin.email : config.admin.email}","password":"<password>"}'`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function stopAll(running: Running, log: Logger): Promise<void> {
  // Reverse start order: stop accepting and drain HTTP, stop jobs, close the pool, then the database.
  const steps: [string, (() => Promise<unknown>) | undefined][] = [
    ['http', running.app && (() => running.app?.close() ?? Promise.resolve())],
    ['worker', running.worker && (() => running.worker?.stop() ?? Promise.resolve())],
    ['pool', running.database && (() => running.database?.close() ?? Promise.resolve())],
    ['embedded postgres', running.embedded && (() => running.embedded?.stop() ?? Promise.resolve())],
  ];
  for (const [name, step] of steps) {
    if (step === undefined) continue;
    try {
      await step();
    } catch (error) {
      log.error({ err: error, step: name }, 'shutdown step failed');
    }
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config);
  const running: Running = {};
  // An object, not a local boolean: a signal can flip it while startup awaits.
  const state = { isShuttingDown: false };
  const shutdown = (signal: string) => {
    if (state.isShuttingDown) return;
    state.isShuttingDown = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({}, 'shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    void stopAll(running, log).then(() => {
      log.info({}, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    const resolved = await ensureJwtSecret(config);
    const connection = await connectDatabase(config, log);
    running.embedded = connection.embedded;
    running.database = connection.database;
    const result = await migrate(running.database.db);
    if (result.applied.length > 0) log.info({ applied: result.applied }, 'migrations applied');
    const admin = await ensureFirstAdmin(running.database.db, config);
    if (config.role !== 'api') {
      running.worker = await startWorker({
        db: running.database.db,
        log: log.child({ component: 'worker' }),
        dataDir: config.dataDir,
        heartbeatMs: config.worker.heartbeatMs,
        staleMs: config.worker.staleMs,
        ingestConcurrency: config.worker.ingestConcurrency,
        ...(config.worker.ingestThreads === undefined ? {} : { ingestThreads: config.worker.ingestThreads }),
        ...(config.worker.ingestMemoryLimit === undefined
          ? {}
          : { ingestMemoryLimit: config.worker.ingestMemoryLimit }),
      });
    }
    if (config.role !== 'worker') {
      const databaseUrl = connection.embedded?.url ?? config.databaseUrl;
      running.app = await buildApp(resolved, {
        db: running.database.db,
        logger: log,
        pool: running.database.pool,
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
      });
      await running.app.listen({ port: config.port, host: config.host });
    }
    if (state.isShuttingDown) return;
    // PORT=0 asks the OS for a port: print the one actually bound.
    const address = running.app?.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    printBanner(config, admin, running.embedded, port);
  } catch (error) {
    log.fatal({ err: error }, 'startup failed');
    await stopAll(running, log);
    process.exit(1);
  }
}

await main();

/**
 * The platform as `npm start` runs it, for the benchmark: a fresh database on the PostgreSQL of
 * DATABASE_URL (embedded when unset), migrated; the HTTP app and the queue worker in this process; the
 * worker's log records captured so the job's own phase timings can be read back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { buildApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase, type DatabaseHandle } from '../src/db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres';
import { migrate } from '../src/db/migrate';
import { ensureFirstAdmin } from '../src/features/users/first-admin';
import { startWorker, type Worker } from '../src/worker/worker';

export interface PlatformServer {
  readonly app: App;
  readonly database: DatabaseHandle;
  readonly adminEmail: string;
  readonly adminPassword: string;
  /** Log records (parsed JSON) whose `msg` is `message`, in arrival order. */
  logged(message: string): Record<string, unknown>[];
  close(): Promise<void>;
}

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Starts database, app and worker. `databaseUrl` is a role that may create databases, or undefined (embedded). */
export async function startPlatform(databaseUrl: string | undefined): Promise<PlatformServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'recon-bench-'));
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = databaseUrl;
  if (adminUrl === undefined || adminUrl === '') {
    embedded = await startEmbeddedPostgres(dataDir, quiet);
    adminUrl = embedded.url;
  }
  const name = `recon_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${quote(name)}`);
  const adminPassword = randomBytes(12).toString('base64url');
  // The server's own defaults (pool size, statement timeout, upload limit) except what a benchmark must
  // change: no request rate limit (the page measurement sends hundreds of requests), a day-long access
  // token, a 1 GiB upload limit and no log output.
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: 'bench@recon.local',
      ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_ENABLED: 'false',
      // A 1M run takes longer than the default 15-minute access token.
      ACCESS_TOKEN_TTL_SECONDS: '86400',
      UPLOAD_MAX_BYTES: String(1024 ** 3),
    },
    [],
  );
  const database = openDatabase(withDatabase(adminUrl, name), config.db);
  const records: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(chunk.toString('utf8'));
      done();
    },
  });
  let app: App | undefined;
  let worker: Worker | undefined;
  const close = async () => {
    await worker?.stop();
    await app?.close();
    await database.close();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await migrate(database.db);
    await ensureFirstAdmin(database.db, config);
    app = await buildApp(
      { ...config, auth: { ...config.auth, jwtSecret: config.auth.jwtSecret ?? '' } },
      { db: database.db, pool: database.pool },
    );
    await app.ready();
    worker = await startWorker({
      db: database.db,
      log: pino({ level: 'info' }, sink),
      dataDir,
      pollingIntervalSeconds: 0.5,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    app,
    database,
    adminEmail: 'bench@recon.local',
    adminPassword,
    logged: (message) =>
      records
        .flatMap((line) => line.split('\n'))
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((record) => record.msg === message),
    close,
  };
}

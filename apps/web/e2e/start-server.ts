// Starts the real API server for the Playwright journeys, isolated from every other run:
// a fresh DATA_DIR under the system temp dir and, when DATABASE_URL is set, a fresh database in it
// (without DATABASE_URL the server starts its embedded PostgreSQL inside that DATA_DIR).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'recon-e2e-'));
const port = process.env.E2E_API_PORT ?? '2300';

async function freshDatabaseUrl(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `recon_e2e_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

const database = process.env.DATABASE_URL ? await freshDatabaseUrl(process.env.DATABASE_URL) : undefined;

const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: port,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_EMAIL: process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.test',
    ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin passphrase',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    // Every journey signs in from 127.0.0.1, some as several people: on a fast run the suite passed the
    // production budget of 30 authentication requests a minute per address and a sign-in got 429. The
    // limit itself is tested against the server (apps/server/test/rate-limit.test.ts).
    RATE_LIMIT_AUTH_MAX: process.env.E2E_RATE_LIMIT_AUTH_MAX ?? '1000',
    ...(database ? { DATABASE_URL: database.url } : {}),
  },
});

let stopping = false;
async function cleanUp(code: number): Promise<never> {
  await database?.drop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopping = true;
    child.kill(signal);
  });
}
child.on('exit', (code) => {
  void cleanUp(stopping ? 0 : (code ?? 1));
});

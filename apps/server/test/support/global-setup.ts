import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres';
import { migrate } from '../../src/db/migrate';
import { quoteIdent, withDatabase } from './db-url';

declare module 'vitest' {
  export interface ProvidedContext {
    dbAdminUrl: string;
    dbTemplate: string;
  }
}

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/** Picks the test PostgreSQL (DATABASE_URL, else embedded) and builds one migrated template database. */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') {
    dataDir = await mkdtemp(path.join(tmpdir(), 'recon-test-pg-'));
    embedded = await startEmbeddedPostgres(dataDir, quiet);
    adminUrl = embedded.url;
  }
  const template = `recon_tmpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdent(template)}`);
  const handle = openDatabase(withDatabase(adminUrl, template), { poolMax: 2, statementTimeoutMs: 0 });
  try {
    await migrate(handle.db);
  } finally {
    await handle.close();
  }
  project.provide('dbAdminUrl', adminUrl);
  project.provide('dbTemplate', template);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  };
}

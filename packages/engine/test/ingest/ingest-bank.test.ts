import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, openSession, type EngineSession } from '../../src/index';

const BAI2 = join(import.meta.dirname, '../fixtures/statements/bai2');

describe('ingesting a bank file', () => {
  let session: EngineSession;
  let dir: string;
  beforeAll(async () => {
    session = await openSession({ threads: 1 });
    dir = mkdtempSync(join(tmpdir(), 'ingest-bank-'));
  });
  afterAll(() => {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports BAI2 control-total mismatches as file findings without rejecting any row', async () => {
    const path = join(dir, 'sample5.txt');
    writeFileSync(path, readFileSync(join(BAI2, 'sample5-issue113.txt')));
    const result = await ingestFile(session, 'left', { path });
    expect(result.format).toBe('bai2');
    expect(result.fileFindings.length).toBeGreaterThan(0);
    expect(result.fileFindings.every((finding) => finding.row === 0)).toBe(true);
    expect(result.rejectedRowCount).toBe(0);
    expect(result.rowCount).toBe(result.loadedCount);
  });

  it('loads a consistent BAI2 file with no findings', async () => {
    const path = join(dir, 'sample1.txt');
    writeFileSync(path, readFileSync(join(BAI2, 'sample1.txt')));
    const result = await ingestFile(session, 'right', { path });
    expect(result.fileFindings).toEqual([]);
    expect(result.loadedCount).toBeGreaterThan(0);
  });
});

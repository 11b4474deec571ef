import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchFolder, sweepOrphanScratch } from '../src/lib/scratch';

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function root(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'scratch-test-'));
  roots.push(folder);
  return folder;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('worker scratch folders', () => {
  it('removes the folders of processes that are gone and keeps those of running ones', async () => {
    const base = await root();
    const dead = path.join(base, `recon-work-${String(deadPid())}`);
    await mkdir(path.join(dead, 'results-abc'), { recursive: true });
    await writeFile(path.join(dead, 'results-abc', 'matches.csv'), 'left over');
    const parent = path.join(base, `recon-work-${String(process.ppid)}`);
    await mkdir(parent);
    const unrelated = path.join(base, 'recon-work-notapid');
    await mkdir(unrelated);

    expect(await sweepOrphanScratch(base)).toEqual([dead]);
    expect((await readdir(base)).sort()).toEqual([path.basename(parent), path.basename(unrelated)].sort());
  });

  it("in this process's own folder removes only what is older than this process", async () => {
    const base = await root();
    const own = path.join(base, `recon-work-${String(process.pid)}`);
    await mkdir(path.join(own, 'load-old'), { recursive: true });
    await mkdir(path.join(own, 'load-new'));
    const beforeStart = new Date(Date.now() - process.uptime() * 1000 - 60_000);
    await utimes(path.join(own, 'load-old'), beforeStart, beforeStart);

    expect(await sweepOrphanScratch(base)).toEqual([path.join(own, 'load-old')]);
    expect(await readdir(own)).toEqual(['load-new']);
  });

  it('gives each task its own folder inside the process folder', async () => {
    const first = await scratchFolder('results');
    const second = await scratchFolder('results');
    try {
      expect(first).not.toBe(second);
      expect(path.basename(path.dirname(first))).toBe(`recon-work-${String(process.pid)}`);
    } finally {
      await rm(first, { recursive: true, force: true });
      await rm(second, { recursive: true, force: true });
    }
  });
});

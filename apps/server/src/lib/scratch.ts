import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Job handlers spill records and results to CSV files. They remove them when the job ends, but a worker
// killed mid-job (SIGKILL, OOM) cannot: files of a 1M-row job are hundreds of MB. So every process keeps
// its files in one folder named after its pid, and a starting worker removes the folders of processes
// that are gone.

const PREFIX = 'recon-work-';
let processFolder: Promise<string> | undefined;

function ownFolder(root: string): Promise<string> {
  processFolder ??= (async () => {
    const folder = path.join(root, `${PREFIX}${String(process.pid)}`);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    return folder;
  })();
  return processFolder;
}

/** A new folder for one task's temporary files, inside this process's scratch folder. Remove it when done. */
export async function scratchFolder(purpose: string): Promise<string> {
  return mkdtemp(path.join(await ownFolder(tmpdir()), `${purpose}-`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid runs under another user; keep its folder rather than guess.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the scratch folders of processes that no longer run, and, in this process's own folder, what is
 * older than this process (a previous process with the same pid, as with pid 1 in a restarted container).
 * Returns the paths removed.
 */
export async function sweepOrphanScratch(root: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const startedAt = Date.now() - process.uptime() * 1000;
  for (const name of await readdir(root).catch(() => [])) {
    const pid = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isSafeInteger(pid) || pid <= 0) continue;
    const folder = path.join(root, name);
    if (pid !== process.pid) {
      if (isAlive(pid)) continue;
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
      continue;
    }
    for (const entry of await readdir(folder).catch(() => [])) {
      const target = path.join(folder, entry);
      const info = await stat(target).catch(() => undefined);
      if (info === undefined || info.mtimeMs >= startedAt) continue;
      await rm(target, { recursive: true, force: true });
      removed.push(target);
    }
  }
  return removed;
}

/**
 * The engine alone on the same files: the engine benchmark's own variant runner (packages/engine/bench),
 * in a child process as there, so its memory and DuckDB threads are its own.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { BenchData } from '../../../packages/engine/bench/generate-data';

const engineDir = resolve(fileURLToPath(new URL('../../../packages/engine', import.meta.url)));

const reportSchema = z.object({
  variant: z.string(),
  seconds: z.number(),
  peakRssMb: z.number(),
  matched: z.number(),
  phases: z.record(z.string(), z.number()),
});
export type EngineReport = z.infer<typeof reportSchema>;

/** `engine` (no diagnostics) or `engine-diagnostics` (nearest candidate per unmatched record, as the platform's job). */
export function runEngineOnly(data: BenchData, variant: 'engine' | 'engine-diagnostics'): EngineReport {
  const outDir = join(data.dir, `out-platform-${variant}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const input = {
    left: data.left,
    right: data.right,
    rulesFile: join(engineDir, 'bench', 'rules.bench.json'),
    outDir,
    session: { memoryLimit: '1GB', tempDirectory: join(data.dir, `spill-platform-${variant}`) },
  };
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(engineDir, 'bench', 'run-variant.ts'), variant, JSON.stringify(input)],
    { cwd: engineDir, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`${variant} failed: ${child.stderr.slice(-2000)}`);
  return reportSchema.parse(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? ''));
}

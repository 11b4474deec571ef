/**
 * Child-process entry for one benchmark variant, so each variant's peak RSS is its own.
 * Usage: tsx bench/run-variant.ts <variant> <json VariantInput>. Prints one JSON VariantReport line last.
 */
import { readFileSync } from 'node:fs';
import { runEngineVariant } from './engine.variant';
import { runSqlBaseline } from './sql-baseline.variant';
import type { VariantInput, VariantOutput, VariantReport } from './variant';

/** Peak resident set in MB: the larger of getrusage's maxrss and /proc's high-water mark. */
function peakRssMb(): number {
  const rusageKb = process.resourceUsage().maxRSS;
  let hwmKb = 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    hwmKb = match?.[1] ? Number(match[1]) : 0;
  } catch {
    // Not Linux: getrusage alone.
  }
  return Math.max(rusageKb, hwmKb) / 1024;
}

const [variant, inputJson] = process.argv.slice(2);
if (variant === undefined || inputJson === undefined)
  throw new Error('usage: run-variant.ts <variant> <input json>');
const input = JSON.parse(inputJson) as VariantInput;
const start = performance.now();
const cpuStart = process.cpuUsage();
let output: VariantOutput;
if (variant === 'sql') output = await runSqlBaseline(input);
else if (variant === 'engine') output = await runEngineVariant(input);
else if (variant === 'engine-diagnostics') output = await runEngineVariant(input, true);
else throw new Error(`unknown variant ${variant}`);
const report: VariantReport = {
  variant,
  seconds: (performance.now() - start) / 1000,
  // User + system time of all threads: steadier than wall time when other work shares the cores.
  cpuSeconds: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(cpuStart)),
  peakRssMb: peakRssMb(),
  ...output,
};
console.log(JSON.stringify(report));

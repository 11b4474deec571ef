import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | undefined;

/** The engine package's version, recorded with every run so a result can be reproduced. */
export function engineVersion(): Promise<string> {
  cached ??= (async () => {
    try {
      const entry = fileURLToPath(import.meta.resolve('@recon/engine'));
      const text = await readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8');
      const parsed: unknown = JSON.parse(text);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'version' in parsed &&
        typeof parsed.version === 'string'
      )
        return parsed.version;
    } catch {
      // Fall through: an unknown version is recorded as such rather than failing the run.
    }
    return 'unknown';
  })();
  return cached;
}

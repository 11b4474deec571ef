import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error';

/** Reads and parses a JSON file; a missing file or bad JSON is a CliError naming the file and the flag. */
export async function readJsonFile(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(`${flag}: cannot read ${path} (no such file or not readable)`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(
      `${flag}: ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { CliError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments with node:util parseArgs, then validates them with a zod schema.
 * Every mistake becomes a CliError naming the flag, followed by the usage.
 */
export function parseOptions<S extends z.ZodType>(
  args: readonly string[],
  options: Options,
  schema: S,
  allowPositionals = false,
): z.output<S> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    // parseArgs says e.g. "Unknown option '--lfet'": already a good message.
    throw new CliError(error instanceof Error ? error.message : String(error), [], true);
  }
  const result = schema.safeParse({ ...parsed.values, positionals: parsed.positionals });
  if (!result.success) {
    const details = result.error.issues.map((issue) => {
      const [key] = issue.path;
      const flag = key === 'positionals' ? 'arguments' : typeof key === 'string' ? `--${key}` : 'arguments';
      return `${flag}: ${issue.message}`;
    });
    throw new CliError('invalid arguments', details, true);
  }
  return result.data;
}

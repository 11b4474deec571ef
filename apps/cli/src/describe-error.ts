import { IngestError, RuleSetValidationError } from '@recon/engine';
import { CliError } from './cli-error';

/** A message and detail lines for any error a command can end with. Stack traces are never shown. */
export function describeError(error: unknown): { message: string; details: readonly string[] } {
  if (error instanceof CliError) return { message: error.message, details: error.details };
  if (error instanceof RuleSetValidationError) {
    return {
      message: 'the rule set is invalid',
      details: error.errors.map(
        (e) => `${e.pass === null ? '' : `pass "${e.pass}": `}${e.path || '(root)'}: ${e.message}`,
      ),
    };
  }
  if (error instanceof IngestError) return { message: `${error.message} [${error.code}]`, details: [] };
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      return { message: error.message, details: [] };
    return { message: `unexpected error: ${error.message}`, details: [] };
  }
  return { message: `unexpected error: ${String(error)}`, details: [] };
}

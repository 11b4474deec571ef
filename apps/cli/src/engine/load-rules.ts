import { validateRuleSet, type RuleSet } from '@recon/engine';
import { CliError } from '../cli-error';
import { readJsonFile } from '../json-file';

/** Reads and validates a rule set file; every problem is listed with its pass name and field path. */
export async function loadRules(path: string, flag = '--rules'): Promise<RuleSet> {
  const result = validateRuleSet(await readJsonFile(path, flag));
  if (result.ok) return result.rules;
  const details = result.errors.map(
    (e) => `${e.pass === null ? '' : `pass "${e.pass}": `}${e.path || '(root)'}: ${e.message}`,
  );
  throw new CliError(`${flag}: ${path} is not a valid rule set`, details);
}

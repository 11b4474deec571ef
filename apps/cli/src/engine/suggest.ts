import type { EngineSession, RuleSet } from '@recon/engine';
import { CliError } from '../cli-error';

/** A rule set proposed from the two ingested sides. */
export function suggestRuleSet(_session: EngineSession): Promise<RuleSet> {
  return Promise.reject(
    new CliError('--auto: rule suggestion is not available in this build of the engine yet'),
  );
}

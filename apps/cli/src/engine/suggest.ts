import { suggestRules, type EngineSession, type RuleSet } from '@recon/engine';

/** A rule set proposed from the two ingested sides, with the engine's reason for each decision. */
export async function suggestRuleSet(session: EngineSession): Promise<{ rules: RuleSet; notes: string[] }> {
  const { rules, notes } = await suggestRules(session);
  return { rules, notes };
}

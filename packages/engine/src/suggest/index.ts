// Rule suggestion: profiles both canonical tables and proposes a starting rule set.
export { suggestRules, type RuleSuggestion } from './suggest-rules';
export type { FieldOverlapProfile } from './profile-columns';

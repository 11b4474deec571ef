// Rule model: pure TypeScript + zod, no DuckDB (the web rule builder imports this module).
export * from './rule-fields';
export * from './rule-set.schema';
export * from './validate-rule-set';
export * from './mirror-rule-set';

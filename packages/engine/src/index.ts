export * from './core/money';
export * from './core/canonical';
export * from './core/statement';
export * from './duck/session';
export * from './formats/index';
export * from './ingest/index';
export * from './rules/index';
export * from './match/index';

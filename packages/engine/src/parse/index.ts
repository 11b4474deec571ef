export * from './amount-parse';
export * from './date-parse';
export * from './currency-scale';

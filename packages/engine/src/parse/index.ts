export * from './amount-parse';
export * from './date-parse';
export * from './currency-scale';
export * from './month-names';

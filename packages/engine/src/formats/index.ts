import type { BankFormat, BankReader } from '../core/statement';

/** Bank readers by format. Filled by the formats module. */
export const bankReaders: Partial<Record<BankFormat, BankReader>> = {};

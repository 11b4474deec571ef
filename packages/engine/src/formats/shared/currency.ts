import { currencyScale } from '../../parse/currency-scale';

/** ISO 4217 minor units of a currency code (2 when unknown or null); one table for the whole engine. */
export const currencyMinorUnits = currencyScale;

/** True for a three-letter upper-case currency code. */
export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code);

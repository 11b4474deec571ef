/**
 * ISO 4217 minor units for the currencies that do not use two decimals. Every other three-letter code
 * defaults to 2: that is what ISO 4217 says for nearly all currencies in use.
 */
const NON_DEFAULT_SCALES: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Scale used when a record has no currency or a currency not listed as different. */
export const DEFAULT_SCALE = 2;

/**
 * Number of decimals of a currency's minor unit (ISO 4217).
 * @example currencyScale('JPY') // 0
 * @example currencyScale('KWD') // 3
 * @example currencyScale(null) // 2
 */
export function currencyScale(currency: string | null): number {
  if (currency === null) return DEFAULT_SCALE;
  return NON_DEFAULT_SCALES[currency.toUpperCase()] ?? DEFAULT_SCALE;
}

/** The currencies whose scale is not the default, for building SQL `CASE` expressions. */
export const nonDefaultScales = (): ReadonlyArray<readonly [string, number]> =>
  Object.entries(NON_DEFAULT_SCALES);

/** Shape of a currency code after trimming and upper-casing. */
export const CURRENCY_PATTERN = '^[A-Z]{3}$';

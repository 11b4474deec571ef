// ISO 4217 minor units; every code not listed has 2 (including withdrawn codes such as DEM that had 2).
const MINOR_UNITS: Readonly<Record<string, number>> = {
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

/** ISO 4217 minor units of a currency code (2 when unknown or null). */
export function currencyMinorUnits(code: string | null): number {
  if (code === null) return 2;
  return MINOR_UNITS[code] ?? 2;
}

/** True for a three-letter upper-case currency code. */
export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code);

/**
 * Exact money. Amounts are signed integer minor units (cents for EUR/USD, 1 for JPY, 1/1000 for KWD...),
 * carried as `bigint` so no amount is ever rounded or limited to 2^53.
 */
declare const minorBrand: unique symbol;

/** A signed amount in integer minor units of its currency at a given scale. */
export type MinorUnits = bigint & { readonly [minorBrand]: 'MinorUnits' };

/** Brands a bigint as minor units. */
export const minor = (value: bigint): MinorUnits => value as MinorUnits;

/**
 * Formats minor units at a scale as a plain decimal string.
 * @example formatMinor(minor(-123456n), 2) // '-1234.56'
 */
export function formatMinor(value: MinorUnits, scale: number): string {
  const negative = value < 0n;
  const magnitude: bigint = negative ? -(value as bigint) : value;
  const digits = magnitude.toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  const fraction = scale === 0 ? '' : `.${digits.slice(-scale)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

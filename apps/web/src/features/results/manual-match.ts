/** Totals of the records picked on each side and what is left over (left − right), in minor units. */
export interface SelectionTotals {
  left: bigint;
  right: bigint;
  difference: bigint;
}

/** Sums picked amounts exactly (BigInt over the wire's decimal strings; unreadable amounts count as 0). */
export function selectionTotals(
  left: readonly { amount_minor: string }[],
  right: readonly { amount_minor: string }[],
): SelectionTotals {
  const sum = (records: readonly { amount_minor: string }[]) =>
    records.reduce(
      (total, record) => total + (/^-?\d+$/.test(record.amount_minor) ? BigInt(record.amount_minor) : 0n),
      0n,
    );
  const l = sum(left);
  const r = sum(right);
  return { left: l, right: r, difference: l - r };
}

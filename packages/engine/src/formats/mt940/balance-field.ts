import type { IsoDate } from '../../core/canonical';
import { isoDate } from '../shared/dates';
import { negate, parsePlainDecimal } from '../shared/decimal';
import type { DraftBalance } from '../shared/statement-builder';

// The currency is mandatory in SWIFT, but some exports leave it out (`C020315105000,00`): null then.
const BALANCE = /^([CD])(\d{6})([A-Z]{3})?(\d[\d,]*)$/;

/** Parses a `:60F:`/`:62F:`/`:64:` balance (`C160229EUR1200,00`), or null when it is not one. */
export function parseBalance(text: string): DraftBalance | null {
  const match = BALANCE.exec(text.trim());
  if (match === null) return null;
  const [, mark, yymmdd = '', currency, amountText = ''] = match;
  if ((amountText.match(/,/g) ?? []).length > 1) return null;
  const magnitude = parsePlainDecimal(amountText, ',');
  const yy = Number(yymmdd.slice(0, 2));
  const date: IsoDate | null = isoDate(
    yy < 80 ? 2000 + yy : 1900 + yy,
    Number(yymmdd.slice(2, 4)),
    Number(yymmdd.slice(4, 6)),
  );
  if (magnitude === null || date === null) return null;
  return { amount: mark === 'D' ? negate(magnitude) : magnitude, currency: currency ?? null, date };
}

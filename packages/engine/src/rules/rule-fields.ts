/**
 * Field references used by rules. Pure TypeScript: this module is imported by the web rule builder.
 * A field is one of the canonical text/date/amount columns or `extra.<column>` for a preserved source column.
 */

/** Canonical text columns a rule may compare. */
export const TEXT_FIELDS = [
  'external_id',
  'reference',
  'counterparty',
  'description',
  'account',
  'currency',
] as const;
/** Canonical date columns a date window may use. */
export const DATE_FIELDS = ['booking_date', 'value_date'] as const;

export type CanonicalTextField = (typeof TEXT_FIELDS)[number];
export type DateField = (typeof DATE_FIELDS)[number];
/** A preserved source column, e.g. `extra.payout_id`. */
export type ExtraField = `extra.${string}`;
/** Any text-valued field a comparison or blocking key may read. */
export type TextFieldRef = CanonicalTextField | ExtraField;

/** Text normalisers, applied in the order given. */
export const NORMALISERS = ['trim', 'case', 'strip_non_alphanumeric', 'remove_leading_zeros'] as const;
export type Normaliser = (typeof NORMALISERS)[number];

/** Text similarity algorithms (all computed inside DuckDB). */
export const SIMILARITY_ALGORITHMS = ['jaro_winkler', 'levenshtein', 'token_set', 'trigram'] as const;
export type SimilarityAlgorithm = (typeof SIMILARITY_ALGORITHMS)[number];

const EXTRA_PREFIX = 'extra.';

/** True when `value` names a text field a rule can read. */
export function isTextFieldRef(value: string): value is TextFieldRef {
  if ((TEXT_FIELDS as readonly string[]).includes(value)) return true;
  return value.startsWith(EXTRA_PREFIX) && value.length > EXTRA_PREFIX.length;
}

/** The preserved column name of an `extra.<column>` field, or null for a canonical field. */
export function extraColumnOf(field: TextFieldRef): string | null {
  return field.startsWith(EXTRA_PREFIX) ? field.slice(EXTRA_PREFIX.length) : null;
}

/** Number of capture groups in a JavaScript-compatible regular expression (throws when it does not compile). */
export function captureGroupCount(pattern: string): number {
  const match = new RegExp(`${pattern}|`).exec('');
  return match ? match.length - 1 : 0;
}

import { DATE_FIELDS, TEXT_FIELDS } from '@recon/engine/rules';
import type { DataSourceView } from '@recon/shared';
import { fieldLabel } from '../rules-describe';

/** One entry of a field picker. */
export interface FieldOption {
  value: string;
  label: string;
}

function stringsIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, into));
  else if (typeof value === 'object' && value !== null)
    Object.values(value).forEach((v) => stringsIn(v, into));
  return into;
}

/**
 * The preserved source columns of a data source: the profiled columns its mapping did not turn into a
 * canonical field (the engine keeps exactly those as `extra.<column>`). Bank formats have no profile.
 */
export function extraColumnsOf(source: Pick<DataSourceView, 'profile' | 'mapping'>): string[] {
  const used = stringsIn(source.mapping, new Set());
  const names = (source.profile ?? []).flatMap((column) =>
    typeof column.name === 'string' ? [column.name] : [],
  );
  return names.filter((name) => !used.has(name));
}

/** Text fields a comparison may read: the canonical ones, then extra columns known from the sources. */
export function textFieldOptions(extraColumns: readonly string[]): FieldOption[] {
  const canonical = TEXT_FIELDS.map((value) => ({ value, label: fieldLabel(value) }));
  const extra = [...new Set(extraColumns)].sort().map((column) => ({
    value: `extra.${column}`,
    label: fieldLabel(`extra.${column}`),
  }));
  return [...canonical, ...extra];
}

/** Date fields a date window may compare. */
export const DATE_FIELD_OPTIONS: FieldOption[] = DATE_FIELDS.map((value) => ({
  value,
  label: fieldLabel(value),
}));

/** Everything a blocking key may use: text and date fields. */
export function blockingFieldOptions(extraColumns: readonly string[]): FieldOption[] {
  return [...textFieldOptions(extraColumns), ...DATE_FIELD_OPTIONS];
}

/** Options that also keep a value the sources no longer list (an old rule naming a dropped column). */
export function withCurrent(options: FieldOption[], ...values: (string | undefined)[]): FieldOption[] {
  const known = new Set(options.map((o) => o.value));
  const missing = values.filter((v): v is string => v !== undefined && v !== '' && !known.has(v));
  return [...options, ...missing.map((value) => ({ value, label: fieldLabel(value) }))];
}

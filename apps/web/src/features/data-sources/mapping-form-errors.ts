import type { MappingFormErrors, MappingFormField } from './mapping-form';

/** Server field errors of a mapping, placed under the form's inputs. */

// Mapping paths (as the server reports them, after `mapping.`) → the input that edits them.
const PATH_TO_FIELD: Readonly<Record<string, MappingFormField>> = {
  amount: 'amount_column',
  'amount.column': 'amount_column',
  'amount.debit_column': 'debit_column',
  'amount.credit_column': 'credit_column',
  'amount.direction_column': 'direction_column',
  'amount.debit_values': 'debit_values',
  'amount.credit_values': 'credit_values',
  invert_sign: 'invert_sign',
  number_format: 'thousands_separator',
  'number_format.decimal_separator': 'decimal_separator',
  'number_format.thousands_separator': 'thousands_separator',
  currency: 'currency_fixed',
  'currency.column': 'currency_column',
  'currency.fixed': 'currency_fixed',
  booking_date: 'booking_date_column',
  'booking_date.column': 'booking_date_column',
  'booking_date.format': 'booking_date_format',
  'booking_date.month_names': 'booking_date_month_names',
  value_date: 'value_date_column',
  'value_date.column': 'value_date_column',
  'value_date.format': 'value_date_format',
  'value_date.month_names': 'value_date_month_names',
  external_id: 'external_id',
  reference: 'reference',
  counterparty: 'counterparty',
  description: 'description',
  account: 'account',
};

/**
 * Places the server's field errors (`mapping.amount.column`, `mapping.booking_date.format`, ...) under
 * the form's inputs; paths no input edits (e.g. `mapping.amount.0`) land in `_form` with their path.
 */
export function formErrorsFromServer(
  errors: readonly { path: string; message: string }[],
): MappingFormErrors {
  const out: MappingFormErrors = {};
  for (const error of errors) {
    const path = error.path.replace(/^mapping\.?/, '');
    // Deeper paths (`amount.debit_values.0`) belong to the nearest input that edits them.
    let key = path;
    while (key !== '' && PATH_TO_FIELD[key] === undefined)
      key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '';
    const field = PATH_TO_FIELD[key];
    if (field === undefined) {
      const line = path === '' ? error.message : `${path}: ${error.message}`;
      out._form = out._form === undefined ? line : `${out._form}; ${line}`;
    } else {
      out[field] ??= error.message;
    }
  }
  return out;
}

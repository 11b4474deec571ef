import {
  Autocomplete,
  Checkbox,
  Fieldset,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import {
  COMMON_DATE_FORMATS,
  MONTH_NAME_LANGUAGES,
  usesMonthNames,
  type AmountKind,
  type MappingFormErrors,
  type MappingFormField,
  type MappingFormState,
} from './mapping-form';

interface FormProps {
  state: MappingFormState;
  errors: MappingFormErrors;
  columns: readonly string[];
  /** Sample values by column (profile or raw rows). */
  samplesOf: (column: string | null) => string[];
  onChange: (patch: Partial<MappingFormState>) => void;
}

const AMOUNT_LAYOUTS: { value: AmountKind; label: string; hint: string }[] = [
  { value: 'signed', label: 'One signed column', hint: 'money in positive, money out negative' },
  { value: 'debit_credit', label: 'Debit and credit columns', hint: 'one of the two is filled per row' },
  { value: 'direction', label: 'Amount and direction column', hint: 'e.g. D/C, DR/CR, S/H' },
];

const DECIMALS = [
  { value: '.', label: 'Point  1234.56' },
  { value: ',', label: 'Comma  1234,56' },
];
const THOUSANDS = [
  { value: '', label: 'None  1234' },
  { value: ',', label: 'Comma  1,234' },
  { value: '.', label: 'Point  1.234' },
  { value: ' ', label: 'Space  1 234' },
  { value: "'", label: "Apostrophe  1'234" },
];

/** Sample values under a column select, so a person sees what the chosen column holds. */
function describeSamples(samples: string[]): string | undefined {
  return samples.length === 0 ? undefined : `e.g. ${samples.map((s) => `“${s}”`).join(' · ')}`;
}

function ColumnSelect({
  field,
  label,
  required = false,
  props,
}: {
  field: MappingFormField;
  label: string;
  required?: boolean;
  props: FormProps;
}) {
  const value = props.state[field];
  const chosen = typeof value === 'string' ? value : null;
  // A saved column the file lacks stays visible (with its error) instead of silently vanishing.
  const data =
    chosen !== null && !props.columns.includes(chosen) ? [...props.columns, chosen] : [...props.columns];
  return (
    <Select
      label={label}
      placeholder={required ? 'Choose a column' : 'Not in this file'}
      data={data}
      value={chosen}
      clearable={!required}
      searchable
      withAsterisk={required}
      description={describeSamples(props.samplesOf(chosen))}
      error={props.errors[field]}
      onChange={(next) => {
        props.onChange({ [field]: next });
      }}
    />
  );
}

function DateFields({ which, props }: { which: 'booking_date' | 'value_date'; props: FormProps }) {
  const column = `${which}_column` as const;
  const format = `${which}_format` as const;
  const language = `${which}_month_names` as const;
  return (
    <SimpleGrid cols={{ base: 1, sm: usesMonthNames(props.state[format]) ? 3 : 2 }}>
      <ColumnSelect
        field={column}
        label={which === 'booking_date' ? 'Booking date' : 'Value date'}
        props={props}
      />
      <Autocomplete
        label="Date format"
        description="Tokens YYYY YY MMMM MMM MM M DD D HH mm ss, or ISO"
        placeholder="DD.MM.YYYY"
        data={[...COMMON_DATE_FORMATS]}
        value={props.state[format]}
        disabled={props.state[column] === null}
        error={props.state[column] === null ? undefined : props.errors[format]}
        onChange={(next) => {
          props.onChange({ [format]: next });
        }}
      />
      {usesMonthNames(props.state[format]) && (
        <Select
          label="Month names in"
          data={MONTH_NAME_LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
          value={props.state[language]}
          allowDeselect={false}
          error={props.errors[language]}
          onChange={(next) => {
            const found = MONTH_NAME_LANGUAGES.find((l) => l.value === next);
            if (found) props.onChange({ [language]: found.value });
          }}
        />
      )}
    </SimpleGrid>
  );
}

/** The column-mapping form: one input per canonical field, each with the file's columns to choose from. */
export function MappingFormFields(props: FormProps) {
  const { state, errors, onChange } = props;
  return (
    <Stack gap="md">
      <Fieldset legend="Amount">
        <Stack gap="sm">
          <Radio.Group
            label="Layout"
            value={state.amount_kind}
            onChange={(kind) => {
              const layout = AMOUNT_LAYOUTS.find((l) => l.value === kind);
              if (layout) onChange({ amount_kind: layout.value });
            }}
          >
            <Stack gap={6} mt={4}>
              {AMOUNT_LAYOUTS.map((layout) => (
                <Radio
                  key={layout.value}
                  value={layout.value}
                  label={layout.label}
                  description={layout.hint}
                />
              ))}
            </Stack>
          </Radio.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {state.amount_kind === 'debit_credit' ? (
              <>
                <ColumnSelect field="debit_column" label="Debit column (money out)" required props={props} />
                <ColumnSelect field="credit_column" label="Credit column (money in)" required props={props} />
              </>
            ) : (
              <ColumnSelect
                field="amount_column"
                label={state.amount_kind === 'signed' ? 'Amount column' : 'Amount column (unsigned)'}
                required
                props={props}
              />
            )}
            {state.amount_kind === 'direction' && (
              <ColumnSelect field="direction_column" label="Direction column" required props={props} />
            )}
          </SimpleGrid>
          {state.amount_kind === 'direction' && (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Debit values"
                description="Comma-separated, case-insensitive"
                value={state.debit_values}
                error={errors.debit_values}
                onChange={(e) => {
                  onChange({ debit_values: e.currentTarget.value });
                }}
              />
              <TextInput
                label="Credit values"
                description="Comma-separated, case-insensitive"
                value={state.credit_values}
                error={errors.credit_values}
                onChange={(e) => {
                  onChange({ credit_values: e.currentTarget.value });
                }}
              />
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Decimal separator"
              data={DECIMALS}
              value={state.decimal_separator}
              allowDeselect={false}
              error={errors.decimal_separator}
              onChange={(next) => {
                if (next === '.' || next === ',') onChange({ decimal_separator: next });
              }}
            />
            <Select
              label="Thousands separator"
              data={THOUSANDS}
              value={state.thousands_separator}
              allowDeselect={false}
              error={errors.thousands_separator}
              onChange={(next) => {
                const found = THOUSANDS.find((t) => t.value === next);
                if (found)
                  onChange({ thousands_separator: found.value as MappingFormState['thousands_separator'] });
              }}
            />
          </SimpleGrid>
          <Checkbox
            label="Invert the sign of every amount (read the file from the other party's side)"
            checked={state.invert_sign}
            onChange={(e) => {
              onChange({ invert_sign: e.currentTarget.checked });
            }}
          />
        </Stack>
      </Fieldset>
      <Fieldset legend="Currency">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <ColumnSelect field="currency_column" label="Currency column" props={props} />
          <TextInput
            label="Fixed currency"
            description={
              state.currency_column === null ? 'Used for every row' : 'Used where the column is empty'
            }
            placeholder="EUR"
            maxLength={3}
            value={state.currency_fixed}
            error={errors.currency_fixed}
            onChange={(e) => {
              onChange({ currency_fixed: e.currentTarget.value.toUpperCase() });
            }}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Dates">
        <Stack gap="sm">
          <DateFields which="booking_date" props={props} />
          <DateFields which="value_date" props={props} />
        </Stack>
      </Fieldset>
      <Fieldset legend="Identifiers and text">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <ColumnSelect field="external_id" label="External id" props={props} />
          <ColumnSelect field="reference" label="Reference" props={props} />
          <ColumnSelect field="counterparty" label="Counterparty" props={props} />
          <ColumnSelect field="description" label="Description" props={props} />
          <ColumnSelect field="account" label="Account" props={props} />
        </SimpleGrid>
      </Fieldset>
      {errors._form && (
        <Text size="sm" c="red.7" role="alert">
          {errors._form}
        </Text>
      )}
    </Stack>
  );
}

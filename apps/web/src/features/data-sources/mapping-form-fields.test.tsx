import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { formFromMapping, validateMappingForm, type MappingFormState } from './mapping-form';
import { MappingFormFields } from './mapping-form-fields';

const COLUMNS = ['Datum', 'Betrag', 'Soll', 'Haben'];
const SAMPLES: Record<string, string[]> = { Betrag: ['-1.250', '3.400'], Datum: ['01/02/2024'] };

function renderForm(state: MappingFormState, onChange = vi.fn()) {
  render(
    <MantineProvider>
      <MappingFormFields
        state={state}
        errors={validateMappingForm(state, COLUMNS)}
        columns={COLUMNS}
        samplesOf={(column) => (column === null ? [] : (SAMPLES[column] ?? []))}
        onChange={onChange}
      />
    </MantineProvider>,
  );
  return onChange;
}

const detected = formFromMapping({
  amount: { kind: 'signed', column: 'Betrag' },
  booking_date: { column: 'Datum', format: 'DD/MM/YYYY' },
});

// Mantine renders a full form per test; on a busy two-core machine that takes seconds.
describe('MappingFormFields', { timeout: 30_000 }, () => {
  it('shows the chosen columns with their sample values', () => {
    renderForm(detected);
    expect(screen.getByRole<HTMLInputElement>('combobox', { name: /^Amount column/ }).value).toBe('Betrag');
    expect(screen.getByText('e.g. “-1.250” · “3.400”').textContent).toBe('e.g. “-1.250” · “3.400”');
    expect(screen.getAllByText('e.g. “01/02/2024”')).toHaveLength(1);
  });

  it('reports the amount layout chosen with its radio button', () => {
    const onChange = renderForm(detected);
    fireEvent.click(screen.getByLabelText(/Debit and credit columns/));
    expect(onChange).toHaveBeenCalledWith({ amount_kind: 'debit_credit' });
  });

  it('puts validation messages next to the inputs they concern', () => {
    renderForm({
      ...detected,
      amount_kind: 'debit_credit',
      debit_column: 'Soll',
      credit_column: 'Soll',
      currency_fixed: 'EU',
    });
    const credit = screen.getByRole('combobox', { name: /^Credit column/ });
    const message = document.getElementById(
      credit
        .getAttribute('aria-describedby')
        ?.split(' ')
        .find((id) => id.endsWith('-error')) ?? '',
    );
    expect(message?.textContent).toBe('debit and credit must be two different columns');
    expect(screen.getAllByText('a three-letter ISO 4217 code such as EUR')).toHaveLength(1);
    expect(screen.queryByRole('combobox', { name: /^Amount column/ })).toBeNull();
  });

  it('reports a typed date format and upper-cases a fixed currency', () => {
    const onChange = renderForm(detected);
    fireEvent.change(screen.getAllByRole('combobox', { name: /^Date format/ })[0] as HTMLElement, {
      target: { value: 'DD.MM.YYYY' },
    });
    expect(onChange).toHaveBeenCalledWith({ booking_date_format: 'DD.MM.YYYY' });
    fireEvent.change(screen.getByRole('textbox', { name: /^Fixed currency/ }), { target: { value: 'eur' } });
    expect(onChange).toHaveBeenCalledWith({ currency_fixed: 'EUR' });
  });
});

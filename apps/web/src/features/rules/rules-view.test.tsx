import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RulesView } from './rules-view';

describe('RulesView', () => {
  it('lists each pass with its comparisons and the thresholds', () => {
    render(
      <MantineProvider>
        <RulesView
          label="Proposed passes"
          rules={{
            confidence_threshold: 0.7,
            auto_confirm_threshold: 0.95,
            passes: [
              { name: 'exact reference', comparisons: [{ type: 'exact', field: 'reference' }] },
              {
                name: 'amount and date',
                comparisons: [
                  { type: 'amount', tolerance_minor: 0 },
                  { type: 'date', min_days: 0, max_days: 3 },
                ],
              },
            ],
          }}
        />
      </MantineProvider>,
    );
    const passes = within(screen.getByRole('list', { name: 'Proposed passes' })).getAllByRole('listitem', {
      name: '',
    });
    expect(passes.length).toBeGreaterThanOrEqual(2);
    expect(screen.getByText('1. Exact reference')).toBeTruthy();
    expect(screen.getByText('Booking date right 0 to 3 days after left')).toBeTruthy();
    expect(screen.getByText(/at least 0.7\./)).toBeTruthy();
  });

  it('says so when the rules have no passes', () => {
    render(
      <MantineProvider>
        <RulesView label="Empty" rules={{}} />
      </MantineProvider>,
    );
    expect(screen.getByText('These rules have no readable passes.')).toBeTruthy();
  });
});

import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RuleVersions } from './rule-versions';

const pass = (maxDays: number) => ({
  name: 'dates',
  comparisons: [{ type: 'amount' }, { type: 'date', min_days: 0, max_days: maxDays }],
});
const VERSIONS = [
  {
    version: 2,
    rules: { version: 1, passes: [pass(3)] },
    created_by: null,
    created_at: '2026-01-02T10:00:00Z',
  },
  {
    version: 1,
    rules: { version: 1, passes: [pass(0)] },
    created_by: null,
    created_at: '2026-01-01T10:00:00Z',
  },
];

function renderVersions(shown: number, compareWith: number | null) {
  render(
    <MantineProvider>
      <RuleVersions
        name="Bank"
        versions={VERSIONS}
        shown={shown}
        compareWith={compareWith}
        onShow={() => undefined}
        onCompare={() => undefined}
      />
    </MantineProvider>,
  );
}

describe('RuleVersions', () => {
  it('lists every version, newest marked current, and no diff until asked', () => {
    renderVersions(2, null);
    const items = within(screen.getByRole('list', { name: 'Versions of Bank' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/^v2 · .* · current$/),
      expect.not.stringContaining('current'),
    ]);
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('shows the changes from the older to the newer version whichever is on screen', () => {
    renderVersions(1, 2);
    const diff = screen.getByRole('region', { name: 'Changes of Bank from version 1 to version 2' });
    expect(diff.textContent).toContain(
      'Comparison 2: Booking date right 0 to 3 days after left (was: Booking date on the same day)',
    );
  });
});

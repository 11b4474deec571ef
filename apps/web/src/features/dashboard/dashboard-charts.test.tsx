import { MantineProvider } from '@mantine/core';
import type { Dashboard } from '@recon/shared';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { theme } from '../../app/theme';
import DashboardCharts from './dashboard-charts';

const dashboard: Dashboard = {
  totals: { users: 1, projects: 1, jobs: 0, data_sources: 0 },
  jobs_by_status: {},
  outcomes: {
    matched: 0,
    matched_amounts: [],
    matched_mixed_currency: 0,
    suggested: 0,
    suggested_amounts: [],
    suggested_mixed_currency: 0,
    unmatched: 0,
    unmatched_amounts: [],
    match_rate: null,
    auto_match_rate: null,
  },
  rates_over_time: [],
  performance: { request_rate_per_second: 0, latency_ms: { p50: 0, p95: 0, p99: 0 }, error_rate: 0 },
  recent_activity: [],
  generated_at: '2026-01-01T00:00:00.000Z',
};

function renderCharts(ageing: Parameters<typeof DashboardCharts>[0]['ageing'], onRetry = vi.fn()) {
  render(
    <MantineProvider theme={theme}>
      <DashboardCharts dashboard={dashboard} ageing={ageing} onRetryAgeing={onRetry} />
    </MantineProvider>,
  );
  return screen.getByRole('region', { name: 'Exception ageing' });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('exception ageing', () => {
  it('draws a bar for each bucket with open exceptions and says how many are open', () => {
    // jsdom has no layout: give the chart's container the size a browser would.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 480, 200));
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(480);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(200);
    const section = renderCharts([
      {
        bucket: '0-7',
        count: 4,
        amounts: [
          { currency: 'EUR', scale: 2, count: 3, amount: '12500' },
          { currency: 'JPY', scale: 0, count: 1, amount: '990' },
        ],
      },
      { bucket: '8-30', count: 2, amounts: [{ currency: 'EUR', scale: 2, count: 2, amount: '990' }] },
      { bucket: '31-90', count: 0, amounts: [] },
      { bucket: '90+', count: 1, amounts: [{ currency: null, scale: 2, count: 1, amount: '300' }] },
    ]);
    // Tick labels thin out without real text metrics; the last bucket is always labelled.
    expect(section.textContent).toContain('90+');
    expect(section.textContent).toContain('7 open');
    // Each currency on its own: 125.00 EUR and 990 JPY, never 12,500 + 990 added up.
    const rows = within(
      screen.getByRole('table', { name: 'Open exceptions by age and currency' }),
    ).getAllByRole('row');
    expect(rows.map((row) => row.textContent)).toEqual([
      'Days openCountAmount (absolute)',
      '0-74125.00 EUR · 990 JPY',
      '8-3029.90 EUR',
      '90+13.00 no currency',
    ]);
    expect(section.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThanOrEqual(3);
  }, 20_000);

  it('says so when nothing is open', () => {
    expect(renderCharts([{ bucket: '0-7', count: 0, amounts: [] }]).textContent).toContain(
      'No open exceptions.',
    );
  });

  it('shows a placeholder while loading', () => {
    expect(renderCharts(undefined).querySelector('[aria-label="Loading exception ageing"]')).not.toBeNull();
  });

  it('offers a retry when it could not be loaded', async () => {
    const onRetry = vi.fn();
    const section = renderCharts(null, onRetry);
    expect(section.textContent).toContain('could not be loaded');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});

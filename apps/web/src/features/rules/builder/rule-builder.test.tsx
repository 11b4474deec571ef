import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { RuleSetView } from '@recon/shared';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RuleBuilder } from './rule-builder';

const PROJECT = '11111111-1111-4111-8111-111111111111';
const BANK = '22222222-2222-4222-8222-222222222222';
const LEDGER = '33333333-3333-4333-8333-333333333333';

function source(id: string, name: string, columns: string[]) {
  return {
    id,
    name,
    status: 'ready',
    mapping: { amount: { kind: 'signed', column: 'Amount' }, reference: 'Reference' },
    profile: columns.map((column) => ({ name: column })),
  };
}

const DRY_RUN = {
  passes: [
    {
      index: 0,
      name: 'dates',
      kind: 'one_to_one',
      matches: 3,
      auto: 2,
      suggested: 1,
      left_records: 3,
      right_records: 3,
    },
  ],
  matches: 3,
  auto: 2,
  suggested: 1,
  left: { records: 5, available: 5, matched: 3, auto: 2, suggested: 1, unmatched: 2, match_rate: 0.6 },
  right: { records: 4, available: 4, matched: 3, auto: 2, suggested: 1, unmatched: 1, match_rate: 0.75 },
  match_rate: 6 / 9,
  sampled: false,
  sample_limit: 50_000,
  elapsed_ms: 42,
};

const RULE_SET: RuleSetView = {
  id: '44444444-4444-4444-8444-444444444444',
  project_id: PROJECT,
  name: 'Bank vs ledger',
  description: '',
  version: 1,
  rules: {
    version: 1,
    passes: [
      { name: 'dates', comparisons: [{ type: 'amount' }, { type: 'date', min_days: 0, max_days: 2 }] },
    ],
  },
  created_by: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

/** The outside world: the API server, answering the few routes the builder calls. */
const requests: { method: string; url: string; body: unknown }[] = [];
function serve(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = input instanceof Request ? input.url : input.toString();
  const method = init?.method ?? 'GET';
  const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
  requests.push({ method, url, body });
  if (url.endsWith('/api/auth/csrf')) return Promise.resolve(json({ csrf_token: 'token' }));
  if (url.endsWith('/data-sources'))
    return Promise.resolve(
      json({
        items: [
          source(BANK, 'bank.csv', ['Reference', 'Amount', 'payout_id']),
          source(LEDGER, 'ledger.csv', []),
        ],
      }),
    );
  if (url.endsWith('/rule-sets/dry-run')) return Promise.resolve(json(DRY_RUN));
  if (method === 'PUT' || url.endsWith('/rule-sets')) {
    return Promise.resolve(
      json(
        {
          type: 'urn:recon:error:RULE_SET_INVALID',
          title: 'The rule set is not valid',
          status: 400,
          detail: 'The rule set has 1 problem(s)',
          code: 'RULE_SET_INVALID',
          errors: [
            { in: 'body', field: 'rules.passes.0.name', message: 'pass "dates": reserved by the server' },
          ],
        },
        400,
        'application/problem+json',
      ),
    );
  }
  return Promise.resolve(json({}, 404));
}

function renderBuilder(ruleSet?: RuleSetView) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const onClose = vi.fn();
  render(
    <QueryClientProvider client={client}>
      <MantineProvider>
        <RuleBuilder projectId={PROJECT} {...(ruleSet ? { ruleSet } : {})} canSave onClose={onClose} />
      </MantineProvider>
    </QueryClientProvider>,
  );
  return onClose;
}

async function pick(label: string, option: string) {
  await waitFor(() => {
    expect(requests.some((r) => r.url.endsWith('/data-sources'))).toBe(true);
  });
  const input = screen.getByRole('combobox', { name: label });
  await userEvent.click(input);
  await userEvent.click(await findOption(input, option));
}

/** An option of the dropdown this input controls (jsdom never finishes Mantine's opening transition). */
async function findOption(input: HTMLElement, name: string): Promise<HTMLElement> {
  return waitFor(() => {
    const listbox = document.getElementById(input.getAttribute('aria-controls') ?? '');
    if (listbox === null) throw new Error(`no dropdown for ${input.id}`);
    return within(listbox).getByRole('option', { name, hidden: true });
  });
}

beforeEach(() => {
  // jsdom has no layout: Mantine scrolls the selected option into view when a dropdown opens.
  if (typeof Element.prototype.scrollIntoView !== 'function')
    Element.prototype.scrollIntoView = () => undefined;
  requests.length = 0;
  vi.stubGlobal('fetch', vi.fn(serve));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('RuleBuilder', { timeout: 60_000 }, () => {
  it('shows the date window problem next to the field and blocks saving until it is fixed', async () => {
    renderBuilder(RULE_SET);
    const to = screen.getByRole('textbox', { name: 'To (days)' });
    await userEvent.clear(to);
    await userEvent.type(to, '-3');
    expect(await screen.findByText('min_days must not exceed max_days')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'From (days)' }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Save as new version' })).toHaveProperty('disabled', true);
    await userEvent.clear(to);
    await userEvent.type(to, '5');
    await waitFor(() => {
      expect(screen.queryByText('min_days must not exceed max_days')).toBeNull();
    });
    expect(screen.getByRole('button', { name: 'Save as new version' })).toHaveProperty('disabled', false);
  });

  it('puts a server field error under the pass field it names', async () => {
    renderBuilder(RULE_SET);
    await userEvent.click(screen.getByRole('button', { name: 'Save as new version' }));
    expect(await screen.findByText('reserved by the server')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Pass name' }).getAttribute('aria-invalid')).toBe('true');
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({ name: 'Bank vs ledger', rules: { passes: [{ name: 'dates' }] } });
    // The first edit makes the server's answer stale.
    await userEvent.type(screen.getByRole('textbox', { name: 'Pass name' }), ' 2');
    await waitFor(() => {
      expect(screen.queryByText('reserved by the server')).toBeNull();
    });
  });

  it('dry-runs the rules on the chosen sources and shows the counts next to them', async () => {
    renderBuilder(RULE_SET);
    expect(screen.getByRole('button', { name: 'Dry run' })).toHaveProperty('disabled', true);
    await pick('Left data source', 'bank.csv');
    await pick('Right data source', 'ledger.csv');
    await userEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    const counts = await screen.findByRole('region', { name: 'Dry run counts' });
    expect(within(counts).getByText('Match rate 66.7%')).toBeTruthy();
    expect(within(counts).getByRole('row', { name: /1\. dates 3 2 1/ })).toBeTruthy();
    expect(within(counts).getByRole('row', { name: /Left 5 3 2/ })).toBeTruthy();
    const sent = requests.find((r) => r.url.endsWith('/dry-run'));
    expect(sent?.body).toMatchObject({
      left_data_source_id: BANK,
      right_data_source_id: LEDGER,
      rules: { passes: [{ comparisons: [{ type: 'amount' }, { type: 'date', max_days: 2 }] }] },
    });
    // Editing afterwards marks the counts as describing the previous rules.
    await userEvent.type(screen.getByRole('textbox', { name: 'Pass name' }), 'x');
    expect(within(counts).getByText('Rules changed since this run')).toBeTruthy();
  });

  it('offers the extra columns of the chosen sources in the field pickers', async () => {
    renderBuilder();
    await pick('Left data source', 'bank.csv');
    const field = screen.getAllByRole('combobox', { name: 'Field' })[0] as HTMLElement;
    await userEvent.click(field);
    expect(await findOption(field, 'column "payout_id"')).toBeTruthy();
    await expect(findOption(field, 'column "Reference"')).rejects.toThrow();
  });
});

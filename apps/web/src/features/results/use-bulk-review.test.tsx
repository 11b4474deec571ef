import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BulkAction } from './bulk-review';
import type { BulkRun } from './use-bulk-review';
import { useBulkReview } from './use-bulk-review';

interface Row {
  id: number;
  version: number;
}

/** The server: answers the CSRF token, then each bulk request in turn from `answers`. */
function fakeServer(answers: { status: number; body: unknown }[]) {
  const bodies: { actions: BulkAction[] }[] = [];
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const json = (status: number, body: unknown) =>
      Promise.resolve(
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
        }),
      );
    if (url.endsWith('/api/auth/csrf')) return json(200, { csrf_token: 'token' });
    const text = typeof init?.body === 'string' ? init.body : '';
    bodies.push(JSON.parse(text) as { actions: BulkAction[] });
    const answer = answers.shift() ?? { status: 500, body: {} };
    return json(answer.status, answer.body);
  });
  vi.stubGlobal('fetch', fetch);
  return bodies;
}

const stale = {
  type: 'about:blank',
  title: 'The item was changed by someone else; reload and try again',
  status: 409,
  code: 'STALE_VERSION',
  detail: 'The match is at version 2; reload it and try again',
};

function Harness({ fresh, onDone }: { fresh: Row[]; onDone: (run: BulkRun) => void }) {
  const bulk = useBulkReview<Row>('job-1', {
    refetch: () => Promise.resolve(fresh),
    keyOf: (row) => String(row.id),
    versionOf: (row) => row.version,
    describe: (key) => `match ${key}`,
  });
  const actions: BulkAction[] = Array.from({ length: 600 }, (_, index) => ({
    type: 'confirm',
    match_id: index + 1,
    version: 1,
  }));
  return (
    <div>
      <button type="button" onClick={() => void bulk.run(actions).then(onDone)}>
        run
      </button>
      {bulk.problems.map((problem) => (
        <p key={problem}>{problem}</p>
      ))}
    </div>
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('bulk review runner', { timeout: 30_000 }, () => {
  it('sends 500 at a time and names the rows a colleague changed when a request is stale', async () => {
    const bodies = fakeServer([
      { status: 200, body: { applied: 500 } },
      { status: 409, body: stale },
    ]);
    // Row 502 moved to version 2 and row 599 left the list; the rest are as the person saw them.
    const fresh = Array.from({ length: 600 }, (_, index) => ({
      id: index + 1,
      version: index === 501 ? 2 : 1,
    })).filter((row) => row.id !== 599);
    const onDone = vi.fn<(run: BulkRun) => void>();
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MantineProvider>
          <Harness fresh={fresh} onDone={onDone} />
        </MantineProvider>
      </QueryClientProvider>,
    );
    await act(async () => {
      screen.getByRole('button', { name: 'run' }).click();
      await vi.waitFor(() => {
        expect(onDone).toHaveBeenCalled();
      });
    });
    expect(bodies.map((body) => body.actions.length)).toEqual([500, 100]);
    const run = onDone.mock.calls[0]?.[0];
    expect(run?.applied).toHaveLength(500);
    expect(run?.failed).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 501)));
    expect(
      screen.getByText(/Batch 2 of 2 was not applied: match 502, match 599 changed meanwhile/),
    ).toBeTruthy();
  });
});

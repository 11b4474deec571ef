import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, CLIENT_ERROR_CODES } from '../api/api-error';
import { theme } from '../app/theme';
import { OfflineBanner } from './offline-banner';

const networkError = new ApiError({
  status: 0,
  code: CLIENT_ERROR_CODES.network,
  title: 'Network error',
  detail: 'Could not reach the server.',
});
const notFound = new ApiError({ status: 404, code: 'PROJECT_NOT_FOUND', title: 'Not found', detail: 'No.' });

function renderBanner() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <OfflineBanner />
      </QueryClientProvider>
    </MantineProvider>,
  );
  const run = (key: string, outcome: () => Promise<unknown>) =>
    act(async () => {
      await queryClient.query({ queryKey: [key], queryFn: outcome }).catch(() => undefined);
    });
  return { run };
}

function setOnline(isOnline: boolean) {
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(isOnline);
  act(() => {
    window.dispatchEvent(new Event(isOnline ? 'online' : 'offline'));
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('OfflineBanner', () => {
  it('says so while the browser is offline and goes away when it is back', () => {
    renderBanner();
    expect(screen.queryByRole('status')).toBeNull();
    setOnline(false);
    expect(screen.getByRole('status').textContent).toContain('You are offline');
    setOnline(true);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('flags the server unreachable when requests fail for want of it, and clears on the next answer', async () => {
    const { run } = renderBanner();
    await run('a', () => Promise.reject(networkError));
    expect(screen.getByRole('status').textContent).toContain('The server cannot be reached');
    await run('b', () => Promise.resolve({ ok: true }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('does not take a refusal for an outage', async () => {
    const { run } = renderBanner();
    await run('a', () => Promise.reject(notFound));
    expect(screen.queryByRole('status')).toBeNull();
  });
});

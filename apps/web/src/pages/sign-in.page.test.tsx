import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryClient } from '../api/query-client';
import { theme } from '../app/theme';
import { SignInPage } from './sign-in.page';

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

type Handler = (init: RequestInit | undefined) => Response;

// The server is the outside world here: a scripted fetch answering by method and path.
function serve(routes: Record<string, Handler>) {
  const seen: string[] = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${urlOf(input)}`;
    seen.push(key);
    const handler = routes[key];
    if (!handler) return Promise.reject(new TypeError(`no route for ${key}`));
    return Promise.resolve(handler(init));
  });
  return seen;
}

const problem = (status: number, code: string, detail: string) => () =>
  new Response(
    JSON.stringify({
      type: `urn:recon:error:${code}`,
      title: detail,
      status,
      detail,
      code,
      request_id: 'req-9',
      errors: [],
    }),
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

function renderSignIn() {
  const router = createMemoryRouter(
    [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/projects', element: <p>projects screen</p> },
    ],
    { initialEntries: ['/sign-in?next=/projects'] },
  );
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const signedOut = {
  'GET /api/auth/csrf': () =>
    new Response(JSON.stringify({ csrf_token: 't' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    }),
  'GET /api/auth/me': problem(401, 'UNAUTHENTICATED', 'Authentication is required'),
  'POST /api/auth/refresh': problem(401, 'REFRESH_TOKEN_INVALID', 'The refresh token is invalid or expired'),
};

describe('SignInPage', () => {
  beforeEach(() => {
    queryClient.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('asks for both inputs without calling the server', async () => {
    const seen = serve(signedOut);
    renderSignIn();
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Enter your email address')).toBeTruthy();
    expect(screen.getByText('Enter your password')).toBeTruthy();
    expect(seen.some((key) => key.includes('/api/auth/login'))).toBe(false);
  });

  it('shows the server’s problem detail when the password is wrong', async () => {
    serve({
      ...signedOut,
      'POST /api/auth/login': problem(401, 'INVALID_CREDENTIALS', 'Email or password is wrong'),
    });
    renderSignIn();
    await userEvent.type(await screen.findByRole('textbox', { name: 'Email' }), 'ana@example.com');
    await userEvent.type(screen.getByLabelText(/^Password/), 'wrong password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Email or password is wrong');
    expect(alert.textContent).toContain('req-9');
  });

  it('goes to the requested page once signed in', async () => {
    const user = {
      id: '7b0e6c1e-0000-4000-8000-000000000001',
      email: 'ana@example.com',
      name: 'Ana',
      role: 'user',
      status: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      last_login_at: null,
    };
    serve({
      ...signedOut,
      'POST /api/auth/login': () =>
        new Response(
          JSON.stringify({
            token_type: 'Bearer',
            access_token: 'a',
            expires_in: 900,
            refresh_token: 'r',
            refresh_expires_in: 1,
            user,
          }),
          {
            status: 200,
            headers: { 'content-type': 'application/json' },
          },
        ),
    });
    renderSignIn();
    await userEvent.type(await screen.findByRole('textbox', { name: 'Email' }), 'Ana@Example.com');
    await userEvent.type(screen.getByLabelText(/^Password/), 'a good passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('projects screen')).toBeTruthy();
  });
});

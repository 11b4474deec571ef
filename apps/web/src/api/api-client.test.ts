import { describe, expect, it } from 'vitest';
import { createApiClient } from './api-client';
import { ApiError, CLIENT_ERROR_CODES } from './api-error';

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

function problem(status: number, code: string, detail: string, errors: unknown[] = []): Response {
  return json(
    status,
    { type: `urn:recon:error:${code}`, title: 'Title', status, detail, code, request_id: 'req-1', errors },
    'application/problem+json',
  );
}

/** A scripted server: answers in order, records what the client sent. */
function fakeServer(...answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    calls.push({
      url: urlOf(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    const next = answers.shift();
    if (next === undefined) throw new Error('unexpected request');
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { calls, fetchFn };
}

describe('createApiClient', () => {
  it('sends JSON with cookies and returns the parsed body', async () => {
    const server = fakeServer(json(201, { id: 'p1', name: 'Bank' }));
    const api = createApiClient({ fetch: server.fetchFn });
    const created = await api.post<{ id: string }>('/api/projects', { name: 'Bank' });
    expect(created).toEqual({ id: 'p1', name: 'Bank' });
    expect(server.calls[0]?.method).toBe('POST');
    expect(server.calls[0]?.headers.get('content-type')).toBe('application/json');
    expect(server.calls[0]?.body).toBe('{"name":"Bank"}');
  });

  it('adds query parameters and leaves out undefined ones', async () => {
    const server = fakeServer(json(200, { items: [] }));
    const api = createApiClient({ fetch: server.fetchFn });
    await api.get('/api/users', { query: { limit: 50, offset: 0, status: undefined } });
    expect(server.calls[0]?.url).toBe('/api/users?limit=50&offset=0');
  });

  it('turns problem+json into an ApiError with code, detail, request id and field errors', async () => {
    const server = fakeServer(
      problem(400, 'VALIDATION_FAILED', 'The request is not valid', [
        { in: 'body', field: 'name', message: 'Too short' },
        { in: 'body', field: 'members.0.role', message: 'Unknown role' },
      ]),
    );
    const api = createApiClient({ fetch: server.fetchFn });
    const error = await api.post('/api/projects', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.code).toBe('VALIDATION_FAILED');
    expect(apiError.status).toBe(400);
    expect(apiError.detail).toBe('The request is not valid');
    expect(apiError.requestId).toBe('req-1');
    expect(apiError.fieldError('name')).toBe('Too short');
    expect(apiError.fieldError('members.0.role')).toBe('Unknown role');
  });

  it('reports an answer that is not problem+json by its status, not as a crash', async () => {
    const server = fakeServer(
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const api = createApiClient({ fetch: server.fetchFn });
    const error = (await api.get('/api/projects').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe(CLIENT_ERROR_CODES.http);
    expect(error.status).toBe(502);
    expect(error.detail).toContain('502');
  });

  it('reports an unreachable server as a network error', async () => {
    const server = fakeServer(new TypeError('Failed to fetch'));
    const api = createApiClient({ fetch: server.fetchFn });
    const error = (await api.get('/api/projects').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe(CLIENT_ERROR_CODES.network);
    expect(error.status).toBe(0);
  });

  it('refreshes the session once on 401 and retries the request', async () => {
    const server = fakeServer(
      problem(401, 'INVALID_TOKEN', 'The token is invalid or expired'),
      json(200, { token_type: 'Bearer' }),
      json(200, { items: ['p1'] }),
    );
    let expired = 0;
    const api = createApiClient({ fetch: server.fetchFn, onSessionExpired: () => (expired += 1) });
    await expect(api.get('/api/projects')).resolves.toEqual({ items: ['p1'] });
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/projects',
      'POST /api/auth/refresh',
      'GET /api/projects',
    ]);
    expect(expired).toBe(0);
  });

  it('gives up after one failed refresh and says the session expired', async () => {
    const server = fakeServer(
      problem(401, 'INVALID_TOKEN', 'expired'),
      problem(401, 'REFRESH_TOKEN_INVALID', 'The refresh token is invalid or expired'),
    );
    let expired = 0;
    const api = createApiClient({ fetch: server.fetchFn, onSessionExpired: () => (expired += 1) });
    const error = (await api.get('/api/projects').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(server.calls).toHaveLength(2);
    expect(expired).toBe(1);
  });

  it('does not retry forever when the retried request is still refused', async () => {
    const server = fakeServer(
      problem(401, 'INVALID_TOKEN', 'a'),
      json(200, {}),
      problem(401, 'INVALID_TOKEN', 'b'),
    );
    const api = createApiClient({ fetch: server.fetchFn });
    const error = (await api.get('/api/projects').catch((e: unknown) => e)) as ApiError;
    expect(error.detail).toBe('b');
    expect(server.calls).toHaveLength(3);
  });

  it('shares one refresh between concurrent requests, because refresh tokens rotate', async () => {
    const server = fakeServer(
      problem(401, 'INVALID_TOKEN', 'a'),
      problem(401, 'INVALID_TOKEN', 'b'),
      json(200, {}),
      json(200, { n: 1 }),
      json(200, { n: 2 }),
    );
    const api = createApiClient({ fetch: server.fetchFn });
    const results = await Promise.all([api.get('/api/projects'), api.get('/api/users')]);
    expect(results).toHaveLength(2);
    expect(server.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
  });

  it('never tries to refresh when the credentials themselves are wrong', async () => {
    const server = fakeServer(problem(401, 'INVALID_CREDENTIALS', 'Email or password is wrong'));
    const api = createApiClient({ fetch: server.fetchFn });
    const error = (await api
      .post('/api/auth/login', { email: 'a@b.c', password: 'x' })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(server.calls).toHaveLength(1);
  });

  it('adds the CSRF token to unsafe requests when a token endpoint is configured', async () => {
    const server = fakeServer(json(200, { csrf_token: 'csrf-1' }), json(200, { ok: true }), json(200, {}));
    const api = createApiClient({ fetch: server.fetchFn, csrfUrl: '/api/auth/csrf' });
    await api.patch('/api/auth/me', { name: 'Ana' });
    await api.get('/api/auth/me');
    expect(server.calls[0]?.url).toBe('/api/auth/csrf');
    expect(server.calls[1]?.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(server.calls[2]?.headers.has('x-csrf-token')).toBe(false);
  });

  it('fetches a new CSRF token once when the server rejects the cached one', async () => {
    const server = fakeServer(
      json(200, { csrf_token: 'old' }),
      problem(403, 'CSRF_TOKEN_INVALID', 'Send the token from GET /api/auth/csrf in x-csrf-token'),
      json(200, { csrf_token: 'new' }),
      json(200, { ok: true }),
    );
    const api = createApiClient({ fetch: server.fetchFn, csrfUrl: '/api/auth/csrf' });
    await expect(api.post('/api/projects', { name: 'Bank' })).resolves.toEqual({ ok: true });
    expect(server.calls.map((c) => c.headers.get('x-csrf-token'))).toEqual([null, 'old', null, 'new']);
  });

  it('returns undefined for 204 No Content', async () => {
    const server = fakeServer(new Response(null, { status: 204 }));
    const api = createApiClient({ fetch: server.fetchFn });
    await expect(api.delete('/api/auth/api-keys/k1')).resolves.toBeUndefined();
  });

  it('validates the answer with the given parser', async () => {
    const server = fakeServer(json(200, { count: 'three' }));
    const api = createApiClient({ fetch: server.fetchFn });
    const parse = (data: unknown) => {
      if (typeof data === 'object' && data !== null && 'count' in data && typeof data.count === 'number')
        return data.count;
      throw new Error('count must be a number');
    };
    await expect(api.get('/api/x', { parse })).rejects.toThrow('count must be a number');
  });
});

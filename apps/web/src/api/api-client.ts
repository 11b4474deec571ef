import { ApiError, CLIENT_ERROR_CODES, networkError, parseProblem } from './api-error';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<T> {
  method?: HttpMethod;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Validates and types the JSON answer (e.g. a zod schema's `parse`). Without it the body is returned as-is. */
  parse?: (data: unknown) => T;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** Prefix for every path; '' means same origin. */
  baseUrl?: string;
  /** The outside world; tests pass a fake. */
  fetch?: typeof fetch;
  /**
   * Where to read a CSRF token from (`/api/auth/csrf`, answering `{ csrf_token }`). When set, unsafe
   * requests carry `x-csrf-token`; the token is fetched once, and again after the server rejects it.
   */
  csrfUrl?: string;
  /** Called when the session cannot be refreshed, so the app can send the person to sign in. */
  onSessionExpired?: () => void;
}

/** The app's only way to call the server. */
export interface ApiClient {
  request<T>(path: string, options?: RequestOptions<T>): Promise<T>;
  get<T>(path: string, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
  delete<T>(path: string, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
}

const REFRESH_PATH = '/api/auth/refresh';
// A 401 from these means "wrong credentials" or "no session", not "access token expired".
const NO_REFRESH_PATHS = new Set(['/api/auth/login', '/api/auth/register', REFRESH_PATH, '/api/auth/logout']);
const CSRF_REJECTED_CODES = new Set(['CSRF_TOKEN_INVALID']);

function buildUrl(baseUrl: string, path: string, query: RequestOptions<unknown>['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text.length === 0) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError({
      status: response.status,
      code: CLIENT_ERROR_CODES.badResponse,
      title: 'Unreadable response',
      detail: 'The server sent an answer the app could not read. Please try again.',
    });
  }
}

/**
 * Creates the fetch wrapper: JSON in and out, cookies included, problem+json turned into
 * {@link ApiError}, and one transparent session refresh on 401 so an expired access token
 * never costs the person the page they are on.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let refreshing: Promise<boolean> | undefined;
  let csrfToken: Promise<string | undefined> | undefined;

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(url, init);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw networkError();
    }
  }

  // Concurrent 401s share one refresh call: refresh tokens rotate, so a second call would replay one.
  function refreshSession(): Promise<boolean> {
    refreshing ??= send(`${baseUrl}${REFRESH_PATH}`, { method: 'POST', credentials: 'include' })
      .then((response) => response.ok)
      .catch(() => false)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  async function fetchCsrfToken(url: string): Promise<string | undefined> {
    const response = await send(`${baseUrl}${url}`, { credentials: 'include' });
    const body = await readBody(response);
    if (!response.ok) throw parseProblem(response.status, response.statusText, body);
    if (
      typeof body === 'object' &&
      body !== null &&
      'csrf_token' in body &&
      typeof body.csrf_token === 'string'
    ) {
      return body.csrf_token;
    }
    return undefined;
  }

  // One token for the whole app; concurrent first requests share one fetch of it.
  function readCsrfToken(): Promise<string | undefined> {
    if (options.csrfUrl === undefined) return Promise.resolve(undefined);
    csrfToken ??= fetchCsrfToken(options.csrfUrl).catch((error: unknown) => {
      csrfToken = undefined;
      throw error;
    });
    return csrfToken;
  }

  // The one place request headers are decided.
  async function buildHeaders(method: HttpMethod, hasBody: boolean): Promise<Headers> {
    const headers = new Headers({ accept: 'application/json, application/problem+json' });
    if (hasBody) headers.set('content-type', 'application/json');
    if (method !== 'GET') {
      const token = await readCsrfToken();
      if (token !== undefined) headers.set('x-csrf-token', token);
    }
    return headers;
  }

  async function attempt(path: string, opts: RequestOptions<unknown>): Promise<Response> {
    const method = opts.method ?? 'GET';
    const hasBody = opts.body !== undefined;
    const init: RequestInit = {
      method,
      credentials: 'include',
      headers: await buildHeaders(method, hasBody),
    };
    if (hasBody) init.body = JSON.stringify(opts.body);
    if (opts.signal) init.signal = opts.signal;
    return send(buildUrl(baseUrl, path, opts.query), init);
  }

  async function request<T>(path: string, opts: RequestOptions<T> = {}): Promise<T> {
    let response = await attempt(path, opts);
    if (response.status === 401 && !NO_REFRESH_PATHS.has(path)) {
      if (await refreshSession()) {
        response = await attempt(path, opts);
      }
      if (response.status === 401) options.onSessionExpired?.();
    }
    if (response.status === 403 && options.csrfUrl !== undefined) {
      const problem = parseProblem(response.status, response.statusText, await readBody(response.clone()));
      if (CSRF_REJECTED_CODES.has(problem.code)) {
        csrfToken = undefined;
        response = await attempt(path, opts);
      }
    }
    const body = await readBody(response);
    if (!response.ok) throw parseProblem(response.status, response.statusText, body);
    return opts.parse ? opts.parse(body) : (body as T);
  }

  return {
    request,
    get: (path, o) => request(path, { ...o, method: 'GET' }),
    post: (path, body, o) => request(path, { ...o, method: 'POST', body }),
    patch: (path, body, o) => request(path, { ...o, method: 'PATCH', body }),
    put: (path, body, o) => request(path, { ...o, method: 'PUT', body }),
    delete: (path, o) => request(path, { ...o, method: 'DELETE' }),
  };
}

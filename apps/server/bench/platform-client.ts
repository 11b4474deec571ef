/** What the benchmark does through the HTTP API: log in, upload, wait, create and start a job. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { App } from '../src/app';

export interface Client {
  readonly app: App;
  readonly headers: { authorization: string };
}

async function request<T>(
  client: Client,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
  expected = [200, 201],
): Promise<T> {
  const response = await client.app.inject({
    method,
    url,
    headers: client.headers,
    ...(payload === undefined ? {} : { payload }),
  });
  if (!expected.includes(response.statusCode))
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body.slice(0, 500)}`);
  return response.json<T>();
}

export const get = <T>(client: Client, url: string) => request<T>(client, 'GET', url);
export const post = <T>(client: Client, url: string, payload?: object) =>
  request<T>(client, 'POST', url, payload);
export const put = <T>(client: Client, url: string, payload?: object) =>
  request<T>(client, 'PUT', url, payload);

export async function login(app: App, email: string, password: string): Promise<Client> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login: ${response.statusCode} ${response.body}`);
  return {
    app,
    headers: { authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` },
  };
}

/** Uploads a file through the real multipart route, streamed from disk (never whole in memory). */
export async function uploadFile(
  client: Client,
  projectId: string,
  file: string,
  sourceKey: string,
): Promise<string> {
  const boundary = `----reconbench${Date.now().toString(16)}`;
  async function* body() {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(file)}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    );
    for await (const chunk of createReadStream(file)) yield chunk as Buffer;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  const response = await client.app.inject({
    method: 'POST',
    url: `/api/projects/${projectId}/data-sources?source_key=${encodeURIComponent(sourceKey)}`,
    headers: { ...client.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Readable.from(body()),
  });
  if (response.statusCode !== 201) throw new Error(`upload: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string }>().id;
}

/** Polls `check` every `everyMs` until it returns a value. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  what: string,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + 3_600_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface DataSourceView {
  status: string;
  loaded_count: number | null;
  error_count: number | null;
  failure: unknown;
}

export function waitForIngestion(client: Client, id: string): Promise<DataSourceView> {
  return waitFor(async () => {
    const view = await get<DataSourceView>(client, `/api/data-sources/${id}`);
    if (view.status === 'failed') throw new Error(`ingestion failed: ${JSON.stringify(view.failure)}`);
    return view.status === 'ready' ? view : undefined;
  }, `ingestion of ${id}`);
}

export function waitForJob(client: Client, id: string): Promise<{ status: string }> {
  return waitFor(async () => {
    const job = await get<{ status: string; failure: unknown }>(client, `/api/reconciliation/jobs/${id}`);
    if (job.status === 'failed' || job.status === 'cancelled')
      throw new Error(`job ${job.status}: ${JSON.stringify(job.failure)}`);
    return job.status === 'completed' ? job : undefined;
  }, `job ${id}`);
}

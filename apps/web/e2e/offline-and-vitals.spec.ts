import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { ADMIN, createUserViaApi, screenshot, signIn, unique } from './helpers';

// The API directly (not through `vite preview`), for `/metrics` and the set-up calls a program would make.
const apiBase = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '2300'}`;

async function adminToken(request: APIRequestContext): Promise<string> {
  const login = await request.post(`${apiBase}/api/auth/login`, { data: ADMIN });
  expect(login.ok()).toBeTruthy();
  return ((await login.json()) as { access_token: string }).access_token;
}

/** The `web_vitals_<name>_count` samples by route label. */
async function vitalCounts(request: APIRequestContext, name: string): Promise<Map<string, number>> {
  const response = await request.get(`${apiBase}/metrics`);
  expect(response.ok()).toBeTruthy();
  const counts = new Map<string, number>();
  const line = new RegExp(`^web_vitals_${name}_count\\{route="([^"]*)"\\} (\\S+)$`, 'gm');
  for (const match of (await response.text()).matchAll(line)) counts.set(match[1]!, Number(match[2]));
  return counts;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, value) => sum + value, 0);

/** What the browser does when the person switches tabs or closes this one: the page becomes hidden. */
async function hidePage(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

test('the service worker keeps the shell offline, and web vitals reach /metrics', async ({
  page,
  context,
  request,
}) => {
  const lcpBefore = total(await vitalCounts(request, 'lcp_seconds'));
  await signIn(page);
  // The first install claims the page: from here on it is controlled without a second load.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
  const scriptUrl = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  expect(scriptUrl).toMatch(/\/sw\.js$/);

  // Web vitals: hiding the page makes web-vitals report; the beacon goes to POST /api/web-vitals.
  await hidePage(page);
  await expect
    .poll(async () => total(await vitalCounts(request, 'lcp_seconds')), { timeout: 15_000 })
    .toBeGreaterThan(lcpBefore);
  const routes = [...(await vitalCounts(request, 'lcp_seconds')).keys()];
  expect(routes.every((route) => route === 'other' || route.startsWith('/'))).toBe(true);
  expect(routes.some((route) => /[0-9a-f]{8}-/.test(route))).toBe(false);
  expect(total(await vitalCounts(request, 'cls'))).toBeGreaterThan(0);

  // A form being typed in survives the network going away: the banner sits over the page.
  await page.reload();
  await page.goto('/profile');
  const name = page.getByLabel('Name');
  await name.fill('Typed while offline');
  await context.setOffline(true);
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toContainText('You are offline');
  await expect(name).toHaveValue('Typed while offline');
  await screenshot(page, 'sw-01-offline-form');

  // Reloading offline: the service worker answers the navigation with the cached shell.
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(banner).toContainText('You are offline');
  await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
  // The API is really out of reach (the worker never serves /api from a cache).
  const apiState = await page.evaluate(() =>
    fetch('/api/auth/me').then(
      () => 'answered',
      () => 'failed',
    ),
  );
  expect(apiState).toBe('failed');
  await screenshot(page, 'sw-02-offline-shell');

  // Back online, the banner goes and the app carries on.
  await context.setOffline(false);
  await expect(banner).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
});

test('a member removed while on the data sources page is sent to the projects list', async ({
  page,
  request,
}) => {
  const token = await adminToken(request);
  const headers = { authorization: `Bearer ${token}` };
  const colleague = {
    email: `${unique('viewer')}@e2e.test`,
    name: 'Vera Viewer',
    password: 'viewer passphrase 1',
  };
  await createUserViaApi(request, colleague);
  const created = await request.post(`${apiBase}/api/projects`, {
    data: { name: unique('Revoked'), description: 'access is taken away mid-visit' },
    headers,
  });
  expect(created.status(), await created.text()).toBe(201);
  const project = (await created.json()) as { id: string; name: string };
  const added = await request.post(`${apiBase}/api/projects/${project.id}/members`, {
    data: { email: colleague.email, role: 'viewer' },
    headers,
  });
  expect(added.ok(), await added.text()).toBeTruthy();
  const members = (await (
    await request.get(`${apiBase}/api/projects/${project.id}/members`, { headers })
  ).json()) as { items: { user_id: string; email: string }[] };
  const member = members.items.find((item) => item.email === colleague.email);
  expect(member).toBeDefined();

  await signIn(page, colleague.email, colleague.password);
  // The project frame's live connection must have joined the room before access is taken away.
  const joined = new Promise<void>((resolve) => {
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"joined"') && payload.includes(project.id))
          resolve();
      });
    });
  });
  await page.goto(`/projects/${project.id}/data-sources`);
  await expect(page.getByRole('heading', { name: project.name, level: 1 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Data sources' })).toHaveAttribute('aria-selected', 'true');
  await joined;

  const removed = await request.delete(`${apiBase}/api/projects/${project.id}/members/${member!.user_id}`, {
    headers,
  });
  expect(removed.ok(), await removed.text()).toBeTruthy();

  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByText('You are no longer a member of this project.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await expect(page.getByText(project.name)).toHaveCount(0);
  await screenshot(page, 'sw-03-access-revoked');
});

import { expect } from '@playwright/test';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { join } from 'node:path';

export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.test',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin passphrase',
};

/** Something unique per run, so journeys never collide with earlier data. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

/** The main navigation rail (the breadcrumbs also have a "Projects" link). */
export function nav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

/** Signs in through the form, the way a person does. */
export async function signIn(page: Page, email = ADMIN.email, password = ADMIN.password): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The dashboard is where people land after signing in.
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
}

/** Opens the projects list through the navigation rail (wide screens). */
export async function openProjects(page: Page): Promise<void> {
  await nav(page).getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
}

/** Signs out through the account menu. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** Saves a full-page screenshot under e2e/screenshots for people to look at (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let transitions and fonts settle so the picture shows the screen, not an animation frame.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(import.meta.dirname, 'screenshots', `${name}.png`), fullPage: true });
}

/** Creates a user through the API as the admin (set-up data for a journey about something else). */
export async function createUserViaApi(
  request: APIRequestContext,
  user: { email: string; name: string; password: string },
): Promise<void> {
  // As a program would: a bearer token, so no browser cookie (and no CSRF token) is involved.
  const login = await request.post('/api/auth/login', { data: ADMIN });
  expect(login.ok()).toBeTruthy();
  const { access_token: token } = (await login.json()) as { access_token: string };
  const created = await request.post('/api/users', {
    data: { ...user, role: 'user' },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(created.status(), await created.text()).toBe(201);
}

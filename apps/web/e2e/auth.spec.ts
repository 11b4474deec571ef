import { expect, test } from '@playwright/test';
import { ADMIN, nav, screenshot, signIn, signOut } from './helpers';

test('a wrong password shows the server’s message and keeps the person on the form', async ({ page }) => {
  await page.goto('/projects');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fprojects/);
  await expect(page.getByText('Its password was printed by')).toBeVisible();
  await screenshot(page, '01-sign-in');

  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Email or password is wrong');
  await expect(page).toHaveURL(/\/sign-in/);
  await screenshot(page, '02-sign-in-error');
});

test('empty inputs are caught before anything is sent', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your email address')).toBeVisible();
  await expect(page.getByText('Enter your password')).toBeVisible();
});

test('signing in returns to the page that asked for it, and signing out ends the session', async ({
  page,
}) => {
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fprofile/);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  await screenshot(page, '07-profile');

  await signOut(page);
  await page.goto('/projects');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('an expired access token is refreshed without losing the page', async ({ page, context }) => {
  await signIn(page);
  // Drop only the short-lived access cookie: the refresh cookie must bring the session back.
  const cookies = await context.cookies();
  await context.clearCookies();
  await context.addCookies(cookies.filter((cookie) => cookie.name !== 'recon_access'));
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(ADMIN.email);
});

test('on a phone the navigation folds into a menu button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  // Folded away and out of the tab order, not just pushed off screen.
  await expect(page.locator('nav a[href="/profile"]')).not.toBeInViewport();
  await expect(nav(page)).toHaveAttribute('inert', '');
  await screenshot(page, '13-phone-dashboard');
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await expect(page.getByRole('link', { name: 'Profile' })).toBeVisible();
  await screenshot(page, '14-phone-navigation');
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  await expect(page.locator('nav a[href="/api-keys"]')).not.toBeInViewport();
});

test('a keyboard alone can sign in and reach the page content', async ({ page }) => {
  // Via `next`, so the journey ends on a page whose content has a control to reach.
  await page.goto('/sign-in?next=%2Fprojects');
  // The email input takes focus on arrival.
  await expect(page.getByRole('textbox', { name: 'Email' })).toBeFocused();
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'New project' }).first()).toBeFocused();
});

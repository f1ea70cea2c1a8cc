import { test } from '@playwright/test';
import {
  expect,
  WINDOW,
  noHorizontalOverflow,
  pageUrl,
  shot,
  startSeeded,
  watchErrors,
  type Seeded,
} from './fixtures';

let s: Seeded;

test.beforeAll(async () => {
  s = await startSeeded();
});
test.afterAll(async () => {
  await s?.stop();
});

test('the dashboard charts real metric history, alerts on a timeline, and zooms', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'dashboard'));
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  for (const id of ['cpu', 'mem', 'load', 'disk', 'net'])
    await expect(page.getByTestId(`chart-${id}`)).toBeVisible();
  // values come from monitor:history (1 s samples in this config)
  await expect(page.getByTestId('chart-cpu')).toContainText(/\d+ %/, { timeout: 15_000 });
  await expect(page.getByTestId('chart-mem')).toContainText(/Memory \d+ %/);
  await expect(page.getByTestId('chart-net')).toContainText(/bit\/s/);
  // a file-system chart appears once the monitor reports mounts
  await expect(page.getByTestId('chart-fs')).toBeVisible({ timeout: 15_000 });
  // the tuned rules fire: the timeline and the alert list show them
  await expect(page.getByTestId('timeline-alert').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('alert').filter({ hasText: 'Out of disk space' })).toBeVisible();
  // range and zoom
  const range = page.getByRole('group', { name: 'Time range' });
  await range.getByRole('button', { name: '15 min' }).click();
  await expect(range.getByRole('button', { name: '15 min' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(range.getByRole('button', { name: '15 min' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeEnabled();
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeDisabled();
  await noHorizontalOverflow(page);
  await page.waitForTimeout(1500);
  await shot(page, 'dashboard');
  expect(errors).toEqual([]);
});

test('the dashboard in the dark theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'dashboard'));
  await expect(page.getByTestId('chart-cpu')).toContainText(/\d+ %/, { timeout: 15_000 });
  await expect(page.getByTestId('timeline-alert').first()).toBeVisible({ timeout: 15_000 });
  await page.waitForTimeout(1000);
  await shot(page, 'dashboard-dark');
});

test('pages are reachable from the sidebar with the keyboard', async ({ page }) => {
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'dashboard'));
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Quest Log' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Quest Log', level: 1 })).toBeVisible();
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { name: 'Services', level: 1 })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Services' })).toHaveAttribute('aria-current', 'page');
});

import { test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  expect,
  POPUP,
  pageUrl,
  runShell,
  shot,
  shots,
  startSeeded,
  watchErrors,
  type Seeded,
} from './fixtures';

let s: Seeded;

test.beforeAll(async () => {
  s = await startSeeded();
  runShell(s);
});
test.afterAll(async () => {
  await s?.stop();
});

test('the tray popup shows this machine, live, through serve mode', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(POPUP);
  await page.goto(s.url);
  const kernel = execFileSync('uname', ['-r']).toString().trim();
  await expect(page.getByTestId('kernel')).toHaveText(kernel);
  const distro =
    /^PRETTY_NAME="?([^"\n]*)/m.exec(execFileSync('cat', ['/etc/os-release']).toString())?.[1] ?? '';
  await expect(page.getByTestId('distro')).toHaveText(distro);
  await expect(page.getByRole('meter', { name: 'Memory' })).toBeVisible();
  await expect(page.getByTestId('host-health')).toContainText('All systems running');
  // live sparklines: history then pushed samples give a value in percent
  await expect(page.getByTestId('spark-cpu')).toContainText(/\d+ %/);
  await expect(page.getByTestId('spark-memory')).toContainText(/\d+ %/);
  await expect(page.getByTestId('spark-network')).toContainText(/bit\/s/);
  // the latest Quest Log entries (from the real shell above), failures marked
  await expect(page.getByTestId('recent-command').first()).toBeVisible();
  await expect(page.getByTestId('recent-command').filter({ hasText: 'printf' })).toBeVisible();
  // real alerts (rules tuned to fire) with their suggestion
  await expect(page.getByTestId('alert').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('helper-health')).toBeVisible();
  await page.screenshot({ path: join(shots, 'popup.png') });
  expect(errors).toEqual([]);
});

test('an alert suggestion runs in the AI terminal', async ({ page }) => {
  await page.setViewportSize(POPUP);
  await page.goto(s.url);
  const alert = page
    .getByTestId('alert')
    .filter({ has: page.getByRole('button', { name: /Run in AI terminal/ }) })
    .first();
  await expect(alert).toBeVisible({ timeout: 15_000 });
  const cmd = (await alert.locator('code').textContent())?.trim() ?? '';
  expect(cmd.length).toBeGreaterThan(0);
  await alert.getByRole('button', { name: /Run in AI terminal/ }).click();
  await expect(page).toHaveURL(/#\/terminal\?cmd=/);
  await expect(page.getByTestId('suggested-command')).toContainText(cmd);
  await expect(page.getByTestId('terminal-window')).toBeVisible();
});

test('the popup is keyboard navigable', async ({ page }) => {
  await page.setViewportSize(POPUP);
  await page.goto(s.url);
  await expect(page.getByTestId('kernel')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Windows' });
  await nav.getByRole('button', { name: 'Dashboard' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/dashboard/);
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
});

test('the popup follows a dark system theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize(POPUP);
  await page.goto(s.url);
  await expect(page.getByTestId('kernel')).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(15, 18, 22)');
  await expect(page.getByTestId('spark-cpu')).toContainText(/\d+ %/);
  await expect(page.getByTestId('alert').first()).toBeVisible({ timeout: 15_000 });
  await shot(page, 'popup-dark');
});

test('without the token the page loads but the API refuses, and says so', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${s.port}/`);
  await expect(page.getByRole('alert').first()).toContainText('Cannot read this machine');
});

test('an unknown page falls back to the popup, never a blank page', async ({ page }) => {
  await page.setViewportSize(POPUP);
  await page.goto(pageUrl(s, 'no-such-page'));
  await expect(page.getByTestId('kernel')).toBeVisible();
});

test('the machine card comes with the page: it renders even when the WebSocket is refused', async ({
  page,
}) => {
  // every socket of this page is refused before it reaches the server
  await page.routeWebSocket(/\/api/, (ws) => ws.close({ code: 1011, reason: 'refused by the test' }));
  await page.setViewportSize(POPUP);
  await page.goto(s.url);
  await expect(page.getByTestId('kernel')).toHaveText(execFileSync('uname', ['-r']).toString().trim());
  await expect(page.getByRole('meter', { name: 'Memory' })).toBeVisible();
  // the live parts have no data, and say so
  await expect(page.getByTestId('host-health')).toContainText('Backend unreachable');
});

import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startServe, type ServeProcess } from '../helpers/serve';

const shots = join(repoRoot, 'reports', 'screenshots');
let s: ServeProcess;

test.beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  s = await startServe();
});
test.afterAll(async () => {
  await s?.stop();
});

test('the tray popup shows this machine, live, through serve mode', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(s.url);
  const kernel = execFileSync('uname', ['-r']).toString().trim();
  await expect(page.getByTestId('kernel')).toHaveText(kernel);
  const distro = /^PRETTY_NAME="?([^"\n]*)/m.exec(execFileSync('cat', ['/etc/os-release']).toString())?.[1] ?? '';
  await expect(page.getByTestId('distro')).toHaveText(distro);
  await expect(page.getByRole('meter', { name: 'Memory' })).toBeVisible();
  await expect(page.getByTestId('host-health')).toContainText('All systems running');
  await page.screenshot({ path: join(shots, 'popup.png') });
  expect(errors).toEqual([]);
});

test('the popup follows a dark system theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(s.url);
  await expect(page.getByTestId('kernel')).toBeVisible();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(15, 18, 22)');
  await page.screenshot({ path: join(shots, 'popup-dark.png') });
});

test('without the token the page loads but the API refuses, and says so', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${s.port}/`);
  await expect(page.getByRole('alert')).toContainText('Cannot read this machine');
});

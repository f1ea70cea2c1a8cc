import { test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  expect,
  WINDOW,
  FIRING_CONFIG,
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

const userConfig = (): Record<string, Record<string, unknown>> =>
  JSON.parse(readFileSync(join(s.configHome, 'ai-native-linux', 'config.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;

test('settings show the effective configuration and the real alert rules', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'settings'));
  await expect(page.getByLabel('Sampling interval (seconds)')).toHaveValue(
    String(FIRING_CONFIG.monitor.intervalS),
  );
  await expect(page.getByLabel('Threshold of Out of disk space')).toHaveValue('101');
  await expect(page.getByLabel('Keep history (days)')).toHaveValue('365');
  await expect(page.getByLabel('Endpoint URL')).toHaveValue('http://127.0.0.1:11434/v1');
  await noHorizontalOverflow(page);
  await shot(page, 'settings');
  expect(errors).toEqual([]);
});

test('a value out of range is refused next to its field and nothing is written', async ({ page }) => {
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'settings'));
  const interval = page.getByLabel('Sampling interval (seconds)');
  await interval.fill('0');
  await page.locator('#sec-monitor').getByRole('button', { name: 'Save' }).click();
  const err = page.locator('#sec-monitor').getByTestId('field-error').first();
  await expect(err).toBeVisible();
  await expect(err).toContainText(/1/);
  expect(userConfig().monitor?.intervalS).toBe(1);

  await page.getByLabel('Extra redaction patterns').fill('token=[a-z');
  await page.locator('#sec-privacy').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#sec-privacy').getByTestId('field-error')).toContainText(
    'Not a valid regular expression',
  );
  await shot(page, 'settings-error');
});

test('valid changes are saved to the user config and applied', async ({ page }) => {
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'settings'));
  await page.getByLabel('Keep history (days)').fill('30');
  await page.getByLabel('Redact secrets').uncheck();
  await page.locator('#sec-privacy').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#sec-privacy').getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({
    timeout: 20_000,
  });
  expect(userConfig().questlog).toMatchObject({ retentionDays: 30, redact: false });
  // the monitor section kept its own settings
  expect(userConfig().monitor?.intervalS).toBe(1);

  await page.getByLabel('New target name').fill('bad name;rm');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator('#sec-healing').getByRole('alert')).toContainText('Letters, digits');
  await page.getByLabel('New target name').fill('cron.service');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('#sec-healing').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#sec-healing').getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({
    timeout: 20_000,
  });
  expect((userConfig().healing?.targets as Array<{ name: string }>).map((t) => t.name)).toEqual([
    'cron.service',
  ]);

  await page.getByLabel('Theme').selectOption('dark');
  await page.locator('#sec-desktop').getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#sec-desktop').getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'settings-dark');
});

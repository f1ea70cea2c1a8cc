import { test, type Page } from '@playwright/test';
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

/** Every frame the page receives from the backend over its WebSocket (serve mode), as text. */
function wireFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  return frames;
}

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

test('fleet settings round-trip through config:set; URL credentials are kept but never shown', async ({
  page,
}) => {
  const errors = watchErrors(page);
  const frames = wireFrames(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'settings'));
  const fleet = page.locator('#sec-fleet');
  await expect(fleet.getByLabel('Path')).toHaveValue('/metrics');
  await expect(fleet.getByTestId('webhook-auth')).toContainText('Not set');

  // a value the schema refuses: the server's reason appears next to that field, nothing is written
  await fleet.getByLabel('Path').fill('metrics');
  await fleet.getByRole('button', { name: 'Save' }).click();
  const pathError = fleet.locator('.field', { has: page.locator('#metricsPath') }).getByTestId('field-error');
  await expect(pathError).toContainText('a URL path such as /metrics');
  await pathError.scrollIntoViewIfNeeded();
  await shot(page, 'settings-fleet-error');
  expect(userConfig().fleet).toBeUndefined();

  // valid values (everything stays off, so nothing listens or sends during the test)
  await fleet.getByLabel('Path').fill('/node-metrics');
  await fleet.getByLabel('Metrics port').fill('19464');
  await fleet.getByLabel('Receiver URL').fill('https://ops:s3cret-pass@alerts.example.invalid/hook');
  await fleet.getByLabel('Send alerts from').selectOption('critical');
  await fleet.getByLabel('Send to').selectOption('syslog');
  await fleet.getByLabel('Syslog transport').selectOption('tcp');
  await fleet.getByLabel('Syslog server').fill('logs.example.invalid');
  await fleet.getByLabel('Identifier').fill('ainl-e2e');
  await fleet.getByRole('button', { name: 'Save' }).click();
  await expect(fleet.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({ timeout: 20_000 });
  await expect(pathError).toHaveCount(0);
  const saved = userConfig().fleet as {
    metrics: Record<string, unknown>;
    webhook: Record<string, unknown>;
    logs: { syslog: Record<string, unknown> } & Record<string, unknown>;
  };
  expect(saved.metrics).toMatchObject({ enabled: false, path: '/node-metrics', port: 19464 });
  expect(saved.webhook).toMatchObject({
    enabled: false,
    url: 'https://ops:s3cret-pass@alerts.example.invalid/hook',
    minSeverity: 'critical',
  });
  expect(saved.logs).toMatchObject({ target: 'syslog', identifier: 'ainl-e2e' });
  expect(saved.logs.syslog).toMatchObject({ transport: 'tcp', host: 'logs.example.invalid' });

  // after a reload the page shows what was saved, the credentials only as "set"
  await page.reload();
  await expect(fleet.getByLabel('Path')).toHaveValue('/node-metrics');
  await expect(fleet.getByLabel('Metrics port')).toHaveValue('19464');
  await expect(fleet.getByLabel('Receiver URL')).toHaveValue('https://alerts.example.invalid/hook');
  await expect(fleet.getByTestId('webhook-auth')).toContainText('Set');
  await expect(fleet.getByLabel('Send alerts from')).toHaveValue('critical');
  await expect(fleet.getByLabel('Syslog server')).toHaveValue('logs.example.invalid');
  await expect(fleet.getByLabel('Identifier')).toHaveValue('ainl-e2e');
  const shown = await page.evaluate(() =>
    [document.body.innerText, ...[...document.querySelectorAll('input')].map((i) => i.value)].join('\n'),
  );
  expect(shown).not.toContain('s3cret-pass');
  // nor did they reach the page: the backend answered config:set and config:get without them
  expect(frames.join('\n')).toContain('"fleet.webhook.url":true');
  expect(frames.join('\n')).not.toContain('s3cret-pass');
  await fleet.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'settings-fleet');

  // a save that leaves the URL as shown keeps the stored credentials
  await fleet.getByLabel('Send alerts from').selectOption('warning');
  await fleet.getByRole('button', { name: 'Save' }).click();
  await expect(fleet.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({ timeout: 20_000 });
  expect((userConfig().fleet as { webhook: Record<string, unknown> }).webhook).toMatchObject({
    url: 'https://ops:s3cret-pass@alerts.example.invalid/hook',
    minSeverity: 'warning',
  });
  await expect(fleet.getByTestId('webhook-auth')).toContainText('Set');

  // another field changes, the stored credentials stay; "Remove" drops them
  await fleet.getByLabel('Receiver URL').fill('https://alerts2.example.invalid/hook');
  await fleet.getByRole('button', { name: 'Save' }).click();
  await expect(fleet.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({ timeout: 20_000 });
  expect((userConfig().fleet as { webhook: { url: string } }).webhook.url).toBe(
    'https://ops:s3cret-pass@alerts2.example.invalid/hook',
  );
  await fleet.getByTestId('webhook-auth').getByRole('button', { name: 'Remove' }).click();
  await fleet.getByRole('button', { name: 'Save' }).click();
  await expect(fleet.getByTestId('webhook-auth')).toContainText('Not set', { timeout: 20_000 });
  expect((userConfig().fleet as { webhook: { url: string } }).webhook.url).toBe(
    'https://alerts2.example.invalid/hook',
  );
  expect(errors).toEqual([]);
});

test('the assistant API key is written, then shown only as set, and can be removed', async ({ page }) => {
  const frames = wireFrames(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'settings'));
  const sec = page.locator('#sec-assistant');
  await expect(sec.getByTestId('llm-key-state')).toHaveText('Not set');
  await sec.getByLabel('API key').fill('sk-e2e-secret-value');
  await sec.getByRole('button', { name: 'Save' }).click();
  await expect(sec.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({ timeout: 20_000 });
  expect((userConfig().assistant?.llm as { apiKey: string }).apiKey).toBe('sk-e2e-secret-value');

  await page.reload();
  await expect(sec.getByTestId('llm-key-state')).toHaveText('Set');
  await expect(sec.getByLabel('API key')).toHaveValue('');
  await sec.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'settings-assistant-key');
  // saving the section without typing a key keeps the stored one
  await sec.getByLabel('Timeout (ms)').fill('9000');
  await sec.getByRole('button', { name: 'Save' }).click();
  await expect(sec.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({ timeout: 20_000 });
  expect(userConfig().assistant?.llm).toMatchObject({ apiKey: 'sk-e2e-secret-value', timeoutMs: 9000 });
  // the key never came back to the page, only that it is set
  expect(frames.join('\n')).toContain('"assistant.llm.apiKey":true');
  expect(frames.join('\n')).not.toContain('sk-e2e-secret-value');

  await sec.getByRole('button', { name: 'Remove' }).click();
  await sec.getByRole('button', { name: 'Save' }).click();
  await expect(sec.getByTestId('llm-key-state')).toHaveText('Not set', { timeout: 20_000 });
  expect((userConfig().assistant?.llm as { apiKey: string }).apiKey).toBe('');

  // credentials in the endpoint URL are kept out of the page the same way, and can be removed
  await sec.getByLabel('Endpoint URL').fill('http://me:llm-url-pass@127.0.0.1:11434/v1');
  await sec.getByRole('button', { name: 'Save' }).click();
  await expect(sec.getByTestId('llm-url-auth')).toContainText('Credentials set', { timeout: 20_000 });
  await expect(sec.getByLabel('Endpoint URL')).toHaveValue('http://127.0.0.1:11434/v1');
  expect(userConfig().assistant?.llm).toMatchObject({ baseUrl: 'http://me:llm-url-pass@127.0.0.1:11434/v1' });
  await sec.getByLabel('Timeout (ms)').fill('8000');
  await sec.getByRole('button', { name: 'Save' }).click();
  await expect
    .poll(() => userConfig().assistant?.llm, { timeout: 20_000 })
    .toMatchObject({
      baseUrl: 'http://me:llm-url-pass@127.0.0.1:11434/v1',
      timeoutMs: 8000,
    });
  // the file is written before the answer comes back: wait for the save to finish
  await expect(sec.getByRole('button', { name: 'Save' })).toBeEnabled();
  await sec.getByTestId('llm-url-auth').getByRole('button', { name: 'Remove' }).click();
  await sec.getByRole('button', { name: 'Save' }).click();
  await expect(sec.getByTestId('llm-url-auth')).toHaveCount(0, { timeout: 20_000 });
  expect((userConfig().assistant?.llm as { baseUrl: string }).baseUrl).toBe('http://127.0.0.1:11434/v1');
  expect(frames.join('\n')).not.toContain('llm-url-pass');
});

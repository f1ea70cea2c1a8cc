import { test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  expect,
  WINDOW,
  SEED_COMMANDS,
  noHorizontalOverflow,
  pageUrl,
  runShell,
  shot,
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

test('the Quest Log browser searches as you type, filters, pages and shows a command', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'questlog'));
  await expect(page.getByTestId('questlog-total')).toHaveText(`${SEED_COMMANDS.length} commands`, {
    timeout: 15_000,
  });
  await expect(page.getByTestId('questlog-row')).toHaveCount(SEED_COMMANDS.length);

  await page.getByRole('searchbox', { name: 'Search commands' }).fill('nonexistent');
  await expect(page.getByTestId('questlog-total')).toHaveText('1 command');
  await page.getByTestId('questlog-row').first().click();
  const detail = page.getByTestId('command-detail');
  await expect(detail).toContainText('ls /nonexistent-quest-dir');
  await expect(page.getByTestId('detail-cwd')).toHaveText('/tmp');
  await expect(page.getByTestId('detail-exit')).toHaveText('2');
  await expect(detail).toContainText('Related events');
  await shot(page, 'questlog');

  await page.getByRole('searchbox', { name: 'Search commands' }).fill('');
  await page.getByLabel('Failed only').check();
  await expect(page.getByTestId('questlog-total')).toHaveText('2 commands');
  await page.getByLabel('Failed only').uncheck();
  await page.getByRole('searchbox', { name: 'Search commands' }).fill('zzzz-no-such-command');
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search commands' }).fill('');
  await expect(page.getByTestId('questlog-total')).toHaveText(`${SEED_COMMANDS.length} commands`);
  await expect(page.getByText('Page 1 of 1')).toBeVisible();
  await noHorizontalOverflow(page);
  expect(errors).toEqual([]);
});

test('a bad regex is refused in words, not a crash', async ({ page }) => {
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'questlog'));
  await page.getByLabel('Match mode').selectOption('regex');
  await page.getByRole('searchbox', { name: 'Search commands' }).fill('([');
  await expect(page.getByRole('alert').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Quest Log', level: 1 })).toBeVisible();
});

test('statistics chart the real history', async ({ page }) => {
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'questlog'));
  await page.getByRole('tab', { name: 'Statistics' }).click();
  const stats = page.getByTestId('questlog-stats');
  await expect(stats).toContainText(`${SEED_COMMANDS.length}commands`);
  await expect(stats.locator('canvas')).toHaveCount(3);
  await page.waitForTimeout(500);
  await shot(page, 'questlog-stats');
  await page.getByRole('tab', { name: 'System events' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search events' })).toBeVisible();
});

test('export downloads the matches as CSV and JSON lines', async ({ page }) => {
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'questlog'));
  await expect(page.getByTestId('questlog-total')).toHaveText(`${SEED_COMMANDS.length} commands`, {
    timeout: 15_000,
  });
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^questlog-\d{4}-\d\d-\d\d\.csv$/);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  const lines = csvText.trim().split('\r\n');
  expect(lines[0]).toBe('id,ts,duration,exit,command,cwd,user,host,tty,session,shell,redacted');
  expect(lines).toHaveLength(SEED_COMMANDS.length + 1);
  expect(csvText).toContain('"printf ""%s\\n"" done"');

  const [jl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON lines' }).click(),
  ]);
  const rows = readFileSync((await jl.path())!, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { command: string; exit: number });
  expect(rows.map((r) => r.command)).toEqual(SEED_COMMANDS);
  expect(rows.find((r) => r.command === 'false')?.exit).toBe(1);
});

import { test } from '@playwright/test';
import { expect, WINDOW, pageUrl, shot, startSeeded, watchErrors, type Seeded } from './fixtures';

let s: Seeded;

test.beforeAll(async () => {
  s = await startSeeded({});
});
test.afterAll(async () => {
  await s?.stop();
});

test('the AI terminal page hosts a real shell inside the app frame', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'terminal?cmd=df%20-h%20%2F'));
  await expect(page.getByRole('heading', { name: 'AI Terminal', level: 1 })).toBeVisible();
  await expect(page.getByTestId('terminal-window')).toBeVisible();
  await expect(page.getByTestId('suggested-command')).toContainText('df -h /');
  // a real pty: the suggested command waits on the prompt, unrun, until the user presses Enter
  await expect(page.locator('.xterm-rows').first()).toContainText('df -h /', { timeout: 15_000 });
  await expect(page.locator('.xterm-rows').first()).not.toContainText('Filesystem');
  await page.locator('.xterm-screen').first().click();
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows').first()).toContainText('Filesystem', { timeout: 15_000 });
  await page.keyboard.type('echo e2e-$((6*7))');
  await page.keyboard.press('Enter');
  await expect(page.locator('.xterm-rows')).toContainText('e2e-42', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Dismiss the suggested command' }).click();
  await expect(page.getByTestId('suggested-command')).toHaveCount(0);
  await shot(page, 'terminal');
  expect(errors).toEqual([]);
});

test('a plain-words line after ?? shows checked candidates and inserts the chosen one unrun', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.setViewportSize(WINDOW);
  await page.goto(pageUrl(s, 'terminal'));
  await expect(page.getByTestId('terminal-window')).toBeVisible();
  const rows = page.locator('.xterm-rows').first();
  await expect(rows).toContainText(/[#$]/, { timeout: 15_000 });
  await page.locator('.xterm-screen').first().click();
  await page.keyboard.type('?? show the last 20 lines of syslog');
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox', { name: 'Candidate commands' });
  await expect(list).toBeVisible({ timeout: 15_000 });
  const first = list.getByRole('option').first();
  await expect(first.locator('code.cmd')).toHaveText('tail -n 20 /var/log/syslog');
  await expect(first.getByTitle('Safety: safe')).toBeVisible();
  await shot(page, 'terminal-assistant');
  await first.getByRole('button', { name: 'Insert “tail -n 20 /var/log/syslog” at the prompt' }).click();
  await expect(list).toHaveCount(0);
  // on the prompt, not run: no output of tail follows
  await expect(rows).toContainText('tail -n 20 /var/log/syslog', { timeout: 15_000 });
  await expect(rows).not.toContainText('No such file');
  expect(errors).toEqual([]);
});

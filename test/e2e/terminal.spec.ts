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

/**
 * Real data for the page tests: a serve backend whose monitor samples every second with two alert
 * rules tuned to fire on any machine (so alerts, suggestions and the timeline are real), and a real
 * interactive bash with the Quest Log hook that runs a few commands (so the Quest Log has rows with
 * real exit codes, directories and durations).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect as baseExpect, type Page } from '@playwright/test';
import { cliPath, repoRoot, startServe, type ServeProcess } from '../helpers/serve';

export const shots = join(repoRoot, 'reports', 'screenshots');

/** The first page of a fresh backend waits for the background host; 2 shared cores can be slow. */
export const expect = baseExpect.configure({ timeout: 15_000 });
export const POPUP = { width: 400, height: 600 };
export const WINDOW = { width: 1280, height: 800 };

export interface Seeded extends ServeProcess {
  configHome: string;
  env: NodeJS.ProcessEnv;
}

/** Config that makes real alerts fire within seconds (a disk and a memory rule set past 100 %). */
export const FIRING_CONFIG = {
  monitor: {
    intervalS: 1,
    rules: {
      HostOutOfDiskSpace: { value: 101, clear: 102, forS: 0 },
      HostOutOfMemory: { value: 101, clear: 102, forS: 0 },
    },
  },
};

export async function startSeeded(
  config: object = FIRING_CONFIG,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Seeded> {
  mkdirSync(shots, { recursive: true });
  const configHome = mkdtempSync(join(tmpdir(), 'ainl-e2e-config-'));
  mkdirSync(join(configHome, 'ai-native-linux'), { recursive: true });
  writeFileSync(join(configHome, 'ai-native-linux', 'config.json'), JSON.stringify(config, null, 2));
  const s = await startServe({ XDG_CONFIG_HOME: configHome, ...extraEnv });
  const env = {
    ...process.env,
    HOME: s.home,
    XDG_CONFIG_HOME: configHome,
    XDG_DATA_HOME: join(s.home, '.local', 'share'),
    XDG_STATE_HOME: join(s.home, '.local', 'state'),
    XDG_RUNTIME_DIR: join(s.home, 'run'),
    ...extraEnv,
  };
  const stop = s.stop;
  return Object.assign(s, {
    configHome,
    env,
    stop: async () => {
      await stop();
      rmSync(configHome, { recursive: true, force: true });
    },
  });
}

export const SEED_COMMANDS = [
  'cd /tmp',
  'echo hello from the quest log',
  'ls /nonexistent-quest-dir',
  'sleep 0.2',
  'uname -r',
  'git --version',
  'cat /etc/hostname',
  'false',
  'printf "%s\\n" done',
];

/** Runs commands in a real interactive bash with the Quest Log hook loaded. */
export function runShell(s: Seeded, commands: string[] = SEED_COMMANDS): void {
  const script = [
    `eval "$(${process.execPath} ${cliPath.replace(/cli\.js$/, 'questlog.js')} init bash)"`,
    ...commands,
    'exit',
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-i'], {
    input: `${script}\n`,
    env: s.env,
    cwd: s.home,
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`seed shell failed (${r.status}): ${r.stderr.toString()}`);
}

/** Fails the test on any uncaught page error or console error. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

export function pageUrl(s: ServeProcess, hash: string): string {
  return `${s.url}#/${hash}`;
}

/** Screenshot into reports/screenshots (copied to docs/screenshots by hand after review). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

export async function noHorizontalOverflow(page: Page): Promise<void> {
  const over = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(over, 'page scrolls sideways').toBeLessThanOrEqual(0);
}

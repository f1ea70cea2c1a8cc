import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, isolatedEnv, requireBuild } from '../helpers/serve';

const tempEnv = (): { env: NodeJS.ProcessEnv; home: string } => isolatedEnv('ainl-daemon-');

describe('ainl CLI (built, plain Node)', () => {
  it('daemon runs the background services headless and stops cleanly on SIGTERM', async () => {
    requireBuild();
    const { env, home } = tempEnv();
    const child = spawn(process.execPath, [cliPath, 'daemon'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`daemon did not start: ${err}`)), 20_000);
      const check = (): void => {
        if (/ainl daemon: running .*system/.test(err)) {
          clearTimeout(t);
          resolve();
        }
      };
      child.stderr.on('data', check);
    });
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    rmSync(home, { recursive: true, force: true });
  });

  it('status, config and usage errors answer as documented', () => {
    requireBuild();
    const { env, home } = tempEnv();
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cliPath, ...args], { env, encoding: 'utf8' });
    const status = run('status', '--json');
    expect(status.status).toBe(0);
    const parsed = JSON.parse(status.stdout) as { overview: { kernel: string } };
    expect(parsed.overview.kernel).toBe(spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim());
    expect(run('config').status).toBe(0);
    mkdirSync(join(home, '.config', 'ai-native-linux'), { recursive: true });
    writeFileSync(join(home, '.config', 'ai-native-linux', 'config.json'), '{"ui": {"theme": 7}}');
    const bad = run('config', '--json');
    expect(bad.status).toBe(1);
    expect((JSON.parse(bad.stdout) as { problems: Array<{ path: string }> }).problems[0]?.path).toBe(
      'ui.theme',
    );
    const usage = run('serve', '--port', 'eighty');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/port/);
    expect(run('frobnicate').status).toBe(2);
    expect(run('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    rmSync(home, { recursive: true, force: true });
  }, 120_000);
});

/**
 * The engine with plain-process targets (no systemd needed): real processes, real pidfiles, real
 * kills. Unit targets are covered against a real systemd in test/integration/healing*.test.ts.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealingEngine } from './engine';
import { healingConfig } from '../../shared/config/healing';
import { Problem } from '../../shared/problems';
import type { HealingAction } from '../../shared/contract/healing';

const engines: HealingEngine[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) {
    for (const t of e.status().targets)
      if (t.mainPid > 1)
        try {
          process.kill(t.mainPid, 'SIGKILL');
        } catch {
          /* gone */
        }
    e.dispose();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function setup(startCmd: string, policy: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ainl-heal-'));
  dirs.push(dir);
  const pidfile = join(dir, 'p.pid');
  const config = healingConfig.parse({
    targets: [
      {
        name: 'worker',
        kind: 'process',
        process: { pidfile, start: ['/bin/sh', '-c', `${startCmd} & echo $! > ${pidfile}`] },
        policy: { backoffInitialSec: 0.3, cooldownSec: 0, stableSec: 0.3, verifyTimeoutSec: 2, ...policy },
      },
    ],
  });
  const engine = new HealingEngine({ config });
  engines.push(engine);
  const actions: HealingAction[] = [];
  engine.on('action', (a: HealingAction) => actions.push(a));
  return { engine, actions, pidfile };
}

describe('healing engine: plain processes', () => {
  it('starts a missing process, detects its death and restarts it (verified)', async () => {
    const { engine, actions, pidfile } = setup('exec sleep 1000');
    engine.start();
    await until(() => actions.some((a) => a.kind === 'verify-ok'), 8000, 'first start verified');
    const first = Number(readFileSync(pidfile, 'utf8'));
    process.kill(first, 'SIGKILL');
    await until(() => actions.filter((a) => a.kind === 'verify-ok').length >= 2, 8000, 'restart verified');
    expect(actions.some((a) => a.kind === 'detect' && a.reason.includes(String(first)))).toBe(true);
    const second = Number(readFileSync(pidfile, 'utf8'));
    expect(second).not.toBe(first);
    expect(engine.status().targets[0]?.phase).toBe('healthy');
    // no systemd attached: the detached-spawn fallback, and the audit entry says so
    const start = actions.filter((a) => a.kind === 'start').at(-1);
    expect(start?.reason).toMatch(/spawned detached in the engine's own cgroup \(fallback: no systemd bus/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'the fallback spawn runs it as the configured user, in its directory, with its environment; an unknown user is refused',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ainl-heal-'));
      dirs.push(dir);
      chmodSync(dir, 0o777);
      const pidfile = join(dir, 'p.pid');
      const cfg = (user: string, pidfile: string) =>
        healingConfig.parse({
          targets: [
            {
              name: 'worker',
              kind: 'process',
              process: {
                pidfile,
                start: ['/bin/sh', '-c', `echo $$ > ${pidfile}; exec sleep 1000`],
                user,
                workingDirectory: dir,
                environment: { AINL_WORKER_MODE: 'healed by ainl' },
              },
              policy: { cooldownSec: 0, stableSec: 0.3, verifyTimeoutSec: 2, maxRestarts: 1 },
            },
          ],
        });
      const engine = new HealingEngine({ config: cfg('nobody', pidfile) });
      engines.push(engine);
      const actions: HealingAction[] = [];
      engine.on('action', (a: HealingAction) => actions.push(a));
      engine.start();
      await until(() => actions.some((a) => a.kind === 'verify-ok'), 8000, 'started');
      const pid = Number(readFileSync(pidfile, 'utf8'));
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      expect(uid).toBe('65534');
      expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(dir);
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(env).toContain('AINL_WORKER_MODE=healed by ainl');
      expect(env).toContain('USER=nobody');

      const refused = new HealingEngine({ config: cfg('ainl-no-such-user', join(dir, 'none.pid')) });
      engines.push(refused);
      const seen: HealingAction[] = [];
      refused.on('action', (a: HealingAction) => seen.push(a));
      refused.start();
      await until(
        () => seen.some((a) => a.kind === 'start' && a.outcome === 'failed'),
        5000,
        'start refused',
      );
      const failed = seen.find((a) => a.kind === 'start' && a.outcome === 'failed');
      expect(failed?.reason).toMatch(/user ainl-no-such-user does not exist.*would run as root/);
    },
  );

  it('a process that keeps dying: backoff, then gave-up; a person clears it', async () => {
    const { engine, actions } = setup('exec sleep 0.1', { maxRestarts: 3, windowSec: 60 });
    engine.start();
    await until(() => engine.status().targets[0]?.phase === 'gave-up', 15_000, 'gave up');
    const starts = actions.filter((a) => a.kind === 'start');
    expect(starts).toHaveLength(3);
    expect(actions.filter((a) => a.kind === 'gave-up')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(actions.filter((a) => a.kind === 'start')).toHaveLength(3); // no storm after giving up
    expect(engine.clear('worker', 'test').ok).toBe(true);
    await until(() => actions.filter((a) => a.kind === 'start').length >= 4, 3000, 'start after clear');
  });

  it('manual verbs refuse unknown and non-allow-listed targets with clear problems', async () => {
    const { engine } = setup('exec sleep 1000');
    await expect(engine.manual('restart', 'nope', 'test')).rejects.toSatisfy(
      (e: unknown) => e instanceof Problem && e.problem === 'not-found',
    );
    expect(() => engine.clear('nope', 'test')).toThrow(/not a watched target/);
  });

  it('pause holds automatic healing and says so', async () => {
    const { engine, actions } = setup('exec sleep 1000');
    engine.pause('test');
    engine.start();
    await until(() => engine.status().targets[0]?.phase === 'paused', 3000, 'paused');
    expect(actions.some((a) => a.kind === 'start')).toBe(false);
    expect(engine.status().targets[0]?.reason).toMatch(/paused/);
  });
});

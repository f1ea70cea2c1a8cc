/**
 * The Kernel Monitor against the real /proc of this machine under generated load: a file filling
 * a tmpfs we mount (space, inodes, the time-to-full trend), a memory hog, CPU burners, an OOM kill
 * in a memory cgroup. Each alert must fire with a suggestion, reach the Quest Log recorder and the
 * JSON alert log, and resolve. Needs root (mount, cgroups); parts skip with a reason otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { monitorConfig } from '../../src/shared/config/monitor';
import type { MonitorAlert } from '../../src/shared/contract/monitor';
import type { RecordedEvent } from '../../src/services/core/module';
import { Monitor } from '../../src/services/monitor/monitor';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let tmp: string;
const children: ChildProcess[] = [];
const mounts: string[] = [];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ainl-monitor-it-'));
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Harness {
  monitor: Monitor;
  recorded: RecordedEvent[];
  emitted: Array<{ state: string; alert: MonitorAlert }>;
  dataDir: string;
}

function harness(over: Record<string, unknown>, name: string): Harness {
  const dataDir = join(tmp, name);
  const recorded: RecordedEvent[] = [];
  const emitted: Harness['emitted'] = [];
  const cfg = monitorConfig.parse({
    intervalS: 1,
    cooldownS: 0,
    unitsEveryS: 0,
    anomaly: { enabled: false },
    ...over,
  });
  const monitor = new Monitor(cfg, {
    events: { record: (e) => recorded.push(e) },
    emitAlert: (state, alert) => emitted.push({ state, alert }),
    dataDir,
  });
  return { monitor, recorded, emitted, dataDir };
}

/** Ticks (real time) until the predicate holds or the time is up. */
async function tickUntil(
  h: Harness,
  pred: () => boolean,
  timeoutMs = 15_000,
  stepMs = 250,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    h.monitor.tick();
    if (pred()) return true;
    await sleep(stepMs);
  }
  return false;
}

const fired = (h: Harness, rule: string) =>
  h.emitted.find((e) => e.state === 'fired' && e.alert.rule === rule)?.alert;
const resolved = (h: Harness, rule: string) =>
  h.emitted.find((e) => e.state === 'resolved' && e.alert.rule === rule)?.alert;

function mountTmpfs(opts: string): string {
  const dir = mkdtempSync(join(tmp, 'fs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
  if (r.status !== 0) throw new Error(`mount tmpfs failed: ${r.stderr.toString()}`);
  mounts.push(dir);
  return dir;
}

function expectSinks(h: Harness, rule: string): void {
  const types = h.recorded
    .filter((e) => (e.data as { rule?: string } | undefined)?.rule === rule)
    .map((e) => e.type);
  expect(types).toContain('alert.fired');
  expect(types).toContain('alert.resolved');
  expect(h.recorded.every((e) => e.source === 'monitor')).toBe(true);
  const log = readFileSync(join(h.dataDir, 'alerts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; rule: string; suggestion: { text: string } });
  const mine = log.filter((l) => l.rule === rule);
  expect(mine.map((l) => l.event)).toEqual(['fired', 'resolved']);
  expect(mine[0]!.suggestion.text.length).toBeGreaterThan(10);
}

describe.skipIf(!isRoot)('monitor under generated load (root)', () => {
  it('disk space: a file filling a tmpfs fires HostOutOfDiskSpace with a du suggestion, and resolves', async () => {
    const dir = mountTmpfs('size=16m');
    const h = harness(
      { rules: { HostOutOfDiskSpace: { forS: 1 }, HostClockJump: { enabled: false } } },
      'space',
    );
    h.monitor.tick();
    expect(fired(h, 'HostOutOfDiskSpace')).toBeUndefined();
    writeFileSync(join(dir, 'fill'), Buffer.alloc(15.5 * 2 ** 20, 1));
    expect(await tickUntil(h, () => !!fired(h, 'HostOutOfDiskSpace'))).toBe(true);
    const a = fired(h, 'HostOutOfDiskSpace')!;
    expect(a.entity).toBe(dir);
    expect(a.severity).toBe('critical');
    expect(a.suggestion.command).toContain(`du -xh --max-depth=2 ${dir}`);
    unlinkSync(join(dir, 'fill'));
    expect(await tickUntil(h, () => !!resolved(h, 'HostOutOfDiskSpace'))).toBe(true);
    expectSinks(h, 'HostOutOfDiskSpace');
  });

  it('inodes: many small files fire HostOutOfInodes, and resolve when removed', async () => {
    const dir = mountTmpfs('size=4m,nr_inodes=64');
    const h = harness(
      { rules: { HostOutOfInodes: { forS: 0 }, HostClockJump: { enabled: false } } },
      'inodes',
    );
    h.monitor.tick();
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `f${i}`), 'x');
    expect(await tickUntil(h, () => !!fired(h, 'HostOutOfInodes'))).toBe(true);
    expect(fired(h, 'HostOutOfInodes')!.suggestion.command).toContain('find');
    for (let i = 0; i < 60; i++) unlinkSync(join(dir, `f${i}`));
    expect(await tickUntil(h, () => !!resolved(h, 'HostOutOfInodes'))).toBe(true);
    expectSinks(h, 'HostOutOfInodes');
  });

  it('trend: a steadily filling tmpfs predicts full within 24 h, then resolves when it stops', () => {
    const dir = mountTmpfs('size=64m');
    const h = harness(
      {
        trend: { windowS: 600, minSpanS: 120, stepS: 1 },
        rules: { HostDiskMayFillIn24Hours: { forS: 0 }, HostClockJump: { enabled: false } },
      },
      'trend',
    );
    // virtual time: 30 s per tick, 1 MiB written per tick → ~1 h to full; the file system is real
    let now = Date.now();
    for (let i = 0; i < 12 && !fired(h, 'HostDiskMayFillIn24Hours'); i++) {
      writeFileSync(join(dir, `chunk${i}`), Buffer.alloc(2 ** 20, 1));
      h.monitor.tick(now);
      now += 30_000;
    }
    const a = fired(h, 'HostDiskMayFillIn24Hours');
    expect(a).toBeDefined();
    expect(a!.kind).toBe('trend');
    expect(a!.value).toBeLessThan(24);
    expect(a!.value).toBeGreaterThan(0.2);
    expect(a!.message).toMatch(/run out in/);
    for (let i = 0; i < 12; i++) rmSync(join(dir, `chunk${i}`), { force: true });
    for (let i = 0; i < 30 && !resolved(h, 'HostDiskMayFillIn24Hours'); i++) {
      h.monitor.tick(now);
      now += 30_000;
    }
    expect(resolved(h, 'HostDiskMayFillIn24Hours')).toBeDefined();
    expectSinks(h, 'HostDiskMayFillIn24Hours');
  });

  it('memory: a 1 GiB hog fires HostOutOfMemory (limit set just below the current level) and names it', async () => {
    const base = harness({}, 'membase');
    base.monitor.tick();
    const avail = base.monitor.current().metrics['mem.available_pct']!;
    const h = harness(
      {
        rules: {
          // clear 2 points under the start level, not 1: other test workers running at the same
          // time (a background host loading the assistant's model takes ~200 MB) must not keep
          // the alert from resolving once the 1 GiB hog is gone
          HostOutOfMemory: { value: avail - 2.5, clear: avail - 2, forS: 0 },
          HostClockJump: { enabled: false },
        },
      },
      'mem',
    );
    h.monitor.tick();
    expect(fired(h, 'HostOutOfMemory')).toBeUndefined();
    const hog = spawn(
      process.execPath,
      ['-e', "const b=Buffer.alloc(2**30,1);process.stdout.write('ready\\n');setInterval(()=>b[0]++,1000)"],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    children.push(hog);
    await new Promise<void>((res, rej) => {
      hog.stdout!.on('data', () => res());
      hog.on('exit', (c) => rej(new Error(`memory hog exited early (${c})`)));
    });
    expect(await tickUntil(h, () => !!fired(h, 'HostOutOfMemory'))).toBe(true);
    const a = fired(h, 'HostOutOfMemory')!;
    // the suggestion stops the biggest process; on a machine shared with other jobs that may be
    // another one, so check that the hog is among the processes the monitor names
    const top = h.monitor.current().processes.topMem;
    expect(top.map((p) => p.pid)).toContain(hog.pid);
    expect(a.suggestion.command).toBe(`kill ${top.find((p) => p.pid > 1)!.pid}`);
    if (top[0]!.pid === hog.pid) expect(a.suggestion.text).toContain(`pid ${hog.pid}`);
    hog.kill('SIGKILL');
    expect(await tickUntil(h, () => !!resolved(h, 'HostOutOfMemory'))).toBe(true);
    expectSinks(h, 'HostOutOfMemory');
  }, 120_000);

  it('CPU: burners on every core fire the CPU-load rule and the suggestion names a burner', async () => {
    const h = harness(
      { rules: { HostHighCpuLoad: { value: 60, forS: 1 }, HostClockJump: { enabled: false } } },
      'cpu',
    );
    const cores = Math.max(1, h.monitor.tick().cpu.cores);
    const pids: number[] = [];
    for (let i = 0; i < cores; i++) {
      const b = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
      children.push(b);
      pids.push(b.pid!);
    }
    expect(await tickUntil(h, () => !!fired(h, 'HostHighCpuLoad'), 20_000, 500)).toBe(true);
    // the burners must be among the busiest processes by now
    expect(
      await tickUntil(
        h,
        () => h.monitor.current().processes.topCpu.some((p) => pids.includes(p.pid)),
        10_000,
        500,
      ),
    ).toBe(true);
    const a = fired(h, 'HostHighCpuLoad')!;
    expect(a.suggestion.text).toMatch(/busiest processes/);
    expect(a.suggestion.command).toMatch(/^(renice -n 10 -p \d+|ps )/);
  }, 60_000);

  it('OOM kill: a hog in a 32 MiB memory cgroup is killed; HostOomKillDetected fires and resolves after its window', async () => {
    const cg = '/sys/fs/cgroup/memory';
    const v2 = '/sys/fs/cgroup/unified';
    const group = existsSync(join(cg, 'memory.limit_in_bytes')) ? join(cg, `ainl-test-${process.pid}`) : null;
    if (!group) {
      console.warn(`skipping the OOM test: no cgroup v1 memory controller (${v2} not used)`);
      return;
    }
    mkdirSync(group);
    try {
      writeFileSync(join(group, 'memory.limit_in_bytes'), '32M');
      const h = harness({ oomWindowS: 2, rules: { HostClockJump: { enabled: false } } }, 'oom');
      h.monitor.tick();
      const r = spawnSync('sh', ['-c', `echo $$ > ${group}/tasks; exec tail /dev/zero`], { timeout: 20_000 });
      expect(r.signal).toBe('SIGKILL');
      expect(await tickUntil(h, () => !!fired(h, 'HostOomKillDetected'))).toBe(true);
      const a = fired(h, 'HostOomKillDetected')!;
      expect(a.suggestion.command).toContain('journalctl -k');
      expect(await tickUntil(h, () => !!resolved(h, 'HostOomKillDetected'), 10_000)).toBe(true);
      expectSinks(h, 'HostOomKillDetected');
    } finally {
      rmdirSync(group);
    }
  });
});

describe('monitor without root or load', () => {
  it('a failed unit (from the unit lister) fires HostSystemdServiceCrashed with its log lines, and resolves', async () => {
    let failed: string[] = ['backup.service'];
    const h = harness({ unitsEveryS: 1, rules: { HostClockJump: { enabled: false } } }, 'units');
    const m = new Monitor(h.monitor.cfg, {
      events: { record: (e) => h.recorded.push(e) },
      emitAlert: (state, alert) => h.emitted.push({ state, alert }),
      dataDir: h.dataDir,
      failedUnits: () => Promise.resolve(failed),
    });
    m.start();
    try {
      const hx = { ...h, monitor: m };
      expect(await tickUntil(hx, () => !!fired(h, 'HostSystemdServiceCrashed'))).toBe(true);
      expect(fired(h, 'HostSystemdServiceCrashed')!.suggestion.command).toBe(
        'journalctl -u backup.service -n 30 --no-pager',
      );
      failed = [];
      await sleep(1200);
      expect(await tickUntil(hx, () => !!resolved(h, 'HostSystemdServiceCrashed'))).toBe(true);
      expectSinks(h, 'HostSystemdServiceCrashed');
    } finally {
      m.dispose();
    }
  });

  it('a clock jump fires the info alert; the cooldown suppresses an immediate repeat', () => {
    const h = harness({ cooldownS: 3600, rules: { HostClockJump: { holdS: 0 } } }, 'clock');
    const t = Date.now();
    h.monitor.tick(t);
    h.monitor.tick(t + 60_000); // wall clock 60 s ahead of the monotonic clock
    expect(fired(h, 'HostClockJump')?.severity).toBe('info');
    h.monitor.tick(t + 60_100);
    expect(resolved(h, 'HostClockJump')).toBeDefined();
    h.monitor.tick(t + 200_000);
    expect(h.emitted.filter((e) => e.state === 'fired' && e.alert.rule === 'HostClockJump')).toHaveLength(1);
  });

  it('bad rule configuration is reported and the monitor keeps running', () => {
    const h = harness(
      {
        rules: { Nope: { metric: 'x y', op: '>', value: 1 }, HostHighLoad: { op: 'bigger' } },
        mounts: { ignorePaths: '([' },
      },
      'bad',
    );
    expect(h.monitor.ruleProblems.length).toBe(3);
    expect(h.monitor.ruleProblems.join('\n')).toMatch(/ignorePaths/);
    const s = h.monitor.tick();
    expect(s.cpu.cores).toBeGreaterThan(0);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { monitorConfig } from '../../shared/config/monitor';
import type { MonitorAlert } from '../../shared/contract/monitor';
import type { RecordedEvent } from '../core/module';
import { mulberry32 } from './isolationForest';
import { Monitor, compactSample } from './monitor';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A monitor over a fake /proc whose CPU counters the test drives. */
function fakeMonitor(over: Record<string, unknown>) {
  const root = mkdtempSync(join(tmpdir(), 'ainl-monitor-'));
  dirs.push(root);
  mkdirSync(join(root, 'proc'), { recursive: true });
  mkdirSync(join(root, 'sys'), { recursive: true });
  let busy = 0;
  let idle = 0;
  const advance = (busyPct: number): void => {
    busy += busyPct * 5;
    idle += (100 - busyPct) * 5;
    writeFileSync(
      join(root, 'proc', 'stat'),
      `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy} 0 0 ${idle} 0 0 0 0 0 0\n`,
    );
  };
  advance(0);
  const recorded: RecordedEvent[] = [];
  const alerts: Array<{ state: string; alert: MonitorAlert }> = [];
  const cfg = monitorConfig.parse({
    unitsEveryS: 0,
    cooldownS: 0,
    rules: { HostClockJump: { enabled: false } },
    ...over,
  });
  const m = new Monitor(cfg, {
    events: { record: (e) => recorded.push(e) },
    emitAlert: (state, alert) => alerts.push({ state, alert }),
    dataDir: join(root, 'data'),
    procRoot: join(root, 'proc'),
    sysRoot: join(root, 'sys'),
  });
  return { m, advance, recorded, alerts, root };
}

describe('Monitor', () => {
  it('an anomalous CPU level raises one anomaly alert with a suggestion, which resolves after holdS and then cools down', () => {
    const f = fakeMonitor({
      anomaly: {
        metrics: ['cpu.busy_pct'],
        window: 300,
        minTrain: 100,
        refitEvery: 50,
        suppress: 100,
        warmup: 150,
        holdS: 60,
      },
    });
    const r = mulberry32(3);
    let t = 1_000_000_000_000;
    const step = (pct: number): void => {
      f.advance(pct);
      f.m.tick(t);
      f.m.refitNow();
      t += 5000;
    };
    for (let i = 0; i < 400; i++) step(20 + 6 * r());
    const before = f.alerts.filter((a) => a.alert.kind === 'anomaly').length;
    for (let i = 0; i < 10; i++) step(95);
    const anomalies = f.alerts.filter((a) => a.alert.kind === 'anomaly' && a.state === 'fired');
    expect(anomalies.length).toBe(before + 1);
    const a = anomalies.at(-1)!.alert;
    expect(a.metric).toBe('cpu.busy_pct');
    expect(a.severity).toBe('info');
    expect(a.suggestion.text).toMatch(/Unusual cpu\.busy_pct/);
    for (let i = 0; i < 14; i++) step(20 + 6 * r());
    expect(f.alerts.some((x) => x.state === 'resolved' && x.alert.id === a.id)).toBe(true);
    // a new spike within anomaly.cooldownS (default 1 h) does not raise another alert
    const fires = f.alerts.filter((x) => x.state === 'fired').length;
    for (let i = 0; i < 5; i++) step(99);
    expect(f.alerts.filter((x) => x.state === 'fired').length).toBe(fires);
    expect(
      f.recorded.filter((e) => e.type === 'alert.fired' && e.source === 'monitor').length,
    ).toBeGreaterThan(0);
    const log = readFileSync(join(f.root, 'data', 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(log.length).toBe(f.alerts.length);
  });

  it('keeps ticking with an almost empty /proc (container) and names what is missing', () => {
    const f = fakeMonitor({ anomaly: { enabled: false } });
    f.m.tick(1e12);
    f.advance(50);
    const s = f.m.tick(1e12 + 5000);
    expect(s.metrics['cpu.busy_pct']).toBeCloseTo(50, 6);
    expect(s.problems.some((p) => p.includes('meminfo'))).toBe(true);
    const c = compactSample(s);
    expect(c).toMatchObject({ cpuPct: 50, memPct: 0, disks: [] });
  });

  it('failing sinks (Quest Log, listener, an alert log below /proc) never stop or hang a tick', () => {
    const f = fakeMonitor({
      anomaly: { enabled: false },
      rules: { Always: { metric: 'cpu.cores', op: '>', value: 0 }, HostClockJump: { enabled: false } },
    });
    const bad = new Monitor(f.m.cfg, {
      events: {
        record: () => {
          throw new Error('quest log down');
        },
      },
      emitAlert: () => {
        throw new Error('no listener');
      },
      dataDir: '/proc/forbidden',
      procRoot: join(f.root, 'proc'),
      sysRoot: join(f.root, 'sys'),
    });
    expect(() => bad.tick(1e12)).not.toThrow();
    expect(bad.alerts.list(10, false).active.map((a) => a.rule)).toEqual(['Always']);
  });

  it('serves decimated history for the default metrics', () => {
    const f = fakeMonitor({ anomaly: { enabled: false } });
    for (let i = 0; i < 50; i++) {
      f.advance(i);
      f.m.tick(1e12 + i * 5000);
    }
    const h = f.m.historyRange({ maxPoints: 10 });
    const cpu = h.series.find((s) => s.metric === 'cpu.busy_pct')!;
    expect(cpu.t.length).toBeLessThanOrEqual(10);
    expect(Math.max(...cpu.v)).toBeCloseTo(49, 6);
    const ranged = f.m.historyRange({ metrics: ['cpu.busy_pct'], sinceMs: 1e12 + 40 * 5000, maxPoints: 100 });
    expect(ranged.series[0]!.t.length).toBe(10);
  });
});

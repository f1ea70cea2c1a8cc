import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Collector, unescapeMount } from './collector';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake /proc and /sys tree with the given files. */
function fakeRoot(files: Record<string, string>): {
  proc: string;
  sys: string;
  write: (rel: string, text: string) => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'ainl-mon-'));
  dirs.push(root);
  const write = (rel: string, text: string): void => {
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  mkdirSync(join(root, 'sys', 'block'), { recursive: true });
  return { proc: join(root, 'proc'), sys: join(root, 'sys'), write };
}

const stat = (user: number, idle: number, iowait = 0) =>
  `cpu  ${user} 0 0 ${idle} ${iowait} 0 0 0 0 0\ncpu0 ${user} 0 0 ${idle} ${iowait} 0 0 0 0 0\nctxt 100\nprocs_running 1\n`;
const netdev = (rx: number, errs = 0) =>
  `Inter-|   Receive |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n  eth0: ${rx} 100 ${errs} 0 0 0 0 0 ${rx} 100 0 0 0 0 0 0\n    lo: 5 5 0 0 0 0 0 0 5 5 0 0 0 0 0 0\n`;

describe('Collector', () => {
  it('derives CPU and network rates from counter deltas', () => {
    const f = fakeRoot({
      'proc/stat': stat(100, 900),
      'proc/meminfo': 'MemTotal: 1000 kB\nMemAvailable: 250 kB\nSwapTotal: 100 kB\nSwapFree: 10 kB\n',
      'proc/loadavg': '0.5 1.5 2.0 1/100 42\n',
      'proc/net/dev': netdev(1000),
      'proc/vmstat': 'pgmajfault 10\noom_kill 2\n',
      'proc/self/mounts': '',
      'proc/diskstats': '',
    });
    const c = new Collector({ procRoot: f.proc, sysRoot: f.sys });
    c.collect(1_000_000);
    f.write('proc/stat', stat(150, 950, 0));
    f.write('proc/net/dev', netdev(6000, 5));
    const { snapshot, metrics, problems } = c.collect(1_005_000);
    expect(problems).toEqual([]);
    expect(metrics['cpu.busy_pct']).toBeCloseTo(50, 6);
    expect(metrics['mem.used_pct']).toBeCloseTo(75, 6);
    expect(metrics['swap.used_pct']).toBeCloseTo(90, 6);
    expect(metrics['load.5_per_core']).toBeCloseTo(1.5, 6);
    expect(metrics['net[eth0].rx_bps']).toBeCloseTo(1000, 6);
    expect(metrics['net[eth0].rx_err_pct']).toBe(0); // no new packets: no division by zero
    expect(metrics['oom.kills_total']).toBe(2);
    expect(snapshot.net.map((n) => n.name)).toEqual(['eth0']);
  });

  it('reports counters that go backwards and skips their rates', () => {
    const f = fakeRoot({ 'proc/stat': stat(500, 500), 'proc/net/dev': netdev(9000) });
    const c = new Collector({ procRoot: f.proc, sysRoot: f.sys });
    c.collect(0 + 1e6);
    f.write('proc/stat', stat(100, 100));
    f.write('proc/net/dev', netdev(10));
    const { metrics, problems } = c.collect(5000 + 1e6);
    expect(metrics['cpu.busy_pct']).toBeUndefined();
    expect(metrics['net[eth0].rx_bps']).toBeUndefined();
    expect(problems.join('\n')).toMatch(/cpu counters went backwards/);
    expect(problems.join('\n')).toMatch(/net eth0: counters went backwards/);
  });

  it('keeps going when /proc files are missing (containers) and names them', () => {
    const f = fakeRoot({ 'proc/stat': stat(1, 1) });
    const c = new Collector({ procRoot: f.proc, sysRoot: f.sys });
    const { snapshot, metrics, problems } = c.collect();
    expect(problems.some((p) => p.includes('meminfo'))).toBe(true);
    expect(problems.some((p) => p.includes('diskstats'))).toBe(true);
    expect(snapshot.memory.totalBytes).toBe(0);
    expect(metrics['mem.used_pct']).toBeUndefined();
    expect(snapshot.psi).toBeNull();
  });

  it('skips rates across a clock jump and survives garbage values', () => {
    const f = fakeRoot({
      'proc/stat': stat(1, 1),
      'proc/loadavg': 'nan abc inf\n',
      'proc/net/dev': netdev(1),
    });
    const c = new Collector({ procRoot: f.proc, sysRoot: f.sys });
    c.collect(1e12);
    const { metrics, problems, snapshot } = c.collect(1e12 - 60_000);
    expect(problems.join('\n')).toMatch(/clock moved/);
    expect(snapshot.load).toEqual([0, 0, 0]);
    for (const v of Object.values(metrics)) expect(Number.isFinite(v)).toBe(true);
  });

  it('reads the real /proc of this machine', async () => {
    const c = new Collector();
    c.collect(Date.now() - 1000);
    // CPU percentages are deltas of jiffy counters: give them time to move (100 Hz ticks)
    await new Promise((r) => setTimeout(r, 120));
    const { snapshot, metrics } = c.collect();
    expect(snapshot.cpu.cores).toBeGreaterThan(0);
    expect(snapshot.memory.totalBytes).toBeGreaterThan(0);
    expect(snapshot.processes.count).toBeGreaterThan(1);
    expect(snapshot.processes.topMem.length).toBeGreaterThan(0);
    expect(metrics['cpu.busy_pct']).toBeGreaterThanOrEqual(0);
    expect(snapshot.filesystems.some((f) => f.mount === '/')).toBe(true);
  });

  it('reads hwmon temperatures and disk counters from /sys and /proc', () => {
    const f = fakeRoot({
      'sys/class/hwmon/hwmon0/name': 'coretemp\n',
      'sys/class/hwmon/hwmon0/temp1_input': '85000\n',
      'sys/class/hwmon/hwmon0/temp1_label': 'Package id 0\n',
      'sys/class/hwmon/hwmon0/temp1_max': '80000\n',
      'sys/class/hwmon/hwmon0/temp1_crit_alarm': '1\n',
      'sys/block/sda/size': '1\n',
      'proc/diskstats':
        '   8       0 sda 100 0 2000 50 10 0 800 40 0 100 90 0 0 0 0\n   7       0 loop0 1 0 1 1 1 0 1 1 0 1 1 0 0 0 0\n',
    });
    const c = new Collector({ procRoot: f.proc, sysRoot: f.sys });
    const first = c.collect(1e12);
    expect(first.metrics['temp[coretemp/Package id 0].celsius']).toBe(85);
    expect(first.metrics['temp[coretemp/Package id 0].headroom_c']).toBe(-5);
    expect(first.metrics['temp[coretemp/Package id 0].alarm']).toBe(1);
    f.write('proc/diskstats', '   8       0 sda 110 0 4048 150 20 0 1824 240 0 600 90 0 0 0 0\n');
    const { metrics } = c.collect(1e12 + 1000);
    expect(metrics['disk[sda].read_bps']).toBe(2048 * 512);
    expect(metrics['disk[sda].util_pct']).toBe(50);
    expect(metrics['disk[sda].read_latency_ms']).toBe(10);
    expect(metrics['disk[sda].write_latency_ms']).toBe(20);
    expect(Object.keys(metrics).some((k) => k.includes('loop0'))).toBe(false);
  });

  it('unescapes mount points', () => {
    expect(unescapeMount('/mnt/my\\040disk')).toBe('/mnt/my disk');
  });
});

import { describe, expect, it } from 'vitest';
import type { MonitorSnapshot } from '../../shared/contract/monitor';
import { BUILTIN_RULES } from './rules';
import { formatBytes, shellQuote, suggest } from './suggestions';

const snap = {
  processes: {
    count: 3,
    running: 1,
    topCpu: [{ pid: 4242, name: 'burner', cpuPct: 99, rssBytes: 1e6 }],
    topMem: [
      { pid: 1, name: 'systemd', cpuPct: 0, rssBytes: 9e9 },
      { pid: 777, name: 'hog', cpuPct: 1, rssBytes: 3 * 2 ** 30 },
    ],
  },
  filesystems: [
    {
      mount: '/',
      device: '/dev/sda1',
      type: 'ext4',
      readonly: false,
      sizeBytes: 1e11,
      availBytes: 1e9,
      usedPct: 99,
      inodesTotal: 1,
      inodesFree: 1,
      inodesUsedPct: 0,
    },
  ],
  failedUnits: ['nginx.service'],
} as unknown as MonitorSnapshot;

describe('suggestions', () => {
  it('every built-in rule gets a suggestion with text', () => {
    for (const r of BUILTIN_RULES) {
      const s = suggest({
        rule: r.id,
        kind: r.kind,
        metric: r.metric,
        entity: r.metric.includes('[*]') ? 'sda' : null,
        value: 1,
        snapshot: snap,
      });
      expect(s.text.length).toBeGreaterThan(10);
    }
  });

  it('memory: names the biggest process (never pid 1) and how to stop it', () => {
    const s = suggest({
      rule: 'HostOutOfMemory',
      kind: 'threshold',
      metric: 'mem.available_pct',
      entity: null,
      value: 5,
      snapshot: snap,
    });
    expect(s.command).toBe('kill 777');
    expect(s.text).toContain('hog (pid 777, 3.0 GiB)');
  });

  it('disk space on /: the biggest directories, the journal and the package cache', () => {
    const s = suggest({
      rule: 'HostOutOfDiskSpace',
      kind: 'threshold',
      metric: 'fs[/].avail_pct',
      entity: '/',
      value: 1,
      snapshot: snap,
    });
    expect(s.command).toMatch(/^du -xh --max-depth=2 \/ /);
    const alt = (s.alternatives ?? []).map((a) => a.command);
    expect(alt).toContain('sudo journalctl --vacuum-size=200M');
    expect(alt).toContain('sudo apt-get clean');
  });

  it('failed unit: its last log lines', () => {
    const s = suggest({
      rule: 'HostSystemdServiceCrashed',
      kind: 'threshold',
      metric: 'units.failed',
      entity: null,
      value: 1,
      snapshot: snap,
    });
    expect(s.command).toBe('journalctl -u nginx.service -n 30 --no-pager');
  });

  it('quotes odd mount points', () => {
    expect(shellQuote("/mnt/it's here")).toBe("'/mnt/it'\\''s here'");
    const s = suggest({
      rule: 'HostOutOfInodes',
      kind: 'threshold',
      metric: 'x',
      entity: '/mnt/a b',
      value: 1,
      snapshot: null,
    });
    expect(s.command).toContain("'/mnt/a b'");
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});

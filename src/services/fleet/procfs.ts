/**
 * node_exporter-compatible metrics read straight from /proc: the counters the monitor keeps only
 * as rates (CPU seconds per mode, disk and network byte counters), memory, load, pressure, vmstat.
 * Names, labels and units follow node_exporter's collectors (cpu, meminfo, loadavg, diskstats,
 * netdev, stat, vmstat, pressure, uname, time) so existing dashboards and alert rules apply.
 */
import { readFileSync } from 'node:fs';
import { hostname, release, version, machine } from 'node:os';
import type { Exposition } from './exposition';

/** USER_HZ: the unit of /proc/stat times (100 on every Linux architecture). */
const USER_HZ = 100;
/** node_exporter's default --collector.diskstats.device-exclude */
const DISK_EXCLUDE = /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;
/** node_exporter's default --collector.vmstat.fields */
const VMSTAT_FIELDS = /^((?:oom_kill|pgpg|pswp|pg\w*fault)\w*) (\d+)$/gm;

function read(procRoot: string, file: string): string | null {
  try {
    return readFileSync(`${procRoot}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

export function collectStat(x: Exposition, procRoot: string, problems: string[]): void {
  const text = read(procRoot, 'stat');
  if (text === null) return void problems.push('/proc/stat unreadable');
  const cpu = x.family('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.');
  const guest = x.family(
    'node_cpu_guest_seconds_total',
    'counter',
    'Seconds the CPUs spent in guests (VMs) for each mode.',
  );
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu')) {
      if (line.startsWith('cpu ')) continue;
      const f = line.split(' ');
      const id = (f[0] ?? '').slice(3);
      for (let i = 0; i < CPU_MODES.length; i++) {
        const v = Number(f[i + 1]);
        if (Number.isFinite(v)) cpu(v / USER_HZ, { cpu: id, mode: CPU_MODES[i]! });
      }
      const g = Number(f[9]);
      const gn = Number(f[10]);
      if (Number.isFinite(g)) guest(g / USER_HZ, { cpu: id, mode: 'user' });
      if (Number.isFinite(gn)) guest(gn / USER_HZ, { cpu: id, mode: 'nice' });
      continue;
    }
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const key = line.slice(0, sp);
    const family = STAT_FIELDS[key];
    if (!family) continue;
    const end = line.indexOf(' ', sp + 1);
    x.family(family[0], family[1], family[2])(Number(line.slice(sp + 1, end < 0 ? undefined : end)));
  }
}

const STAT_FIELDS: Record<string, [string, 'counter' | 'gauge', string]> = {
  intr: ['node_intr_total', 'counter', 'Total number of interrupts serviced.'],
  ctxt: ['node_context_switches_total', 'counter', 'Total number of context switches.'],
  btime: ['node_boot_time_seconds', 'gauge', 'Node boot time, in unixtime.'],
  processes: ['node_forks_total', 'counter', 'Total number of forks.'],
  procs_running: ['node_procs_running', 'gauge', 'Number of processes in runnable state.'],
  procs_blocked: ['node_procs_blocked', 'gauge', 'Number of processes blocked waiting for I/O to complete.'],
};

export function collectMeminfo(x: Exposition, procRoot: string, problems: string[]): void {
  const text = read(procRoot, 'meminfo');
  if (text === null) return void problems.push('/proc/meminfo unreadable');
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m || !m[1] || !m[2]) continue;
    const field = m[1].replace(/\((.*)\)/, '_$1').replace(/[^a-zA-Z0-9_]/g, '_');
    const bytes = m[3] === 'kB';
    const name = `node_memory_${field}${bytes ? '_bytes' : ''}`;
    x.family(
      name,
      'gauge',
      `Memory information field ${field}${bytes ? '_bytes' : ''}.`,
    )(Number(m[2]) * (bytes ? 1024 : 1));
  }
}

export function collectLoad(x: Exposition, procRoot: string, problems: string[]): void {
  const text = read(procRoot, 'loadavg');
  if (text === null) return void problems.push('/proc/loadavg unreadable');
  const f = text.trim().split(/\s+/);
  (['1', '5', '15'] as const).forEach((p, i) => {
    x.family(`node_load${p}`, 'gauge', `${p}m load average.`)(Number(f[i]));
  });
}

export function collectDiskstats(x: Exposition, procRoot: string, problems: string[]): void {
  const text = read(procRoot, 'diskstats');
  if (text === null) return void problems.push('/proc/diskstats unreadable');
  const fam = {
    readsCompleted: x.family(
      'node_disk_reads_completed_total',
      'counter',
      'The total number of reads completed successfully.',
    ),
    readsMerged: x.family('node_disk_reads_merged_total', 'counter', 'The total number of reads merged.'),
    readBytes: x.family(
      'node_disk_read_bytes_total',
      'counter',
      'The total number of bytes read successfully.',
    ),
    readTime: x.family(
      'node_disk_read_time_seconds_total',
      'counter',
      'The total number of seconds spent by all reads.',
    ),
    writesCompleted: x.family(
      'node_disk_writes_completed_total',
      'counter',
      'The total number of writes completed successfully.',
    ),
    writesMerged: x.family('node_disk_writes_merged_total', 'counter', 'The number of writes merged.'),
    writtenBytes: x.family(
      'node_disk_written_bytes_total',
      'counter',
      'The total number of bytes written successfully.',
    ),
    writeTime: x.family(
      'node_disk_write_time_seconds_total',
      'counter',
      'This is the total number of seconds spent by all writes.',
    ),
    ioNow: x.family('node_disk_io_now', 'gauge', 'The number of I/Os currently in progress.'),
    ioTime: x.family('node_disk_io_time_seconds_total', 'counter', 'Total seconds spent doing I/Os.'),
    ioWeighted: x.family(
      'node_disk_io_time_weighted_seconds_total',
      'counter',
      'The weighted number of seconds spent doing I/Os.',
    ),
  };
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const device = f[2];
    if (!device || f.length < 14 || DISK_EXCLUDE.test(device)) continue;
    const n = (i: number): number => Number(f[i]);
    const l = { device };
    fam.readsCompleted(n(3), l);
    fam.readsMerged(n(4), l);
    fam.readBytes(n(5) * 512, l);
    fam.readTime(n(6) / 1000, l);
    fam.writesCompleted(n(7), l);
    fam.writesMerged(n(8), l);
    fam.writtenBytes(n(9) * 512, l);
    fam.writeTime(n(10) / 1000, l);
    fam.ioNow(n(11), l);
    fam.ioTime(n(12) / 1000, l);
    fam.ioWeighted(n(13) / 1000, l);
  }
}

const NET_RX = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'frame', 'compressed', 'multicast'];
const NET_TX = ['bytes', 'packets', 'errs', 'drop', 'fifo', 'colls', 'carrier', 'compressed'];

export function collectNetdev(x: Exposition, procRoot: string, problems: string[]): void {
  const text = read(procRoot, 'net/dev');
  if (text === null) return void problems.push('/proc/net/dev unreadable');
  const rx = NET_RX.map((k) =>
    x.family(`node_network_receive_${k}_total`, 'counter', `Network device statistic receive_${k}.`),
  );
  const tx = NET_TX.map((k) =>
    x.family(`node_network_transmit_${k}_total`, 'counter', `Network device statistic transmit_${k}.`),
  );
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const device = line.slice(0, i).trim();
    const f = line
      .slice(i + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (!device || f.length < 16) continue;
    rx.forEach((add, k) => add(f[k] ?? NaN, { device }));
    tx.forEach((add, k) => add(f[k + 8] ?? NaN, { device }));
  }
}

export function collectVmstat(x: Exposition, procRoot: string, problems: string[]): void {
  const text = read(procRoot, 'vmstat');
  if (text === null) return void problems.push('/proc/vmstat unreadable');
  for (const m of text.matchAll(VMSTAT_FIELDS)) {
    const k = m[1];
    if (k) x.family(`node_vmstat_${k}`, 'untyped', `/proc/vmstat information field ${k}.`)(Number(m[2]));
  }
}

export function collectPressure(x: Exposition, procRoot: string): void {
  const totals = (res: string): { some?: number; full?: number } | null => {
    const text = read(procRoot, `pressure/${res}`);
    if (text === null) return null;
    const out: { some?: number; full?: number } = {};
    for (const line of text.split('\n')) {
      const m = /^(some|full) .*total=(\d+)/.exec(line);
      if (m && m[1] && m[2]) out[m[1] as 'some' | 'full'] = Number(m[2]) / 1e6;
    }
    return out;
  };
  const cpu = totals('cpu');
  if (cpu?.some !== undefined)
    x.family(
      'node_pressure_cpu_waiting_seconds_total',
      'counter',
      'Total time in seconds that processes have waited for CPU time',
    )(cpu.some);
  const mem = totals('memory');
  if (mem?.some !== undefined)
    x.family(
      'node_pressure_memory_waiting_seconds_total',
      'counter',
      'Total time in seconds that processes have waited for memory',
    )(mem.some);
  if (mem?.full !== undefined)
    x.family(
      'node_pressure_memory_stalled_seconds_total',
      'counter',
      'Total time in seconds no process could make progress due to memory congestion',
    )(mem.full);
  const io = totals('io');
  if (io?.some !== undefined)
    x.family(
      'node_pressure_io_waiting_seconds_total',
      'counter',
      'Total time in seconds that processes have waited due to IO congestion',
    )(io.some);
  if (io?.full !== undefined)
    x.family(
      'node_pressure_io_stalled_seconds_total',
      'counter',
      'Total time in seconds no process could make progress due to IO congestion',
    )(io.full);
}

export function collectUnameTime(x: Exposition): void {
  x.family(
    'node_uname_info',
    'gauge',
    'Labeled system information as provided by the uname system call.',
  )(1, {
    sysname: 'Linux',
    release: release(),
    version: version(),
    machine: machine(),
    nodename: hostname(),
  });
  x.family('node_time_seconds', 'gauge', 'System time in seconds since epoch (1970).')(Date.now() / 1000);
}

/** Every /proc collector; `problems` gets one line per source that could not be read. */
export function collectNode(x: Exposition, procRoot = '/proc'): string[] {
  const problems: string[] = [];
  collectStat(x, procRoot, problems);
  collectLoad(x, procRoot, problems);
  collectMeminfo(x, procRoot, problems);
  collectDiskstats(x, procRoot, problems);
  collectNetdev(x, procRoot, problems);
  collectVmstat(x, procRoot, problems);
  collectPressure(x, procRoot);
  collectUnameTime(x);
  return problems;
}

/**
 * The lean /proc and /sys reader of the monitor's hot loop. Every source is read synchronously
 * (these are small kernel-generated files: ~0.05 ms each), rates come from deltas against the
 * previous tick, and every source is optional: a missing file (containers), a counter that wraps or
 * goes backwards, or a non-finite value makes that part empty for this tick and adds a problem,
 * never an exception. systeminformation is not used here (see system/overview.ts for inventory).
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { MonitorSnapshot, MonitorProcess } from '../../shared/contract/monitor';

export interface CollectorOptions {
  /** root of the proc file system (tests point it at a fake tree) */
  procRoot: string;
  sysRoot: string;
  ignoreTypes: string[];
  ignorePaths: RegExp;
  topProcesses: number;
  /** scan /proc/<pid> every N ticks */
  processEvery: number;
}

export const DEFAULT_COLLECTOR: CollectorOptions = {
  procRoot: '/proc',
  sysRoot: '/sys',
  ignoreTypes: ['proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2'],
  ignorePaths: /^\/(proc|sys|dev|run)(\/|$)/,
  topProcesses: 5,
  processEvery: 1,
};

type Snapshot = Omit<MonitorSnapshot, 'metrics' | 'problems'>;

interface CpuTimes {
  total: number;
  idle: number;
  iowait: number;
  user: number;
  system: number;
  steal: number;
}

interface DiskCounters {
  rdIos: number;
  rdSectors: number;
  rdTicks: number;
  wrIos: number;
  wrSectors: number;
  wrTicks: number;
  ioTicks: number;
}

interface NetCounters {
  rxBytes: number;
  rxErrs: number;
  rxDrop: number;
  rxPackets: number;
  txBytes: number;
  txErrs: number;
  txDrop: number;
  txPackets: number;
}

interface TempSensor {
  name: string;
  input: string;
  max: number | null;
  crit: number | null;
  alarm: string | null;
}

const CLK_TCK = 100; // USER_HZ on every Linux architecture Node runs on
const SECTOR = 512;

export class Collector {
  readonly opts: CollectorOptions;
  private prevCpu: CpuTimes[] | null = null;
  private prevDisk = new Map<string, DiskCounters>();
  private prevNet = new Map<string, NetCounters>();
  private prevProc = new Map<number, number>(); // pid → utime+stime ticks
  private prevTs = 0;
  private prevVm: { pgmajfault: number; ctxt: number } | null = null;
  private tick = 0;
  private lastProcs: Snapshot['processes'] = { count: 0, running: 0, topCpu: [], topMem: [] };
  private temps: TempSensor[] | null = null;
  private netSpeed = new Map<string, number | null>();
  private blockDevs: Set<string> | null = null;
  private pageSize = 4096;
  /** problems of the last collect() */
  problems: string[] = [];
  /** set when a source vanished/appeared: rescan hwmon and block devices next tick */
  private rescanAt = 0;

  constructor(opts: Partial<CollectorOptions> = {}) {
    this.opts = { ...DEFAULT_COLLECTOR, ...opts };
  }

  private read(path: string): string | null {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  }

  private readonly small = Buffer.allocUnsafe(4096);

  /** Reads a small file (≤ 4 KiB, e.g. /proc/<pid>/stat) with one open/read/close and no fstat. */
  private readSmall(path: string): string | null {
    let fd = -1;
    try {
      fd = openSync(path, 'r');
      const n = readSync(fd, this.small, 0, this.small.length, null);
      return this.small.toString('utf8', 0, n);
    } catch {
      return null;
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }

  private proc(rel: string): string | null {
    const text = this.read(join(this.opts.procRoot, rel));
    if (text === null) this.problems.push(`cannot read ${join(this.opts.procRoot, rel)}`);
    return text;
  }

  /** Reads everything once. `now` is the wall-clock time of the sample (epoch ms). */
  collect(now = Date.now()): { snapshot: Snapshot; metrics: Record<string, number>; problems: string[] } {
    this.problems = [];
    const dt = this.prevTs > 0 ? (now - this.prevTs) / 1000 : 0;
    const validDt = dt > 0.05 && dt < 3600 ? dt : 0; // a clock jump gives no rates this tick
    if (this.prevTs > 0 && validDt === 0)
      this.problems.push(`clock moved by ${dt.toFixed(1)} s between samples; rates skipped`);
    this.prevTs = now;
    if (now - this.rescanAt > 300_000) {
      this.temps = null;
      this.blockDevs = null;
      this.netSpeed.clear();
      this.rescanAt = now;
    }
    const m: Record<string, number> = {};
    const cpu = this.readCpu(m);
    const load = this.readLoad(m);
    const memory = this.readMem(m);
    const psi = this.readPsi(m);
    this.readVmstat(m, validDt);
    const filesystems = this.readFilesystems(m);
    const disks = this.readDisks(m, validDt);
    const net = this.readNet(m, validDt);
    this.scannedThisTick = false;
    if (this.tick % this.opts.processEvery === 0) this.scanProcesses(now);
    this.tick++;
    m['procs.count'] = this.lastProcs.count;
    m['procs.running'] = this.lastProcs.running;
    const temperatures = this.readTemps(m);
    // drop any non-finite metric (a wrapped counter, a division by zero) rather than propagate it
    for (const [k, v] of Object.entries(m)) {
      if (!Number.isFinite(v)) {
        delete m[k];
        this.problems.push(`non-finite value for ${k} dropped`);
      }
    }
    return {
      snapshot: {
        ts: Math.max(0, Math.round(now)),
        intervalS: validDt,
        cpu,
        load,
        memory,
        psi,
        filesystems,
        disks,
        net,
        processes: this.lastProcs,
        oomKillsTotal: m['oom.kills_total'] ?? null,
        temperatures,
        failedUnits: null,
      },
      metrics: m,
      problems: this.problems,
    };
  }

  private readCpu(m: Record<string, number>): Snapshot['cpu'] {
    const text = this.proc('stat');
    const times: CpuTimes[] = [];
    if (text) {
      for (const line of text.split('\n')) {
        if (!line.startsWith('cpu')) continue;
        const p = line.trim().split(/\s+/);
        const v = p.slice(1, 11).map(Number);
        const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
        // guest time is already included in user/nice
        const total = user + nice + system + idle + iowait + irq + softirq + steal;
        times.push({
          total,
          idle: idle + iowait,
          iowait,
          user: user + nice,
          system: system + irq + softirq,
          steal,
        });
      }
    }
    const prev = this.prevCpu;
    this.prevCpu = times.length ? times : this.prevCpu;
    const pct = (
      i: number,
    ): { busy: number; user: number; system: number; iowait: number; steal: number } | null => {
      const a = prev?.[i];
      const b = times[i];
      if (!a || !b) return null;
      const dt = b.total - a.total;
      if (dt <= 0 || b.idle < a.idle) return null; // no time passed, or counters went backwards
      const f = (x: number, y: number): number => clampPct((100 * (x - y)) / dt);
      return {
        busy: clampPct(100 - (100 * (b.idle - a.idle)) / dt),
        user: f(b.user, a.user),
        system: f(b.system, a.system),
        iowait: f(b.iowait, a.iowait),
        steal: f(b.steal, a.steal),
      };
    };
    const all = pct(0);
    const perCore: number[] = [];
    for (let i = 1; i < times.length; i++) perCore.push(round1(pct(i)?.busy ?? 0));
    if (all) {
      m['cpu.busy_pct'] = all.busy;
      m['cpu.user_pct'] = all.user;
      m['cpu.system_pct'] = all.system;
      m['cpu.iowait_pct'] = all.iowait;
      m['cpu.steal_pct'] = all.steal;
      perCore.forEach((v, i) => (m[`cpu[${i}].busy_pct`] = v));
    } else if (prev?.[0] && times[0] && (times[0].total < prev[0].total || times[0].idle < prev[0].idle)) {
      this.problems.push('cpu counters went backwards; skipped this tick');
    }
    const cores = Math.max(1, times.length - 1);
    m['cpu.cores'] = cores;
    return {
      cores,
      busyPct: round1(all?.busy ?? 0),
      userPct: round1(all?.user ?? 0),
      systemPct: round1(all?.system ?? 0),
      iowaitPct: round1(all?.iowait ?? 0),
      stealPct: round1(all?.steal ?? 0),
      perCore,
    };
  }

  private readLoad(m: Record<string, number>): [number, number, number] {
    const text = this.proc('loadavg');
    const p = (text ?? '').split(/\s+/).map(Number);
    const l: [number, number, number] = [fin(p[0]), fin(p[1]), fin(p[2])];
    if (text) {
      const cores = m['cpu.cores'] ?? 1;
      m['load.1'] = l[0];
      m['load.5'] = l[1];
      m['load.15'] = l[2];
      m['load.5_per_core'] = l[1] / cores;
    }
    return l;
  }

  private readMem(m: Record<string, number>): Snapshot['memory'] {
    const text = this.proc('meminfo');
    const kv = new Map<string, number>();
    for (const line of (text ?? '').split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) kv.set(line.slice(0, i), Number.parseInt(line.slice(i + 1), 10) * 1024);
    }
    const total = kv.get('MemTotal') ?? 0;
    const avail = kv.get('MemAvailable') ?? (kv.get('MemFree') ?? 0) + (kv.get('Cached') ?? 0);
    const swapTotal = kv.get('SwapTotal') ?? 0;
    const swapUsed = Math.max(0, swapTotal - (kv.get('SwapFree') ?? swapTotal));
    const usedPct = total > 0 ? clampPct(100 * (1 - avail / total)) : 0;
    const swapPct = swapTotal > 0 ? clampPct((100 * swapUsed) / swapTotal) : 0;
    if (total > 0) {
      m['mem.used_pct'] = usedPct;
      m['mem.available_pct'] = 100 - usedPct;
      m['mem.available_bytes'] = avail;
      m['mem.total_bytes'] = total;
      m['swap.used_pct'] = swapPct;
      m['swap.total_bytes'] = swapTotal;
    }
    return {
      totalBytes: total,
      availableBytes: avail,
      usedPct: round1(usedPct),
      swapTotalBytes: swapTotal,
      swapUsedBytes: swapUsed,
      swapUsedPct: round1(swapPct),
    };
  }

  private readPsi(m: Record<string, number>): Snapshot['psi'] {
    const read = (name: string): { some: number; full: number } | null => {
      const text = this.read(join(this.opts.procRoot, 'pressure', name));
      if (!text) return null;
      const some = /some avg10=([\d.]+)/.exec(text);
      const full = /full avg10=([\d.]+)/.exec(text);
      return { some: fin(Number(some?.[1])), full: fin(Number(full?.[1])) };
    };
    const cpu = read('cpu');
    const mem = read('memory');
    const io = read('io');
    if (!cpu || !mem || !io) return null;
    m['psi.cpu_some'] = cpu.some;
    m['psi.mem_some'] = mem.some;
    m['psi.mem_full'] = mem.full;
    m['psi.io_some'] = io.some;
    m['psi.io_full'] = io.full;
    return { cpuSome: cpu.some, memSome: mem.some, memFull: mem.full, ioSome: io.some, ioFull: io.full };
  }

  private readVmstat(m: Record<string, number>, dt: number): void {
    const text = this.proc('vmstat');
    if (!text) return;
    const get = (key: string): number | undefined => {
      const i = text.indexOf(`\n${key} `);
      const at = i >= 0 ? i + 1 : text.startsWith(`${key} `) ? 0 : -1;
      if (at < 0) return undefined;
      return Number.parseInt(text.slice(at + key.length + 1), 10);
    };
    const oom = get('oom_kill');
    const pgmaj = get('pgmajfault') ?? 0;
    if (oom !== undefined) m['oom.kills_total'] = oom;
    const stat = this.read(join(this.opts.procRoot, 'stat')) ?? '';
    const ctxtMatch = /\nctxt (\d+)/.exec(stat);
    const ctxt = ctxtMatch ? Number(ctxtMatch[1]) : 0;
    const running = /\nprocs_running (\d+)/.exec(stat);
    if (running) m['procs.runnable'] = Number(running[1]);
    const prev = this.prevVm;
    this.prevVm = { pgmajfault: pgmaj, ctxt };
    if (prev && dt > 0) {
      if (pgmaj >= prev.pgmajfault) m['mem.major_faults_per_s'] = (pgmaj - prev.pgmajfault) / dt;
      if (ctxt >= prev.ctxt) m['cpu.ctxt_per_s'] = (ctxt - prev.ctxt) / dt;
    }
  }

  private readFilesystems(m: Record<string, number>): Snapshot['filesystems'] {
    const text = this.proc('self/mounts');
    const out: Snapshot['filesystems'] = [];
    const seen = new Set<string>();
    for (const line of (text ?? '').split('\n')) {
      const p = line.split(' ');
      if (p.length < 4) continue;
      const device = unescapeMount(p[0]!);
      const mount = unescapeMount(p[1]!);
      const type = p[2]!;
      if (this.opts.ignoreTypes.includes(type) || this.opts.ignorePaths.test(mount) || seen.has(mount))
        continue;
      seen.add(mount);
      let st;
      try {
        st = statfsSync(mount);
      } catch {
        continue; // unmounted between reading the list and statfs, or no permission
      }
      if (st.blocks <= 0) continue;
      const size = st.blocks * st.bsize;
      const avail = st.bavail * st.bsize;
      const usedPct = clampPct(100 * (1 - st.bavail / Math.max(1, st.blocks - st.bfree + st.bavail)));
      const inodesUsedPct = st.files > 0 ? clampPct(100 * (1 - st.ffree / st.files)) : 0;
      const readonly = /(^|,)ro(,|$)/.test(p[3]!);
      out.push({
        mount,
        device,
        type,
        readonly,
        sizeBytes: size,
        availBytes: avail,
        usedPct: round1(usedPct),
        inodesTotal: st.files,
        inodesFree: st.ffree,
        inodesUsedPct: round1(inodesUsedPct),
      });
      if (readonly) continue; // full read-only images (squashfs, ISO) are not a problem
      m[`fs[${mount}].used_pct`] = usedPct;
      m[`fs[${mount}].avail_pct`] = 100 - usedPct;
      m[`fs[${mount}].avail_bytes`] = avail;
      if (st.files > 0) {
        m[`fs[${mount}].inodes_free_pct`] = 100 - inodesUsedPct;
        m[`fs[${mount}].inodes_free`] = st.ffree;
      }
    }
    return out;
  }

  private isBlockDevice(name: string): boolean {
    if (!this.blockDevs) {
      try {
        this.blockDevs = new Set(
          readdirSync(join(this.opts.sysRoot, 'block')).filter((n) => !/^(loop|ram|zram)/.test(n)),
        );
      } catch {
        this.blockDevs = new Set();
      }
    }
    return this.blockDevs.has(name);
  }

  private readDisks(m: Record<string, number>, dt: number): Snapshot['disks'] {
    const text = this.proc('diskstats');
    const out: Snapshot['disks'] = [];
    let totalBps = 0;
    for (const line of (text ?? '').split('\n')) {
      const p = line.trim().split(/\s+/);
      if (p.length < 14) continue;
      const name = p[2]!;
      if (!this.isBlockDevice(name)) continue;
      const c: DiskCounters = {
        rdIos: Number(p[3]),
        rdSectors: Number(p[5]),
        rdTicks: Number(p[6]),
        wrIos: Number(p[7]),
        wrSectors: Number(p[9]),
        wrTicks: Number(p[10]),
        ioTicks: Number(p[12]),
      };
      const prev = this.prevDisk.get(name);
      this.prevDisk.set(name, c);
      if (!prev || dt <= 0) continue;
      const d = (k: keyof DiskCounters): number | null => (c[k] >= prev[k] ? c[k] - prev[k] : null);
      const rs = d('rdSectors');
      const ws = d('wrSectors');
      const io = d('ioTicks');
      const rIos = d('rdIos');
      const wIos = d('wrIos');
      const rT = d('rdTicks');
      const wT = d('wrTicks');
      if (
        rs === null ||
        ws === null ||
        io === null ||
        rIos === null ||
        wIos === null ||
        rT === null ||
        wT === null
      ) {
        this.problems.push(
          `disk ${name}: counters went backwards (wrapped or device reset); skipped this tick`,
        );
        continue;
      }
      const disk = {
        name,
        readBps: (rs * SECTOR) / dt,
        writeBps: (ws * SECTOR) / dt,
        utilPct: clampPct(io / (10 * dt)),
        readLatencyMs: rIos > 0 ? rT / rIos : 0,
        writeLatencyMs: wIos > 0 ? wT / wIos : 0,
      };
      totalBps += disk.readBps + disk.writeBps;
      out.push(disk);
      m[`disk[${name}].util_pct`] = disk.utilPct;
      m[`disk[${name}].read_bps`] = disk.readBps;
      m[`disk[${name}].write_bps`] = disk.writeBps;
      m[`disk[${name}].read_latency_ms`] = disk.readLatencyMs;
      m[`disk[${name}].write_latency_ms`] = disk.writeLatencyMs;
    }
    if (dt > 0 && text) m['disk.total_bps'] = totalBps;
    return out;
  }

  private speed(name: string): number | null {
    if (!this.netSpeed.has(name)) {
      const s = Number.parseInt(this.read(join(this.opts.sysRoot, 'class', 'net', name, 'speed')) ?? '', 10);
      this.netSpeed.set(name, Number.isFinite(s) && s > 0 ? s : null);
    }
    return this.netSpeed.get(name) ?? null;
  }

  private readNet(m: Record<string, number>, dt: number): Snapshot['net'] {
    const text = this.proc('net/dev');
    const out: Snapshot['net'] = [];
    let rxTotal = 0;
    let txTotal = 0;
    for (const line of (text ?? '').split('\n')) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const name = line.slice(0, i).trim();
      if (name === 'lo' || name.includes('|')) continue;
      const p = line
        .slice(i + 1)
        .trim()
        .split(/\s+/)
        .map(Number);
      if (p.length < 16) continue;
      const c: NetCounters = {
        rxBytes: p[0]!,
        rxPackets: p[1]!,
        rxErrs: p[2]!,
        rxDrop: p[3]!,
        txBytes: p[8]!,
        txPackets: p[9]!,
        txErrs: p[10]!,
        txDrop: p[11]!,
      };
      const prev = this.prevNet.get(name);
      this.prevNet.set(name, c);
      if (!prev || dt <= 0) continue;
      const keys = Object.keys(c) as Array<keyof NetCounters>;
      if (keys.some((k) => c[k] < prev[k])) {
        this.problems.push(
          `net ${name}: counters went backwards (wrapped or interface reset); skipped this tick`,
        );
        continue;
      }
      const d = (k: keyof NetCounters): number => c[k] - prev[k];
      const speed = this.speed(name);
      const iface = {
        name,
        rxBps: d('rxBytes') / dt,
        txBps: d('txBytes') / dt,
        rxErrorsPerS: d('rxErrs') / dt,
        txErrorsPerS: d('txErrs') / dt,
        rxDropsPerS: d('rxDrop') / dt,
        txDropsPerS: d('txDrop') / dt,
        speedMbps: speed,
      };
      rxTotal += iface.rxBps;
      txTotal += iface.txBps;
      out.push(iface);
      m[`net[${name}].rx_bps`] = iface.rxBps;
      m[`net[${name}].tx_bps`] = iface.txBps;
      const rxp = d('rxPackets');
      const txp = d('txPackets');
      m[`net[${name}].rx_err_pct`] = rxp > 0 ? clampPct((100 * d('rxErrs')) / rxp) : 0;
      m[`net[${name}].tx_err_pct`] = txp > 0 ? clampPct((100 * d('txErrs')) / txp) : 0;
      if (speed) {
        m[`net[${name}].rx_util_pct`] = clampPct((100 * iface.rxBps * 8) / (speed * 1e6));
        m[`net[${name}].tx_util_pct`] = clampPct((100 * iface.txBps * 8) / (speed * 1e6));
      }
    }
    if (dt > 0 && text) {
      m['net.total_rx_bps'] = rxTotal;
      m['net.total_tx_bps'] = txTotal;
    }
    return out;
  }

  /** true when the last collect() scanned the processes (false: the list is from an earlier tick) */
  scannedThisTick = false;
  private lastScanAt = 0;

  /** Scans /proc/<pid> now (also between scheduled scans, e.g. to name processes in an alert). */
  scanProcesses(now = Date.now()): Snapshot['processes'] {
    const dt = this.lastScanAt > 0 ? (now - this.lastScanAt) / 1000 : 0;
    this.lastScanAt = now;
    this.lastProcs = this.readProcesses(dt > 0.05 && dt < 3600 ? dt : 0);
    this.scannedThisTick = true;
    return this.lastProcs;
  }

  private readProcesses(dt: number): Snapshot['processes'] {
    let names: string[];
    try {
      names = readdirSync(this.opts.procRoot);
    } catch {
      this.problems.push(`cannot list ${this.opts.procRoot}`);
      return { count: 0, running: 0, topCpu: [], topMem: [] };
    }
    const procs: MonitorProcess[] = [];
    const next = new Map<number, number>();
    let running = 0;
    for (const n of names) {
      const c = n.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(n);
      const text = this.readSmall(`${this.opts.procRoot}/${n}/stat`);
      if (!text) continue; // exited meanwhile
      const close = text.lastIndexOf(')');
      if (close < 0) continue;
      const name = text.slice(text.indexOf('(') + 1, close);
      // fields after the command: state (field 3) … utime 14, stime 15 … rss 24; scanned without split()
      if (text.charCodeAt(close + 2) === 82 /* R */) running++;
      let field = 3;
      let i = close + 2;
      let utime = 0;
      let stime = 0;
      let rssPages = 0;
      while (i < text.length && field <= 24) {
        const sp = text.indexOf(' ', i);
        const end = sp < 0 ? text.length : sp;
        if (field === 14) utime = parseIntRange(text, i, end);
        else if (field === 15) stime = parseIntRange(text, i, end);
        else if (field === 24) rssPages = parseIntRange(text, i, end);
        field++;
        i = end + 1;
      }
      const ticks = utime + stime;
      next.set(pid, ticks);
      const before = this.prevProc.get(pid);
      const cpuPct =
        before !== undefined && dt > 0 && ticks >= before ? (100 * (ticks - before)) / CLK_TCK / dt : 0;
      const rss = rssPages * this.pageSize;
      procs.push({ pid, name, cpuPct: round1(cpuPct), rssBytes: Number.isFinite(rss) ? rss : 0 });
    }
    this.prevProc = next;
    const k = this.opts.topProcesses;
    const topCpu = k > 0 ? topBy(procs, (p) => p.cpuPct, k).filter((p) => p.cpuPct > 0) : [];
    const topMem = k > 0 ? topBy(procs, (p) => p.rssBytes, k) : [];
    return { count: procs.length, running, topCpu, topMem };
  }

  private discoverTemps(): TempSensor[] {
    const out: TempSensor[] = [];
    const base = join(this.opts.sysRoot, 'class', 'hwmon');
    let dirs: string[];
    try {
      dirs = readdirSync(base);
    } catch {
      return out;
    }
    for (const d of dirs) {
      const dir = join(base, d);
      let files: string[];
      try {
        files = readdirSync(dir);
      } catch {
        continue;
      }
      const chip = (this.read(join(dir, 'name')) ?? d).trim();
      for (const f of files) {
        const mm = /^temp(\d+)_input$/.exec(f);
        if (!mm) continue;
        const idx = mm[1]!;
        const label = (this.read(join(dir, `temp${idx}_label`)) ?? `temp${idx}`).trim();
        const milli = (name: string): number | null => {
          const v = Number.parseInt(this.read(join(dir, name)) ?? '', 10);
          return Number.isFinite(v) && v > 0 ? v / 1000 : null;
        };
        const alarmFile = files.includes(`temp${idx}_crit_alarm`) ? join(dir, `temp${idx}_crit_alarm`) : null;
        out.push({
          name: `${chip}/${label}`,
          input: join(dir, f),
          max: milli(`temp${idx}_max`),
          crit: milli(`temp${idx}_crit`),
          alarm: alarmFile,
        });
      }
    }
    return out;
  }

  private readTemps(m: Record<string, number>): Snapshot['temperatures'] {
    if (!this.temps) this.temps = this.discoverTemps();
    const out: Snapshot['temperatures'] = [];
    for (const s of this.temps) {
      const v = Number.parseInt(this.read(s.input) ?? '', 10);
      if (!Number.isFinite(v)) continue;
      const c = v / 1000;
      const alarm = s.alarm ? (this.read(s.alarm) ?? '0').trim() === '1' : false;
      out.push({ name: s.name, celsius: c, maxC: s.max, critC: s.crit, alarm });
      m[`temp[${s.name}].celsius`] = c;
      const limit = s.max ?? s.crit;
      if (limit) m[`temp[${s.name}].headroom_c`] = limit - c;
      m[`temp[${s.name}].alarm`] = alarm ? 1 : 0;
    }
    return out;
  }
}

/** Parses a non-negative decimal integer in text[from, to) without allocating. */
function parseIntRange(text: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return v;
    v = v * 10 + c;
  }
  return v;
}

function topBy<T>(items: T[], key: (t: T) => number, k: number): T[] {
  return [...items].sort((a, b) => key(b) - key(a)).slice(0, k);
}

/** /proc/self/mounts escapes space, tab, newline and backslash as octal. */
export function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

function clampPct(v: number): number {
  if (!Number.isFinite(v) || v < 0) return 0;
  return v > 100 ? 100 : v;
}

function fin(v: number | undefined): number {
  return v !== undefined && Number.isFinite(v) ? v : 0;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

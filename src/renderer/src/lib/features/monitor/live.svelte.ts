import type { MonitorSample } from '@shared/contract/monitor';
import { api } from '../../api';
import type { Point } from '../../charts.svelte';
import { describeError } from '../../problems';

export type SparkKey = 'cpu' | 'mem' | 'disk' | 'rx' | 'tx';

const HISTORY_METRIC: Record<Exclude<SparkKey, 'disk'>, string> = {
  cpu: 'cpu.busy_pct',
  mem: 'mem.used_pct',
  rx: 'net.total_rx_bps',
  tx: 'net.total_tx_bps',
};

/**
 * Live sparkline data for the popup: seeded from `monitor:history`, then fed by `monitor:sample`
 * pushes. Keeps at most `keep` points per series (a ring by slicing: the arrays are small).
 */
export class LiveMetrics {
  series = $state.raw<Record<SparkKey, Point[]>>({ cpu: [], mem: [], disk: [], rx: [], tx: [] });
  latest = $state.raw<MonitorSample | null>(null);
  diskMount = $state('/');
  error = $state<string | null>(null);
  loading = $state(true);

  constructor(private readonly keep = 120) {}

  async load(): Promise<void> {
    try {
      const res = await api.invoke('monitor:history', {
        metrics: [...Object.values(HISTORY_METRIC), `fs[${this.diskMount}].used_pct`],
        sinceMs: Date.now() - this.keep * 5_000 * 2,
        maxPoints: this.keep,
      });
      const next = { ...this.series };
      for (const s of res.series) {
        const pts = s.t.map((t, i) => ({ x: t, y: s.v[i] ?? 0 }));
        const key = (Object.keys(HISTORY_METRIC) as Array<keyof typeof HISTORY_METRIC>).find(
          (k) => HISTORY_METRIC[k] === s.metric,
        );
        if (key) next[key] = merge(pts, next[key], this.keep);
        else if (s.metric.startsWith('fs[')) next.disk = merge(pts, next.disk, this.keep);
      }
      this.series = next;
      this.error = null;
    } catch (err) {
      this.error = describeError(err, 'The kernel monitor');
    } finally {
      this.loading = false;
    }
  }

  push(s: MonitorSample): void {
    this.latest = s;
    this.loading = false;
    this.error = null;
    const disk = s.disks.find((d) => d.mount === this.diskMount) ?? s.disks[0];
    if (disk && disk.mount !== this.diskMount && this.series.disk.length === 0) this.diskMount = disk.mount;
    const add = (arr: Point[], y: number | undefined): Point[] =>
      y === undefined || !Number.isFinite(y) ? arr : [...arr, { x: s.ts, y }].slice(-this.keep);
    this.series = {
      cpu: add(this.series.cpu, s.cpuPct),
      mem: add(this.series.mem, s.memPct),
      disk: add(this.series.disk, disk?.usedPct),
      rx: add(this.series.rx, s.rxBps),
      tx: add(this.series.tx, s.txBps),
    };
  }

  /** Subscribes and loads; returns the disposer. */
  start(): () => void {
    const off = api.on('monitor:sample', (s) => this.push(s));
    void this.load();
    return off;
  }

  /** Last value of a series (from history when no push arrived yet). */
  last(key: SparkKey): number | null {
    const arr = this.series[key];
    return arr.length ? (arr[arr.length - 1]?.y ?? null) : null;
  }
}

/** History points followed by any pushed points newer than the history. */
function merge(history: Point[], pushed: Point[], keep: number): Point[] {
  const lastT = history.length ? (history[history.length - 1]?.x ?? 0) : 0;
  return [...history, ...pushed.filter((p) => p.x > lastT)].slice(-keep);
}

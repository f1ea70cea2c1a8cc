import type { MonitorAlert } from '@shared/contract/monitor';
import { api } from '../../api';
import type { Point } from '../../charts.svelte';
import { describeError } from '../../problems';

export const RANGES = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 hour', ms: 60 * 60_000 },
  { id: '4h', label: '4 hours', ms: 4 * 60 * 60_000 },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

export interface ChartDef {
  id: string;
  title: string;
  unit: 'pct' | 'bps' | 'load';
  metrics: Array<{ metric: string; label: string; color: string }>;
}

const BASE: ChartDef[] = [
  {
    id: 'cpu',
    title: 'CPU busy',
    unit: 'pct',
    metrics: [{ metric: 'cpu.busy_pct', label: 'CPU', color: '--accent' }],
  },
  {
    id: 'mem',
    title: 'Memory and swap',
    unit: 'pct',
    metrics: [
      { metric: 'mem.used_pct', label: 'Memory', color: '--purple' },
      { metric: 'swap.used_pct', label: 'Swap', color: '--warn' },
    ],
  },
  {
    id: 'load',
    title: 'Load average (1 min)',
    unit: 'load',
    metrics: [{ metric: 'load.1', label: 'Load 1', color: '--info' }],
  },
  {
    id: 'disk',
    title: 'Disk I/O',
    unit: 'bps',
    metrics: [{ metric: 'disk.total_bps', label: 'Disk', color: '--ok' }],
  },
  {
    id: 'net',
    title: 'Network',
    unit: 'bps',
    metrics: [
      { metric: 'net.total_rx_bps', label: 'Received', color: '--info' },
      { metric: 'net.total_tx_bps', label: 'Sent', color: '--warn' },
    ],
  },
];

/** History charts for the dashboard, with a zoom range and anomaly markers from the alerts. */
export class DashboardState {
  range = $state<RangeId>('1h');
  /** when set, the x axis is zoomed to this window inside the range */
  zoom = $state<{ min: number; max: number } | null>(null);
  series = $state.raw<Record<string, Point[]>>({});
  available = $state.raw<string[]>([]);
  error = $state<string | null>(null);
  loading = $state(true);
  now = $state(Date.now());

  charts = $derived.by<ChartDef[]>(() => {
    const fs = this.available
      .filter((m) => /^fs\[.*\]\.used_pct$/.test(m))
      .slice(0, 4)
      .map((m) => ({ metric: m, label: m.slice(3, m.indexOf('].')), color: '--ok' }));
    return fs.length
      ? [
          ...BASE,
          {
            id: 'fs',
            title: 'File systems used',
            unit: 'pct' as const,
            metrics: fs.map((f, i) => ({
              ...f,
              color: ['--ok', '--accent', '--purple', '--warn'][i] ?? '--ok',
            })),
          },
        ]
      : BASE;
  });

  /** The x range shown: the zoom, else the selected range (clipped to when monitoring began). */
  window = $derived.by(() => {
    if (this.zoom) return this.zoom;
    const span = RANGES.find((r) => r.id === this.range)?.ms ?? 3_600_000;
    const firsts = Object.values(this.series)
      .map((p) => p[0]?.x)
      .filter((x): x is number => x !== undefined);
    const earliest = firsts.length ? Math.min(...firsts) : this.now - span;
    const min = Math.max(this.now - span, Math.min(earliest, this.now - 20_000));
    return { min, max: this.now };
  });

  private inflight = false;

  async load(): Promise<void> {
    if (this.inflight) return;
    this.inflight = true;
    try {
      const span = RANGES.find((r) => r.id === this.range)?.ms ?? 3_600_000;
      const metrics = this.charts
        .flatMap((c) => c.metrics.map((m) => m.metric))
        .filter((m, i, all) => all.indexOf(m) === i);
      const res = await api.invoke('monitor:history', {
        metrics,
        sinceMs: Date.now() - span,
        maxPoints: 600,
      });
      const next: Record<string, Point[]> = {};
      for (const s of res.series) next[s.metric] = s.t.map((t, i) => ({ x: t, y: s.v[i] ?? 0 }));
      const grewFs = res.available.some((m) => m.startsWith('fs[') && !this.available.includes(m));
      this.available = res.available;
      this.series = next;
      this.now = Date.now();
      this.error = null;
      if (grewFs && !metrics.some((m) => m.startsWith('fs['))) {
        this.inflight = false;
        return this.load();
      }
    } catch (err) {
      this.error = describeError(err, 'The kernel monitor');
    } finally {
      this.inflight = false;
      this.loading = false;
    }
  }

  setRange(id: RangeId): void {
    this.range = id;
    this.zoom = null;
    void this.load();
  }

  /** Zoom into the middle half of the current window (or out again). */
  zoomIn(): void {
    const w = this.window;
    const q = (w.max - w.min) / 4;
    this.zoom = { min: w.min + q, max: w.max - q };
  }

  zoomOut(): void {
    this.zoom = null;
  }

  start(): () => void {
    void this.load();
    let last = 0;
    const off = api.on('monitor:sample', () => {
      if (this.zoom) return; // keep a zoomed view still
      const t = Date.now();
      if (t - last < 5_000) return;
      last = t;
      void this.load();
    });
    return off;
  }
}

/** Anomaly markers for a chart: anomaly alerts on one of its metrics, at their firing time. */
export function anomalyMarkers(alerts: MonitorAlert[], metrics: string[]): Point[] {
  return alerts
    .filter((a) => a.kind === 'anomaly' && metrics.includes(a.metric))
    .map((a) => ({ x: a.firedAt, y: a.value }));
}

/**
 * chart.js, tree-shaken: only the pieces the pages use are registered. Charts are created through
 * `{@attach}` and updated in place (no animation) when their reactive data changes.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { clock } from './format';
import { cssVar, theme } from './theme.svelte';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  BarController,
  BarElement,
  ScatterController,
  Filler,
  Tooltip,
  Decimation,
);
Chart.defaults.animation = false;
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;

export interface Point {
  x: number;
  y: number;
}

export interface SeriesSpec {
  label: string;
  points: Point[];
  /** a CSS variable name (--accent) or a colour */
  color: string;
  fill?: boolean;
  /** markers only (anomalies) */
  markers?: boolean;
}

function colour(c: string): string {
  return c.startsWith('--') ? cssVar(c) || '#888' : c;
}

function alpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m || !m[1]) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function datasets(series: SeriesSpec[], sparkline: boolean): ChartDataset<'line' | 'scatter', Point[]>[] {
  return series.map((s) => {
    const c = colour(s.color);
    if (s.markers) {
      return {
        type: 'scatter' as const,
        label: s.label,
        data: s.points,
        pointStyle: 'triangle',
        pointRadius: 6,
        pointHoverRadius: 8,
        backgroundColor: c,
        borderColor: c,
      };
    }
    return {
      type: 'line' as const,
      label: s.label,
      data: s.points,
      borderColor: c,
      backgroundColor: alpha(c, sparkline ? 0.16 : 0.12),
      borderWidth: sparkline ? 1.5 : 1.75,
      fill: s.fill ?? sparkline,
      pointRadius: 0,
      pointHitRadius: 6,
      tension: 0.25,
      parsing: false as const,
      normalized: true,
      spanGaps: false,
    };
  });
}

export interface TimeChartOptions {
  sparkline?: boolean;
  yMax?: number;
  yMin?: number;
  /** format of y values in ticks and tooltips */
  format?: (v: number) => string;
  /** show seconds on the time axis */
  seconds?: boolean;
  /** fixed x range (zoom); otherwise fits the data */
  range?: () => { min: number; max: number } | null;
}

function timeOptions(o: TimeChartOptions): ChartOptions<'line'> {
  const grid = cssVar('--border');
  const text = cssVar('--text-2');
  const fmt = o.format ?? ((v: number) => String(Math.round(v * 10) / 10));
  const spark = o.sparkline ?? false;
  return {
    parsing: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    layout: { padding: spark ? 0 : 4 },
    scales: {
      x: {
        type: 'linear',
        bounds: 'data',
        display: !spark,
        grid: { color: grid, display: !spark },
        border: { display: false },
        ticks: {
          color: text,
          maxTicksLimit: 8,
          callback: (v) => clock(Number(v), o.seconds && Number(v) % 60_000 !== 0),
        },
      },
      y: {
        type: 'linear',
        display: !spark,
        beginAtZero: true,
        ...(o.yMax !== undefined ? { suggestedMax: o.yMax } : {}),
        ...(o.yMin !== undefined ? { min: o.yMin } : {}),
        grid: { color: grid },
        border: { display: false },
        ticks: { color: text, maxTicksLimit: 5, callback: (v) => fmt(Number(v)) },
      },
    },
    plugins: {
      legend: { display: false },
      decimation: { enabled: true, algorithm: 'min-max' },
      tooltip: {
        enabled: !spark,
        callbacks: {
          title: (items) => (items[0] ? clock(items[0].parsed.x ?? 0, true) : ''),
          label: (item) => `${item.dataset.label ?? ''}: ${fmt(item.parsed.y ?? 0)}`,
        },
      },
    },
  };
}

/** A line chart over time. `series` is read reactively; the chart updates in place. */
export function timeChart(
  series: () => SeriesSpec[],
  o: TimeChartOptions = {},
): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    let chart: Chart<'line', Point[]> | null = null;
    $effect(() => {
      void theme.dark; // rebuild colours when the theme flips
      const opts = timeOptions(o);
      chart?.destroy();
      chart = new Chart<'line', Point[]>(canvas, { type: 'line', data: { datasets: [] }, options: opts });
      return () => chart?.destroy();
    });
    $effect(() => {
      const s = series();
      const r = o.range?.() ?? null;
      void theme.dark;
      if (!chart) return;
      chart.data.datasets = datasets(s, o.sparkline ?? false) as ChartDataset<'line', Point[]>[];
      const x = chart.options.scales?.x;
      if (x) {
        x.min = r?.min;
        x.max = r?.max;
        if (r && x.ticks) (x.ticks as { stepSize?: number }).stepSize = niceStep((r.max - r.min) / 6);
      }
      chart.update('none');
    });
  };
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].map((s) => s * 1000);

/** A round time step (1 s … 2 h) close to `ms`, so axis ticks fall on whole minutes. */
export function niceStep(ms: number): number {
  return STEPS.find((s) => s >= ms) ?? STEPS[STEPS.length - 1]!;
}

export interface BarSpec {
  labels: string[];
  sets: Array<{ label: string; values: number[]; color: string }>;
  horizontal?: boolean;
  stacked?: boolean;
}

/** A bar chart (Quest Log stats). */
export function barChart(spec: () => BarSpec): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    $effect(() => {
      const s = spec();
      void theme.dark;
      const grid = cssVar('--border');
      const text = cssVar('--text-2');
      const chart = new Chart(canvas, {
        type: 'bar',
        data: {
          labels: s.labels,
          datasets: s.sets.map((d) => ({
            label: d.label,
            data: d.values,
            backgroundColor: colour(d.color),
            borderRadius: 3,
            maxBarThickness: 22,
          })),
        },
        options: {
          indexAxis: s.horizontal ? 'y' : 'x',
          scales: {
            x: {
              stacked: s.stacked ?? false,
              grid: { color: grid, display: !!s.horizontal },
              border: { display: false },
              ticks: { color: text, autoSkip: true, maxRotation: 0, precision: 0 },
            },
            y: {
              stacked: s.stacked ?? false,
              grid: { color: grid, display: !s.horizontal },
              border: { display: false },
              ticks: { color: text, autoSkip: !s.horizontal, precision: 0 },
            },
          },
          plugins: { legend: { display: false }, tooltip: { enabled: true } },
        },
      });
      return () => chart.destroy();
    });
  };
}

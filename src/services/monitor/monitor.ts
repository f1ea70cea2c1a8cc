/**
 * The Kernel Monitor: one tick = collect (/proc, /sys) → trends → history → rules → anomaly
 * detectors → alerts (with suggestions) → `monitor:sample`. Detector refits run off the tick in
 * setImmediate callbacks, one detector at a time.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { MonitorConfig } from '../../shared/config/monitor';
import type {
  EffectiveRule,
  MonitorAlert,
  MonitorSample,
  MonitorSnapshot,
} from '../../shared/contract/monitor';
import type { EventRecorder } from '../core/module';
import type { Logger } from '../core/logger';
import { AlertManager } from './alerts';
import { Collector } from './collector';
import { StreamingDetector } from './detector';
import { History } from './history';
import { RuleEngine, effectiveRules, type RuleTransition } from './rules';
import { suggest } from './suggestions';
import { TrendTracker } from './trends';

export interface MonitorDeps {
  events: EventRecorder;
  emitSample?: (s: MonitorSample) => void;
  emitAlert?: (state: 'fired' | 'resolved', a: MonitorAlert) => void;
  log?: Logger;
  /** directory of alerts.jsonl; null: no alert log */
  dataDir: string | null;
  procRoot?: string;
  sysRoot?: string;
  /** lists failed systemd units (null: unknown); default runs systemctl */
  failedUnits?: () => Promise<string[] | null>;
}

export const DEFAULT_HISTORY_METRICS = [
  'cpu.busy_pct',
  'mem.used_pct',
  'swap.used_pct',
  'load.1',
  'net.total_rx_bps',
  'net.total_tx_bps',
];

/** Lists failed units with systemctl; null when systemd is not there (containers, non-systemd). */
export function systemctlFailedUnits(timeoutMs = 5000): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'systemctl',
      ['list-units', '--state=failed', '--no-legend', '--plain', '--no-pager', '--full'],
      { timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, stdout) => {
        if (err) return resolve(null);
        const units = stdout
          .split('\n')
          .map((l) => l.trim().replace(/^●\s*/, '').split(/\s+/)[0] ?? '')
          .filter((u) => u.length > 0);
        resolve(units);
      },
    );
  });
}

function unitOf(metric: string): string {
  if (metric.endsWith('_pct')) return ' %';
  if (metric.endsWith('_h')) return ' h';
  if (metric.endsWith('_ms')) return ' ms';
  if (metric.endsWith('_c') || metric.endsWith('celsius')) return ' °C';
  if (metric.endsWith('_bps')) return ' B/s';
  if (metric.endsWith('_per_s')) return '/s';
  return '';
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(2);
}

function duration(s: number): string {
  if (s <= 0) return '';
  if (s < 120) return ` for ${Math.round(s)} s`;
  if (s < 7200) return ` for ${Math.round(s / 60)} min`;
  return ` for ${(s / 3600).toFixed(1)} h`;
}

export class Monitor {
  readonly collector: Collector;
  readonly history: History;
  readonly alerts: AlertManager;
  readonly engine: RuleEngine;
  readonly rules: EffectiveRule[];
  readonly ruleProblems: string[];
  private readonly trends: TrendTracker;
  private readonly detectors = new Map<string, StreamingDetector>();
  private readonly anomalyActive = new Map<string, number>();
  private snapshot: MonitorSnapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unitsTimer: NodeJS.Timeout | null = null;
  private failed: string[] | null = null;
  private unitsProblem: string | null = null;
  private lastWall = 0;
  private lastMono = 0;
  private lastOom: number | null = null;
  private refitScheduled = false;
  private disposed = false;
  /** CPU time of the last tick in ms (user + system) */
  lastTickCpuMs = 0;

  constructor(
    readonly cfg: MonitorConfig,
    private readonly deps: MonitorDeps,
  ) {
    let ignorePaths: RegExp;
    const problems: string[] = [];
    try {
      ignorePaths = new RegExp(cfg.mounts.ignorePaths);
    } catch (err) {
      problems.push(`monitor.mounts.ignorePaths: ${(err as Error).message}; using the default`);
      ignorePaths = /^\/(proc|sys|dev|run)(\/|$)|^\/snap\//;
    }
    this.collector = new Collector({
      procRoot: deps.procRoot ?? '/proc',
      sysRoot: deps.sysRoot ?? '/sys',
      ignoreTypes: cfg.mounts.ignoreTypes,
      ignorePaths,
      topProcesses: cfg.topProcesses,
      processEvery: cfg.processEvery,
    });
    this.history = new History(cfg.historyPoints);
    const eff = effectiveRules(cfg.rules, { oomWindowS: cfg.oomWindowS });
    this.rules = eff.rules;
    this.ruleProblems = [...problems, ...eff.problems];
    for (const p of this.ruleProblems) deps.log?.warn(p);
    this.engine = new RuleEngine(this.rules);
    this.trends = new TrendTracker(cfg.trend);
    const horizon = cfg.trend.horizonH;
    for (const r of this.rules)
      if (r.kind === 'trend' && r.source === 'builtin') {
        r.value = horizon;
        r.clear = horizon * 1.5;
      }
    this.alerts = new AlertManager(
      {
        cooldownS: cfg.cooldownS,
        recent: cfg.recentAlerts,
        logPath: deps.dataDir ? join(deps.dataDir, 'alerts.jsonl') : null,
        logMaxBytes: cfg.alertLogMaxBytes,
      },
      { events: deps.events, emit: (s, a) => deps.emitAlert?.(s, a), log: deps.log },
    );
    if (cfg.anomaly.enabled) {
      for (const metric of cfg.anomaly.metrics) {
        try {
          this.detectors.set(
            metric,
            new StreamingDetector({
              window: cfg.anomaly.window,
              refitEvery: cfg.anomaly.refitEvery,
              minTrain: Math.min(cfg.anomaly.minTrain, cfg.anomaly.window),
              warmup: cfg.anomaly.warmup,
              suppress: cfg.anomaly.suppress,
              threshold: cfg.anomaly.threshold,
              trees: cfg.anomaly.trees,
              seed: cfg.anomaly.seed,
              inlineRefit: false,
            }),
          );
        } catch (err) {
          this.ruleProblems.push(`monitor.anomaly: ${metric}: ${(err as Error).message}`);
        }
      }
    }
  }

  /** Starts the loop: a first tick now, then every intervalS. */
  start(): void {
    const units = this.deps.failedUnits ?? (() => systemctlFailedUnits());
    const pollUnits = (): void => {
      units()
        .then((u) => {
          this.failed = u;
          this.unitsProblem = u === null ? 'failed systemd units unknown (systemctl unavailable)' : null;
        })
        .catch(() => {
          this.failed = null;
        });
    };
    if (this.cfg.unitsEveryS > 0) {
      pollUnits();
      this.unitsTimer = setInterval(pollUnits, this.cfg.unitsEveryS * 1000);
      this.unitsTimer.unref?.();
    }
    this.safeTick();
    this.timer = setInterval(() => this.safeTick(), this.cfg.intervalS * 1000);
    this.timer.unref?.();
  }

  private safeTick(): void {
    try {
      this.tick();
    } catch (err) {
      this.deps.log?.error('monitor tick failed', { error: (err as Error).stack ?? String(err) });
    }
  }

  /** One full tick; returns the snapshot. `now` may be given by tests and the benchmark. */
  tick(now = Date.now()): MonitorSnapshot {
    const cpu0 = process.cpuUsage();
    const mono = performance.now();
    const { snapshot, metrics, problems } = this.collector.collect(now);
    // clock jump: the wall clock moved differently from the monotonic clock
    if (this.lastWall > 0) {
      const jump = now - this.lastWall - (mono - this.lastMono);
      metrics['clock.jump_s'] = Math.abs(jump) > 2000 ? Math.abs(jump) / 1000 : 0;
    }
    this.lastWall = now;
    this.lastMono = mono;
    // OOM kills since the previous tick
    const oomTotal = metrics['oom.kills_total'];
    if (oomTotal !== undefined) {
      if (this.lastOom !== null)
        metrics['oom.kills'] = oomTotal >= this.lastOom ? oomTotal - this.lastOom : 0;
      this.lastOom = oomTotal;
    }
    if (this.failed !== null) metrics['units.failed'] = this.failed.length;
    if (this.unitsProblem) problems.push(this.unitsProblem);
    this.trends.update(metrics, now);
    const snap: MonitorSnapshot = { ...snapshot, failedUnits: this.failed, metrics, problems };
    this.snapshot = snap;
    this.history.add(now, metrics);
    const transitions = this.engine.evaluate(metrics, now);
    // a new alert names processes: make sure the list is from this tick, not an earlier one
    if (
      !this.collector.scannedThisTick &&
      transitions.some((t) => t.type === 'fire' && !this.alerts.isActive(t.key))
    ) {
      snap.processes = this.collector.scanProcesses(now);
    }
    for (const t of transitions) this.applyTransition(t, snap, now);
    this.runDetectors(metrics, snap, now);
    this.deps.emitSample?.(compactSample(snap));
    const cpu = process.cpuUsage(cpu0);
    this.lastTickCpuMs = (cpu.user + cpu.system) / 1000;
    this.scheduleRefit();
    return snap;
  }

  private applyTransition(t: RuleTransition, snap: MonitorSnapshot, now: number): void {
    const r = t.rule;
    if (t.type === 'resolve') {
      this.alerts.resolve(t.key, now, t.value);
      return;
    }
    const unit = unitOf(t.metric);
    const message =
      r.kind === 'trend'
        ? `predicted to run out in ${fmt(t.value)} h (limit ${fmt(r.value)} h)`
        : r.kind === 'event'
          ? `${t.metric} = ${fmt(t.value)}${unit}`
          : `${t.metric} is ${fmt(t.value)}${unit} (limit ${r.op} ${fmt(r.value)}${unit})${duration(r.forS)}`;
    this.alerts.fire(
      {
        key: t.key,
        rule: r.id,
        kind: r.kind,
        metric: t.metric,
        entity: t.entity,
        severity: r.severity,
        title: r.title,
        message,
        value: t.value,
        threshold: r.value,
        suggestion: suggest({
          rule: r.id,
          kind: r.kind,
          metric: t.metric,
          entity: t.entity,
          value: t.value,
          snapshot: snap,
        }),
      },
      now,
    );
  }

  private runDetectors(metrics: Record<string, number>, snap: MonitorSnapshot, now: number): void {
    const a = this.cfg.anomaly;
    for (const [key, since] of this.anomalyActive) {
      if (now - since >= a.holdS * 1000 || now < since) {
        this.anomalyActive.delete(key);
        this.alerts.resolve(key, now);
      }
    }
    for (const [metric, det] of this.detectors) {
      const v = metrics[metric];
      if (v === undefined) continue;
      const r = det.push(v);
      metrics[`anomaly[${metric}].score`] = r.calibrated;
      if (!r.anomaly) continue;
      const key = `anomaly:${metric}`;
      const fired = this.alerts.fire(
        {
          key,
          rule: 'Anomaly',
          kind: 'anomaly',
          metric,
          entity: metric,
          severity: a.severity,
          title: `Unusual ${metric}`,
          message: `${metric} = ${fmt(v)}${unitOf(metric)} is unlike the recent history (anomaly score ${r.score.toFixed(2)})`,
          value: v,
          threshold: a.threshold,
          suggestion: suggest({
            rule: 'Anomaly',
            kind: 'anomaly',
            metric,
            entity: null,
            value: v,
            snapshot: snap,
          }),
        },
        now,
        a.cooldownS,
      );
      if (fired) this.anomalyActive.set(key, now);
    }
  }

  private scheduleRefit(): void {
    if (this.refitScheduled || this.disposed) return;
    const due = [...this.detectors.values()].filter((d) => d.refitDue);
    if (!due.length) return;
    this.refitScheduled = true;
    const step = (): void => {
      if (this.disposed) return;
      const d = due.shift();
      if (!d) {
        this.refitScheduled = false;
        return;
      }
      try {
        d.refitIfDue();
      } catch (err) {
        this.deps.log?.warn('detector refit failed', { error: (err as Error).message });
      }
      setImmediate(step);
    };
    setImmediate(step);
  }

  /** Fits every due detector now (tests and the benchmark). Returns the total fit time in ms. */
  refitNow(): number {
    let ms = 0;
    for (const d of this.detectors.values()) if (d.refitIfDue()) ms += d.lastFitMs;
    return ms;
  }

  get detectorList(): Array<[string, StreamingDetector]> {
    return [...this.detectors];
  }

  current(): MonitorSnapshot {
    return this.snapshot ?? this.tick();
  }

  historyRange(req: { metrics?: string[]; sinceMs?: number; untilMs?: number; maxPoints: number }): {
    series: Array<{ metric: string; t: number[]; v: number[] }>;
    available: string[];
    intervalS: number;
  } {
    const names = req.metrics ?? DEFAULT_HISTORY_METRICS;
    const since = req.sinceMs ?? 0;
    const until = req.untilMs ?? Number.MAX_SAFE_INTEGER;
    const series = names.map((metric) => {
      const ring = this.history.get(metric);
      return { metric, ...(ring ? ring.range(since, until, req.maxPoints) : { t: [], v: [] }) };
    });
    return { series, available: this.history.names(), intervalS: this.cfg.intervalS };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.unitsTimer) clearInterval(this.unitsTimer);
    this.timer = null;
    this.unitsTimer = null;
  }
}

export function compactSample(s: MonitorSnapshot): MonitorSample {
  const r1 = (v: number): number => Math.round(v * 10) / 10;
  return {
    ts: s.ts,
    cpuPct: s.cpu.busyPct,
    memPct: s.memory.usedPct,
    swapPct: s.memory.swapUsedPct,
    load1: s.load[0],
    disks: s.filesystems.filter((f) => !f.readonly).map((f) => ({ mount: f.mount, usedPct: f.usedPct })),
    rxBps: r1(s.metrics['net.total_rx_bps'] ?? 0),
    txBps: r1(s.metrics['net.total_tx_bps'] ?? 0),
  };
}

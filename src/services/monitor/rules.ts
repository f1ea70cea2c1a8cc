/**
 * Threshold rules after the host rules of awesome-prometheus-alerts (CC BY 4.0, samber) that apply
 * to a desktop or a server, evaluated per sample with `for` durations, hysteresis and hold times.
 * Trend rules read the `*_eta_h` metrics that trends.ts derives; event rules (OOM kill, clock
 * jump) read windowed counters.
 */
import { RuleSpec } from '../../shared/config/monitor';
import type { EffectiveRule } from '../../shared/contract/monitor';
import { formatZodError } from '../../shared/validation';

type Builtin = Omit<EffectiveRule, 'source' | 'clear'> & { clear?: number };

const T = 'threshold' as const;
const E = 'event' as const;
const R = 'trend' as const;

/** Built-in rules; numbers from the Prometheus host rules (thresholds, `for:` and severity). */
export const BUILTIN_RULES: Builtin[] = [
  {
    id: 'HostOutOfMemory',
    kind: T,
    enabled: true,
    metric: 'mem.available_pct',
    op: '<',
    value: 10,
    clear: 12,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Out of memory',
  },
  {
    id: 'HostMemoryUnderMemoryPressure',
    kind: T,
    enabled: true,
    metric: 'mem.major_faults_per_s',
    op: '>',
    value: 1000,
    forS: 60,
    holdS: 0,
    severity: 'warning',
    title: 'Memory pressure (major page faults)',
  },
  {
    id: 'HostMemoryStall',
    kind: T,
    enabled: true,
    metric: 'psi.mem_full',
    op: '>',
    value: 10,
    clear: 5,
    forS: 60,
    holdS: 0,
    severity: 'warning',
    title: 'Tasks stall waiting for memory',
  },
  {
    id: 'HostMemoryMayFillIn24Hours',
    kind: R,
    enabled: true,
    metric: 'mem.eta_h',
    op: '<',
    value: 24,
    clear: 36,
    forS: 600,
    holdS: 0,
    severity: 'warning',
    title: 'Memory may run out within 24 h',
  },
  {
    id: 'HostSwapIsFillingUp',
    kind: T,
    enabled: true,
    metric: 'swap.used_pct',
    op: '>',
    value: 80,
    clear: 75,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Swap is filling up',
  },
  {
    id: 'HostOutOfDiskSpace',
    kind: T,
    enabled: true,
    metric: 'fs[*].avail_pct',
    op: '<',
    value: 10,
    clear: 12,
    forS: 120,
    holdS: 0,
    severity: 'critical',
    title: 'Out of disk space',
  },
  {
    id: 'HostDiskMayFillIn24Hours',
    kind: R,
    enabled: true,
    metric: 'fs[*].eta_h',
    op: '<',
    value: 24,
    clear: 36,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Disk may fill within 24 h',
  },
  {
    id: 'HostOutOfInodes',
    kind: T,
    enabled: true,
    metric: 'fs[*].inodes_free_pct',
    op: '<',
    value: 10,
    clear: 12,
    forS: 120,
    holdS: 0,
    severity: 'critical',
    title: 'Out of inodes',
  },
  {
    id: 'HostInodesMayFillIn24Hours',
    kind: R,
    enabled: true,
    metric: 'fs[*].inodes_eta_h',
    op: '<',
    value: 24,
    clear: 36,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Inodes may run out within 24 h',
  },
  {
    id: 'HostUnusualDiskReadLatency',
    kind: T,
    enabled: true,
    metric: 'disk[*].read_latency_ms',
    op: '>',
    value: 100,
    clear: 80,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Slow disk reads',
  },
  {
    id: 'HostUnusualDiskWriteLatency',
    kind: T,
    enabled: true,
    metric: 'disk[*].write_latency_ms',
    op: '>',
    value: 100,
    clear: 80,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Slow disk writes',
  },
  {
    id: 'HostDiskIoUtilizationHigh',
    kind: T,
    enabled: true,
    metric: 'disk[*].util_pct',
    op: '>',
    value: 80,
    clear: 70,
    forS: 300,
    holdS: 0,
    severity: 'warning',
    title: 'Disk busy',
  },
  {
    id: 'HostHighCpuLoad',
    kind: T,
    enabled: true,
    metric: 'cpu.busy_pct',
    op: '>',
    value: 80,
    clear: 70,
    forS: 600,
    holdS: 0,
    severity: 'warning',
    title: 'High CPU load',
  },
  {
    id: 'HostCpuStealNoisyNeighbor',
    kind: T,
    enabled: true,
    metric: 'cpu.steal_pct',
    op: '>',
    value: 10,
    clear: 5,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'CPU stolen by the hypervisor',
  },
  {
    id: 'HostCpuHighIowait',
    kind: T,
    enabled: true,
    metric: 'cpu.iowait_pct',
    op: '>',
    value: 10,
    clear: 5,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'CPU waits for disk I/O',
  },
  {
    id: 'HostHighLoad',
    kind: T,
    enabled: true,
    metric: 'load.5_per_core',
    op: '>',
    value: 2,
    clear: 1.5,
    forS: 300,
    holdS: 0,
    severity: 'warning',
    title: 'High load average',
  },
  {
    id: 'HostUnusualNetworkThroughputIn',
    kind: T,
    enabled: true,
    metric: 'net[*].rx_util_pct',
    op: '>',
    value: 80,
    clear: 70,
    forS: 300,
    holdS: 0,
    severity: 'warning',
    title: 'Network link saturated (in)',
  },
  {
    id: 'HostUnusualNetworkThroughputOut',
    kind: T,
    enabled: true,
    metric: 'net[*].tx_util_pct',
    op: '>',
    value: 80,
    clear: 70,
    forS: 300,
    holdS: 0,
    severity: 'warning',
    title: 'Network link saturated (out)',
  },
  {
    id: 'HostNetworkReceiveErrors',
    kind: T,
    enabled: true,
    metric: 'net[*].rx_err_pct',
    op: '>',
    value: 1,
    clear: 0.5,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Network receive errors',
  },
  {
    id: 'HostNetworkTransmitErrors',
    kind: T,
    enabled: true,
    metric: 'net[*].tx_err_pct',
    op: '>',
    value: 1,
    clear: 0.5,
    forS: 120,
    holdS: 0,
    severity: 'warning',
    title: 'Network transmit errors',
  },
  {
    id: 'HostSystemdServiceCrashed',
    kind: T,
    enabled: true,
    metric: 'units.failed',
    op: '>',
    value: 0,
    clear: 0,
    forS: 0,
    holdS: 0,
    severity: 'warning',
    title: 'A systemd unit failed',
  },
  {
    id: 'HostPhysicalComponentTooHot',
    kind: T,
    enabled: true,
    metric: 'temp[*].headroom_c',
    op: '<',
    value: 0,
    clear: 3,
    forS: 300,
    holdS: 0,
    severity: 'warning',
    title: 'Component too hot',
  },
  {
    id: 'HostNodeOvertemperatureAlarm',
    kind: T,
    enabled: true,
    metric: 'temp[*].alarm',
    op: '>',
    value: 0,
    clear: 0,
    forS: 0,
    holdS: 0,
    severity: 'critical',
    title: 'Over-temperature alarm',
  },
  {
    id: 'HostOomKillDetected',
    kind: E,
    enabled: true,
    metric: 'oom.kills',
    op: '>',
    value: 0,
    clear: 0,
    forS: 0,
    holdS: 1800,
    severity: 'warning',
    title: 'The kernel killed a process (out of memory)',
  },
  {
    id: 'HostClockJump',
    kind: E,
    enabled: true,
    metric: 'clock.jump_s',
    op: '>',
    value: 2,
    clear: 2,
    forS: 0,
    holdS: 600,
    severity: 'info',
    title: 'The system clock jumped',
  },
];

/** Default hysteresis: 5 % of the threshold (at least 0 difference) back towards normal. */
function defaultClear(op: EffectiveRule['op'], value: number): number {
  const margin = Math.abs(value) * 0.05;
  return op === '>' || op === '>=' ? value - margin : value + margin;
}

/**
 * Merges the built-in rules with the user's overrides (by id) and custom rules. A bad override or
 * an incomplete custom rule is skipped and reported; it never stops the monitor.
 */
export function effectiveRules(
  overrides: Record<string, Record<string, unknown>>,
  opts: { oomWindowS?: number } = {},
): { rules: EffectiveRule[]; problems: string[] } {
  const problems: string[] = [];
  const rules: EffectiveRule[] = BUILTIN_RULES.map((b) => ({
    ...b,
    holdS: b.id === 'HostOomKillDetected' && opts.oomWindowS !== undefined ? opts.oomWindowS : b.holdS,
    clear: b.clear ?? defaultClear(b.op, b.value),
    source: 'builtin' as const,
  }));
  for (const [id, raw] of Object.entries(overrides)) {
    const parsed = RuleSpec.safeParse(raw);
    if (!parsed.success) {
      problems.push(`monitor.rules.${id}: ${formatZodError(parsed.error)}; rule left unchanged`);
      continue;
    }
    const spec = parsed.data;
    if (spec.metric !== undefined && !validMetricPattern(spec.metric)) {
      problems.push(
        `monitor.rules.${id}: metric "${spec.metric}" is not a metric name or pattern; rule left unchanged`,
      );
      continue;
    }
    const at = rules.findIndex((r) => r.id === id);
    if (at >= 0) {
      const base = rules[at]!;
      const merged: EffectiveRule = { ...base, ...definedOnly(spec), source: 'override' };
      if (spec.clear === undefined && (spec.value !== undefined || spec.op !== undefined)) {
        merged.clear = defaultClear(merged.op, merged.value);
      }
      rules[at] = merged;
      continue;
    }
    const missing = (['metric', 'op', 'value'] as const).filter((k) => spec[k] === undefined);
    if (missing.length) {
      problems.push(`monitor.rules.${id}: a new rule needs ${missing.join(', ')}; rule skipped`);
      continue;
    }
    rules.push({
      id,
      kind: 'threshold',
      enabled: spec.enabled ?? true,
      metric: spec.metric!,
      op: spec.op!,
      value: spec.value!,
      clear: spec.clear ?? defaultClear(spec.op!, spec.value!),
      forS: spec.forS ?? 0,
      holdS: spec.holdS ?? 0,
      severity: spec.severity ?? 'warning',
      title: spec.title ?? id,
      source: 'custom',
    });
  }
  return { rules, problems };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const PATTERN = /^[a-z][a-z0-9_]*(\[[^\]]+\])?\.[a-z0-9_]+$/;

export function validMetricPattern(p: string): boolean {
  return PATTERN.test(p);
}

/** Splits `fs[/home].avail_pct` into family, entity and field. */
export function parseMetric(name: string): { family: string; entity: string | null; field: string } | null {
  const m = /^([^[.]+)(?:\[(.*)\])?\.([^.\]]+)$/.exec(name);
  if (!m) return null;
  return { family: m[1]!, entity: m[2] ?? null, field: m[3]! };
}

/** Every metric matching a rule's metric pattern, with its entity. */
export function matchMetrics(
  pattern: string,
  metrics: Record<string, number>,
): Array<{ name: string; entity: string | null; value: number }> {
  const pp = parseMetric(pattern);
  if (!pp) return [];
  if (pp.entity === null || pp.entity !== '*') {
    const v = metrics[pattern];
    return v === undefined ? [] : [{ name: pattern, entity: pp.entity, value: v }];
  }
  const prefix = `${pp.family}[`;
  const suffix = `].${pp.field}`;
  const out: Array<{ name: string; entity: string | null; value: number }> = [];
  for (const [name, value] of Object.entries(metrics)) {
    if (name.startsWith(prefix) && name.endsWith(suffix)) {
      out.push({ name, entity: name.slice(prefix.length, name.length - suffix.length), value });
    }
  }
  return out;
}

export function compare(op: EffectiveRule['op'], a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

/** Is the value still "bad" with respect to the clear level (hysteresis)? */
function stillBad(rule: EffectiveRule, v: number): boolean {
  return rule.op === '>' || rule.op === '>=' ? v > rule.clear : v < rule.clear;
}

export interface RuleTransition {
  type: 'fire' | 'resolve';
  rule: EffectiveRule;
  key: string;
  metric: string;
  entity: string | null;
  value: number;
}

interface KeyState {
  pendingSince: number | null;
  active: boolean;
  lastTrue: number;
  lastValue: number;
  metric: string;
  entity: string | null;
}

/** Evaluates rules sample by sample, keeping per rule-and-entity state. */
export class RuleEngine {
  private state = new Map<string, KeyState>();

  constructor(public rules: EffectiveRule[]) {}

  static key(rule: string, entity: string | null): string {
    return entity === null ? rule : `${rule}:${entity}`;
  }

  /** Returns the transitions this sample causes. `now` in epoch ms. */
  evaluate(metrics: Record<string, number>, now: number): RuleTransition[] {
    const out: RuleTransition[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      if (!rule.enabled) continue;
      for (const { name, entity, value } of matchMetrics(rule.metric, metrics)) {
        if (!Number.isFinite(value)) continue;
        const key = RuleEngine.key(rule.id, entity);
        seen.add(key);
        let s = this.state.get(key);
        if (!s) {
          s = { pendingSince: null, active: false, lastTrue: 0, lastValue: value, metric: name, entity };
          this.state.set(key, s);
        }
        s.lastValue = value;
        const cond = compare(rule.op, value, rule.value);
        if (!s.active) {
          if (cond) {
            if (s.pendingSince === null) s.pendingSince = now;
            s.lastTrue = now;
            if (now - s.pendingSince >= rule.forS * 1000) {
              s.active = true;
              out.push({ type: 'fire', rule, key, metric: name, entity, value });
            }
          } else s.pendingSince = null;
        } else {
          if (stillBad(rule, value) || cond) s.lastTrue = now;
          else if (now - s.lastTrue >= rule.holdS * 1000) {
            s.active = false;
            s.pendingSince = null;
            out.push({ type: 'resolve', rule, key, metric: name, entity, value });
          }
        }
      }
    }
    // a metric that vanished (unmounted file system, removed interface) resolves its alert
    for (const [key, s] of this.state) {
      if (seen.has(key)) continue;
      const rule = this.rules.find((r) => RuleEngine.key(r.id, s.entity) === key);
      if (s.active && rule && rule.enabled) {
        // keep event-like alerts for their hold time even when the metric is momentarily absent
        if (now - s.lastTrue < rule.holdS * 1000) continue;
        out.push({ type: 'resolve', rule, key, metric: s.metric, entity: s.entity, value: s.lastValue });
      }
      this.state.delete(key);
    }
    return out;
  }

  activeKeys(): string[] {
    return [...this.state].filter(([, s]) => s.active).map(([k]) => k);
  }
}

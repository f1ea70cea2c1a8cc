// Channels and push events of the monitor domain. Owned by the monitor work; see contract/index.ts.
import { z } from 'zod';
import { channel, event } from './define';
import { AlertSeverity } from '../config/monitor';

const num = z.number();
const epochMs = z.number().int().min(0).max(1e14);

export const MonitorProcess = z.object({
  pid: z.number().int(),
  name: z.string(),
  /** share of one core over the last interval, in percent (may exceed 100 on several cores) */
  cpuPct: num,
  rssBytes: num,
});
export type MonitorProcess = z.infer<typeof MonitorProcess>;

export const MonitorFilesystem = z.object({
  mount: z.string(),
  device: z.string(),
  type: z.string(),
  readonly: z.boolean(),
  sizeBytes: num,
  availBytes: num,
  usedPct: num,
  inodesTotal: num,
  inodesFree: num,
  inodesUsedPct: num,
});
export type MonitorFilesystem = z.infer<typeof MonitorFilesystem>;

export const MonitorDisk = z.object({
  name: z.string(),
  readBps: num,
  writeBps: num,
  utilPct: num,
  readLatencyMs: num,
  writeLatencyMs: num,
});

export const MonitorNetIf = z.object({
  name: z.string(),
  rxBps: num,
  txBps: num,
  rxErrorsPerS: num,
  txErrorsPerS: num,
  rxDropsPerS: num,
  txDropsPerS: num,
  speedMbps: num.nullable(),
});

export const MonitorTemperature = z.object({
  name: z.string(),
  celsius: num,
  maxC: num.nullable(),
  critC: num.nullable(),
  alarm: z.boolean(),
});

/** The latest full sample. */
export const MonitorSnapshot = z.object({
  ts: epochMs,
  intervalS: num,
  cpu: z.object({
    cores: z.number().int(),
    busyPct: num,
    userPct: num,
    systemPct: num,
    iowaitPct: num,
    stealPct: num,
    perCore: z.array(num),
  }),
  load: z.tuple([num, num, num]),
  memory: z.object({
    totalBytes: num,
    availableBytes: num,
    usedPct: num,
    swapTotalBytes: num,
    swapUsedBytes: num,
    swapUsedPct: num,
  }),
  /** pressure stall information avg10 (percent), null where the kernel has none */
  psi: z.object({ cpuSome: num, memSome: num, memFull: num, ioSome: num, ioFull: num }).nullable(),
  filesystems: z.array(MonitorFilesystem),
  disks: z.array(MonitorDisk),
  net: z.array(MonitorNetIf),
  processes: z.object({
    count: z.number().int(),
    running: z.number().int(),
    topCpu: z.array(MonitorProcess),
    topMem: z.array(MonitorProcess),
  }),
  oomKillsTotal: num.nullable(),
  temperatures: z.array(MonitorTemperature),
  failedUnits: z.array(z.string()).nullable(),
  /** every metric of this sample by name (`cpu.busy_pct`, `fs[/home].avail_pct` …), for rules and charts */
  metrics: z.record(z.string(), num),
  /** sources that could not be read (missing /proc files in containers, counters that went backwards …) */
  problems: z.array(z.string()),
});
export type MonitorSnapshot = z.infer<typeof MonitorSnapshot>;

/** The compact push sample for sparklines. */
export const MonitorSample = z.object({
  ts: epochMs,
  cpuPct: num,
  memPct: num,
  swapPct: num,
  load1: num,
  disks: z.array(z.object({ mount: z.string(), usedPct: num })),
  rxBps: num,
  txBps: num,
});
export type MonitorSample = z.infer<typeof MonitorSample>;

export const AlertSuggestion = z.object({
  /** what to do and why, one or two sentences */
  text: z.string(),
  /** a shell command for the next step, rated by the assistant's safety checker before it runs */
  command: z.string().optional(),
  /** further options, each with its own command */
  alternatives: z.array(z.object({ text: z.string(), command: z.string().optional() })).optional(),
});
export type AlertSuggestion = z.infer<typeof AlertSuggestion>;

export const MonitorAlert = z.object({
  /** unique per firing */
  id: z.string(),
  /** rule + entity: the dedupe and cooldown key */
  key: z.string(),
  rule: z.string(),
  kind: z.enum(['threshold', 'trend', 'anomaly', 'event']),
  metric: z.string(),
  entity: z.string().nullable(),
  severity: AlertSeverity,
  title: z.string(),
  message: z.string(),
  value: num,
  threshold: num.nullable(),
  state: z.enum(['firing', 'resolved']),
  firedAt: epochMs,
  resolvedAt: epochMs.nullable(),
  suggestion: AlertSuggestion,
});
export type MonitorAlert = z.infer<typeof MonitorAlert>;

export const EffectiveRule = z.object({
  id: z.string(),
  kind: z.enum(['threshold', 'trend', 'event']),
  enabled: z.boolean(),
  metric: z.string(),
  op: z.enum(['>', '>=', '<', '<=']),
  value: num,
  clear: num,
  forS: num,
  holdS: num,
  severity: AlertSeverity,
  title: z.string(),
  source: z.enum(['builtin', 'override', 'custom']),
});
export type EffectiveRule = z.infer<typeof EffectiveRule>;

export const monitorChannels = {
  'monitor:current': channel(
    z.object({}).strict(),
    MonitorSnapshot,
    'The latest full sample (CPU, memory, disks, network, processes …).',
  ),
  'monitor:history': channel(
    z
      .object({
        /** metric names (see MonitorSnapshot.metrics); default: cpu, memory, swap, load, network totals */
        metrics: z.array(z.string().min(1).max(200)).min(1).max(32).optional(),
        sinceMs: epochMs.optional(),
        untilMs: epochMs.optional(),
        /** points per series after server-side min/max decimation */
        maxPoints: z.number().int().min(2).max(5000).default(300),
      })
      .strict(),
    z.object({
      series: z.array(z.object({ metric: z.string(), t: z.array(num), v: z.array(num) })),
      /** every metric with history */
      available: z.array(z.string()),
      intervalS: num,
    }),
    'Per-metric series for charts over a time range, decimated server-side to maxPoints.',
  ),
  'monitor:alerts': channel(
    z
      .object({
        limit: z.number().int().min(1).max(10_000).default(50),
        activeOnly: z.boolean().default(false),
      })
      .strict(),
    z.object({ active: z.array(MonitorAlert), recent: z.array(MonitorAlert) }),
    'Active alerts and the most recent fired or resolved ones, each with a suggestion.',
  ),
  'monitor:rules': channel(
    z.object({}).strict(),
    z.object({ rules: z.array(EffectiveRule), problems: z.array(z.string()), intervalS: num }),
    'The effective alert rules (built-in, overridden, custom) and any rule configuration problems.',
  ),
};

export const monitorEvents = {
  'monitor:sample': event(MonitorSample, 'A compact sample after every tick (for sparklines).'),
  'monitor:alert': event(
    z.object({ state: z.enum(['fired', 'resolved']), alert: MonitorAlert }),
    'An alert fired or resolved (the tray turns fired warning/critical alerts into notifications).',
  ),
};

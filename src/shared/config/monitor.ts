import { z } from 'zod';

// The [monitor] section of the configuration. Every field has a default, so an empty file is valid.

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);

/**
 * One threshold rule, or the override of a built-in one (only the fields given change). Metric
 * names are `family.field` or `family[entity].field`; `*` in the entity matches every entity
 * (e.g. `fs[*].avail_pct`). Validated per rule at start: a bad rule is skipped with a problem.
 */
export const RuleSpec = z
  .object({
    enabled: z.boolean(),
    metric: z.string().min(1).max(200),
    op: z.enum(['>', '>=', '<', '<=']),
    value: z.number(),
    /** hysteresis: the alert resolves only once the value is back past this (default: value ∓ 5 % of value) */
    clear: z.number(),
    /** the condition must hold this long before the alert fires (the Prometheus `for:`) */
    forS: z
      .number()
      .min(0)
      .max(7 * 86400),
    /** an alert stays active at least this long after the condition last held (event-like rules) */
    holdS: z
      .number()
      .min(0)
      .max(7 * 86400),
    severity: AlertSeverity,
    title: z.string().min(1).max(200),
  })
  .partial()
  .strict();
export type RuleSpec = z.infer<typeof RuleSpec>;

const mountsConfig = z.object({
  /** file-system types never watched */
  ignoreTypes: z
    .array(z.string().max(64))
    .max(200)
    .default([
      'proc',
      'sysfs',
      'devtmpfs',
      'devpts',
      'cgroup',
      'cgroup2',
      'securityfs',
      'pstore',
      'bpf',
      'tracefs',
      'debugfs',
      'configfs',
      'fusectl',
      'mqueue',
      'hugetlbfs',
      'autofs',
      'binfmt_misc',
      'nsfs',
      'efivarfs',
      'ramfs',
      'squashfs',
      'rpc_pipefs',
      'nfs',
      'nfs4',
      'cifs',
      'smb3',
      'fuse.sshfs',
      'fuse.portal',
      'fuse.gvfsd-fuse',
      'iso9660',
    ]),
  /** mount points never watched (a JavaScript regular expression) */
  ignorePaths: z.string().max(1000).default('^/(proc|sys|dev|run)(/|$)|^/snap/|^/var/lib/docker/'),
});

const trendConfig = z.object({
  /** linear fit over this many seconds of history (Prometheus predict_linear uses 3 h) */
  windowS: z
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(3 * 3600),
  /** no prediction before the window holds at least this span */
  minSpanS: z.number().int().min(10).max(86400).default(600),
  /** alert when the predicted time to full is below this many hours */
  horizonH: z
    .number()
    .min(0.01)
    .max(24 * 365)
    .default(24),
  /** one trend point every N seconds (the fit does not need every sample) */
  stepS: z.number().int().min(1).max(3600).default(30),
});

const anomalyConfig = z.object({
  enabled: z.boolean().default(true),
  /** metrics with their own detector */
  metrics: z
    .array(z.string().max(200))
    .max(64)
    .default([
      'cpu.busy_pct',
      'mem.used_pct',
      'load.1',
      'disk.total_bps',
      'net.total_rx_bps',
      'net.total_tx_bps',
    ]),
  /** training window in samples */
  window: z.number().int().min(64).max(100_000).default(2000),
  refitEvery: z.number().int().min(10).max(100_000).default(100),
  minTrain: z.number().int().min(16).max(100_000).default(150),
  /** no anomaly alert before this many samples (300 × 5 s = 25 min after start) */
  warmup: z.number().int().min(0).max(100_000).default(300),
  /** repeat suppression in samples: a detection must beat every score of that many previous samples */
  suppress: z.number().int().min(1).max(100_000).default(150),
  threshold: z.number().min(0).max(1).default(0.75),
  trees: z.number().int().min(10).max(500).default(100),
  seed: z.number().int().default(42),
  /** an anomaly alert stays active this long, then resolves */
  holdS: z.number().int().min(1).max(86400).default(600),
  /** after an anomaly alert resolved, the same metric stays quiet this long */
  cooldownS: z
    .number()
    .int()
    .min(0)
    .max(7 * 86400)
    .default(3600),
  /** anomaly alerts are `info` (notifications only for warning and above by default) */
  severity: AlertSeverity.default('info'),
});

export const monitorConfig = z.object({
  enabled: z.boolean().default(true),
  /** sampling interval in seconds (≥ 1) */
  intervalS: z.number().min(1).max(3600).default(5),
  /** points kept per metric for `monitor:history` (2880 × 5 s = 4 h) */
  historyPoints: z.number().int().min(10).max(200_000).default(2880),
  /** processes listed in each top-by-CPU and top-by-memory list */
  topProcesses: z.number().int().min(0).max(50).default(5),
  /** scan /proc/<pid> every N ticks (the most expensive part of a tick: ~25 µs per process) */
  processEvery: z.number().int().min(1).max(1000).default(2),
  /** how often the failed systemd units are counted, in seconds (0 = never) */
  unitsEveryS: z.number().int().min(0).max(86400).default(30),
  /** an OOM kill keeps its alert active this long */
  oomWindowS: z.number().int().min(1).max(86400).default(1800),
  /** after an alert resolves, the same alert (rule + entity) does not fire again for this long */
  cooldownS: z.number().int().min(0).max(86400).default(900),
  /** recent alerts kept in memory for `monitor:alerts` */
  recentAlerts: z.number().int().min(1).max(10_000).default(200),
  /** alert log (JSON lines) in the data directory; rotated past this size */
  alertLogMaxBytes: z.number().int().min(4096).max(1e9).default(10_000_000),
  mounts: mountsConfig.default(mountsConfig.parse({})),
  trend: trendConfig.default(trendConfig.parse({})),
  anomaly: anomalyConfig.default(anomalyConfig.parse({})),
  /** overrides of built-in rules by id (e.g. {"HostHighCpuLoad": {"value": 90}}) and new rules */
  rules: z.record(z.string().max(100), z.record(z.string(), z.unknown())).default({}),
});
export type MonitorConfig = z.output<typeof monitorConfig>;

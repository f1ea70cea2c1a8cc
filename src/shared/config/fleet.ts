import { z } from 'zod';

// The [fleet] section of the configuration: Prometheus endpoint, Alertmanager-style webhook and log
// forwarding. All three are off by default. Every field has a default, so an empty object is valid.

const absPath = z.string().max(4096).regex(/^\//, 'must be an absolute path');
const optionalFile = z.union([absPath, z.literal('')]);

const metricsConfig = z.object({
  enabled: z.boolean().default(false),
  /** address to listen on; keep 127.0.0.1 unless a token or a firewall protects the port */
  listen: z.string().min(1).max(255).default('127.0.0.1'),
  /** 9464 is not taken by node_exporter (9100), so both can run on one machine */
  port: z.number().int().min(0).max(65535).default(9464),
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~/-]*$/, 'a URL path such as /metrics')
    .default('/metrics'),
  /** file holding a bearer token scrapers must send (Authorization: Bearer …); '' = no token */
  bearerTokenFile: optionalFile.default(''),
  /** PEM certificate and key for HTTPS; both or neither */
  tlsCertFile: optionalFile.default(''),
  tlsKeyFile: optionalFile.default(''),
  /** how old the monitor's sample may be before ainl_monitor_up reports 0, in seconds */
  staleAfterS: z.number().min(1).max(86400).default(60),
});

const queueConfig = z.object({
  /** most messages kept on disk while the receiver is down; the oldest are dropped (and counted) beyond */
  maxItems: z.number().int().min(10).max(10_000_000).default(100_000),
  /** most bytes kept on disk (same rule) */
  maxBytes: z
    .number()
    .int()
    .min(4096)
    .max(10_000_000_000)
    .default(64 * 1024 * 1024),
});

const retryConfig = z.object({
  /** first retry delay, doubled per failure (with ±20 % jitter) up to maxMs */
  minMs: z.number().int().min(10).max(3_600_000).default(1000),
  maxMs: z.number().int().min(10).max(86_400_000).default(300_000),
});

const webhookConfig = z.object({
  enabled: z.boolean().default(false),
  /** http:// or https:// receiver URL (user:password@ in the URL becomes basic auth) */
  url: z.union([z.url({ protocol: /^https?$/ }), z.literal('')]).default(''),
  bearerTokenFile: optionalFile.default(''),
  /** extra CA certificate (PEM) for https receivers with a private CA */
  caFile: optionalFile.default(''),
  timeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** alerts below this severity are not sent */
  minSeverity: z.enum(['info', 'warning', 'critical']).default('warning'),
  sendResolved: z.boolean().default(true),
  /**
   * alerts sent as firing before a restart that have not fired again this long after it are sent
   * as resolved (their resolution happened while the service was down), in seconds
   */
  reconcileAfterS: z.number().int().min(1).max(86_400).default(600),
  /** also send "gave up" of the Self-Healing Service as alerts (and their clearing as resolutions) */
  healing: z.boolean().default(true),
  /** the receiver name in the payload */
  receiver: z.string().min(1).max(200).default('ainl'),
  /** base URL of this machine's UI for generatorURL/externalURL ('' = none) */
  externalUrl: z.string().max(2048).default(''),
  /** the `instance` label; '' = this machine's host name */
  instance: z.string().max(255).default(''),
  /** extra labels on every alert, e.g. {"env": "prod"} */
  labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string().max(1024)).default({}),
  /** most alerts in one message */
  maxAlertsPerMessage: z.number().int().min(1).max(1000).default(50),
  queue: queueConfig.default(queueConfig.parse({})),
  retry: retryConfig.default(retryConfig.parse({})),
});

const syslogConfig = z.object({
  transport: z.enum(['udp', 'tcp', 'unix']).default('udp'),
  host: z.string().min(1).max(255).default('127.0.0.1'),
  port: z.number().int().min(1).max(65535).default(514),
  /** unix datagram socket for transport "unix" */
  socketPath: absPath.default('/dev/log'),
  /** RFC 5424 facility name */
  facility: z
    .enum([
      'kern',
      'user',
      'mail',
      'daemon',
      'auth',
      'syslog',
      'lpr',
      'news',
      'uucp',
      'cron',
      'authpriv',
      'ftp',
      'local0',
      'local1',
      'local2',
      'local3',
      'local4',
      'local5',
      'local6',
      'local7',
    ])
    .default('user'),
  /** TCP framing (RFC 6587): octet-counting is unambiguous; "lf" is newline-terminated */
  framing: z.enum(['octet-counting', 'lf']).default('octet-counting'),
});

const logsConfig = z.object({
  enabled: z.boolean().default(false),
  target: z.enum(['journald', 'syslog']).default('journald'),
  /** the journald native protocol socket */
  journalSocket: absPath.default('/run/systemd/journal/socket'),
  syslog: syslogConfig.default(syslogConfig.parse({})),
  /** forward Quest Log events at or above this severity */
  minSeverity: z.enum(['debug', 'info', 'warning', 'error', 'critical']).default('info'),
  /** also forward shell commands (as stored, i.e. after the Quest Log's redaction) */
  includeCommands: z.boolean().default(false),
  /** the SYSLOG_IDENTIFIER (journald) or APP-NAME (syslog) of forwarded records */
  identifier: z
    .string()
    .regex(/^[!-~]{1,48}$/, '1–48 printable ASCII characters, no spaces')
    .default('ainl'),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  queue: queueConfig.default(queueConfig.parse({})),
  retry: retryConfig.default(retryConfig.parse({})),
});

export const fleetConfig = z.object({
  metrics: metricsConfig.default(metricsConfig.parse({})),
  webhook: webhookConfig.default(webhookConfig.parse({})),
  logs: logsConfig.default(logsConfig.parse({})),
});
export type FleetConfig = z.output<typeof fleetConfig>;
export type FleetMetricsConfig = FleetConfig['metrics'];
export type FleetWebhookConfig = FleetConfig['webhook'];
export type FleetLogsConfig = FleetConfig['logs'];
export type FleetQueueConfig = FleetWebhookConfig['queue'];
export type FleetRetryConfig = FleetWebhookConfig['retry'];

/**
 * `ainl fleet …`: the fleet integration from the command line: status of the Prometheus endpoint,
 * the alert webhook and log forwarding; a test alert to the webhook; the metrics as served; a
 * Prometheus scrape config for this machine. Exit 0 ok, 1 failure, 2 usage error.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { loadConfig, type LoadedConfig } from '../services/config/loader';
import type { FleetDelivery, FleetStatus } from '../shared/contract/fleet';
import { statusFile, fleetDir } from '../services/fleet/module';
import { inspectQueue } from '../services/fleet/queue';
import {
  buildMessage,
  displayUrl,
  fingerprint,
  instanceLabel,
  postJson,
  type WebhookAlert,
} from '../services/fleet/webhook';
import { readSecretFile } from '../services/fleet/metricsServer';
import { createTransport } from '../services/fleet/logs';
import { Exposition } from '../services/fleet/exposition';
import { collectNode } from '../services/fleet/procfs';
import { formatBytes } from './format';

function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

function err(s: string): void {
  process.stderr.write(`ainl fleet: ${s}\n`);
}

function when(ms: number | null): string {
  if (ms === null) return 'never';
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 0) return `in ${-s}s`;
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function metricsUrl(cfg: LoadedConfig['config']['fleet']['metrics']): string {
  const host =
    cfg.listen === '0.0.0.0' || cfg.listen === '::'
      ? '127.0.0.1'
      : cfg.listen.includes(':')
        ? `[${cfg.listen}]`
        : cfg.listen;
  return `${cfg.tlsCertFile ? 'https' : 'http'}://${host}:${cfg.port}${cfg.path}`;
}

/** GETs the endpoint as a scraper would; resolves with status and body, never throws. */
function scrape(
  url: string,
  token: string | null,
  timeoutMs = 3000,
): Promise<{ code: number; body: string; ms: number; error?: string }> {
  const t0 = performance.now();
  const req = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const r = req(
      url,
      {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        timeout: timeoutMs,
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body, ms: performance.now() - t0 }));
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ code: 0, body: '', ms: performance.now() - t0, error: e.code ?? e.message }),
    );
    r.end();
  });
}

interface LiveStatus {
  pid: number;
  writtenAt: number;
  status: FleetStatus;
}

function readLive(dataDir: string): LiveStatus | null {
  try {
    const s = JSON.parse(readFileSync(statusFile(dataDir), 'utf8')) as LiveStatus;
    // the daemon rewrites it every 5 s; an old file is from a service that is gone
    if (Date.now() - s.writtenAt > 20_000) return null;
    try {
      process.kill(s.pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return null;
    }
    return s;
  } catch {
    return null;
  }
}

function offlineDelivery(enabled: boolean, target: string, dir: string): FleetDelivery {
  const q = existsSync(dir)
    ? inspectQueue(dir)
    : { queued: 0, queuedBytes: 0, dropped: 0, delivered: 0, rejected: 0 };
  return {
    enabled,
    target,
    state: enabled ? (q.queued ? 'retrying' : 'idle') : 'disabled',
    queued: q.queued,
    queuedBytes: q.queuedBytes,
    delivered: q.delivered,
    dropped: q.dropped,
    rejected: q.rejected,
    consecutiveFailures: 0,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    nextAttemptAt: null,
    queueDir: dir,
  };
}

async function status(opts: { json?: boolean }): Promise<void> {
  const loaded = loadConfig();
  const cfg = loaded.config.fleet;
  const dataDir = loaded.paths.dataDir;
  const live = readLive(dataDir);
  const dir = fleetDir(dataDir);
  const st: FleetStatus = live?.status ?? {
    metrics: {
      enabled: cfg.metrics.enabled,
      url: null,
      tls: Boolean(cfg.metrics.tlsCertFile),
      auth: Boolean(cfg.metrics.bearerTokenFile),
      scrapes: 0,
      lastScrapeAt: null,
      lastScrapeMs: null,
      error: null,
    },
    webhook: offlineDelivery(
      cfg.webhook.enabled,
      cfg.webhook.url ? displayUrl(cfg.webhook.url) : '(no url)',
      join(dir, 'webhook'),
    ),
    logs: offlineDelivery(cfg.logs.enabled, createTransport(cfg.logs).target, join(dir, 'logs')),
    problems: [],
  };
  const problems = [...st.problems];
  for (const p of loaded.problems)
    if (p.path.startsWith('fleet')) problems.push(`config: ${p.source}: ${p.path}: ${p.message}`);
  if (!live && (cfg.metrics.enabled || cfg.webhook.enabled || cfg.logs.enabled)) {
    problems.push(
      'the background service is not running (start the app or "ainl daemon"); figures are from disk',
    );
  }
  // probe the endpoint like a scraper
  let probe: { ok: boolean; code: number; ms: number; error?: string } | null = null;
  if (cfg.metrics.enabled) {
    let token: string | null = null;
    try {
      token = cfg.metrics.bearerTokenFile
        ? readSecretFile(cfg.metrics.bearerTokenFile, 'metrics bearer token')
        : null;
    } catch (e) {
      problems.push((e as Error).message);
    }
    const url = st.metrics.url ?? metricsUrl(cfg.metrics);
    const r = await scrape(url, token);
    probe = {
      ok: r.code === 200,
      code: r.code,
      ms: Math.round(r.ms * 10) / 10,
      ...(r.error ? { error: r.error } : {}),
    };
    if (!probe.ok)
      problems.push(
        `metrics: ${url} ${r.error ? `does not answer (${r.error})` : `answered HTTP ${r.code}`}`,
      );
  }
  for (const [name, d] of [
    ['webhook', st.webhook],
    ['logs', st.logs],
  ] as const) {
    if (d.enabled && d.state === 'retrying')
      problems.push(
        `${name}: ${d.queued} message(s) waiting for ${d.target}${d.lastError ? ` (${d.lastError})` : ''}`,
      );
    if (d.dropped) problems.push(`${name}: ${d.dropped} message(s) were dropped because the queue was full`);
  }
  if (opts.json) {
    out(JSON.stringify({ running: Boolean(live), ...st, probe, problems }, null, 2));
  } else {
    const m = st.metrics;
    const lines: string[] = [];
    lines.push(
      `metrics   ${m.enabled ? (m.url ?? metricsUrl(cfg.metrics)) : 'off'}${m.enabled ? `  ${m.tls ? 'TLS' : 'plain HTTP'}, ${m.auth ? 'bearer token' : 'no token'}` : ''}`,
    );
    if (m.enabled) {
      lines.push(
        `          ${probe?.ok ? `answering (${probe.ms} ms)` : 'NOT answering'}; ${m.scrapes} scrape(s), last ${when(m.lastScrapeAt)}`,
      );
    }
    for (const [name, d] of [
      ['webhook', st.webhook],
      ['logs', st.logs],
    ] as const) {
      if (!d.enabled) {
        lines.push(`${name.padEnd(9)} off`);
        continue;
      }
      lines.push(`${name.padEnd(9)} ${d.target}  ${d.state}`);
      lines.push(
        `          queued ${d.queued} (${formatBytes(d.queuedBytes)}), delivered ${d.delivered}, dropped ${d.dropped}, rejected ${d.rejected}; last success ${when(d.lastSuccessAt)}`,
      );
      if (d.lastError) lines.push(`          last error ${when(d.lastErrorAt)}: ${d.lastError}`);
      if (d.nextAttemptAt) lines.push(`          next attempt ${when(d.nextAttemptAt)}`);
    }
    for (const p of problems) lines.push(`problem   ${p}`);
    out(lines.join('\n'));
  }
  if (problems.length) process.exitCode = 1;
}

async function testWebhook(opts: { json?: boolean; resolve?: boolean }): Promise<void> {
  const loaded = loadConfig();
  const cfg = loaded.config.fleet.webhook;
  if (!cfg.url) {
    err('no webhook URL configured (set fleet.webhook.url in config.json)');
    process.exitCode = 1;
    return;
  }
  const now = Date.now();
  const labels = {
    ...cfg.labels,
    alertname: 'AinlWebhookTest',
    severity: 'info',
    instance: instanceLabel(cfg),
    job: 'ainl',
  };
  const alert: WebhookAlert = {
    status: opts.resolve ? 'resolved' : 'firing',
    labels,
    annotations: {
      summary: 'Test alert from ainl fleet test-webhook',
      description: 'If you read this, alert delivery works.',
    },
    startsAt: new Date(now).toISOString(),
    endsAt: opts.resolve ? new Date(now).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint: fingerprint(labels),
  };
  const t0 = performance.now();
  try {
    const token = cfg.bearerTokenFile ? readSecretFile(cfg.bearerTokenFile, 'webhook bearer token') : null;
    const ca = cfg.caFile ? readSecretFile(cfg.caFile, 'webhook CA') : null;
    await postJson(cfg.url, buildMessage([alert], cfg), { timeoutMs: cfg.timeoutMs, bearerToken: token, ca });
    const ms = Math.round(performance.now() - t0);
    if (opts.json)
      out(JSON.stringify({ ok: true, url: displayUrl(cfg.url), ms, fingerprint: alert.fingerprint }));
    else out(`sent AinlWebhookTest (${alert.status}) to ${displayUrl(cfg.url)}: accepted in ${ms} ms`);
    if (!cfg.enabled) err('note: fleet.webhook.enabled is false, so real alerts are not sent yet');
  } catch (e) {
    const message = (e as Error).message;
    if (opts.json) out(JSON.stringify({ ok: false, url: displayUrl(cfg.url), error: message }));
    err(`the receiver did not accept the test alert: ${message}`);
    process.exitCode = 1;
  }
}

async function metrics(): Promise<void> {
  const loaded = loadConfig();
  const cfg = loaded.config.fleet.metrics;
  if (cfg.enabled) {
    let token: string | null = null;
    try {
      token = cfg.bearerTokenFile ? readSecretFile(cfg.bearerTokenFile, 'metrics bearer token') : null;
    } catch (e) {
      err((e as Error).message);
    }
    const live = readLive(loaded.paths.dataDir);
    const r = await scrape(live?.status.metrics.url ?? metricsUrl(cfg), token);
    if (r.code === 200) {
      process.stdout.write(r.body);
      return;
    }
    err(`the endpoint did not answer (${r.error ?? `HTTP ${r.code}`}); showing the /proc part only`);
  } else {
    err('the endpoint is off (fleet.metrics.enabled = false); showing the /proc part only');
  }
  const x = new Exposition();
  collectNode(x);
  process.stdout.write(x.render());
}

function scrapeConfig(): void {
  const loaded = loadConfig();
  const cfg = loaded.config.fleet.metrics;
  const host =
    cfg.listen === '127.0.0.1' || cfg.listen === '::1' || cfg.listen === '0.0.0.0' ? hostname() : cfg.listen;
  const lines = [
    'scrape_configs:',
    '  - job_name: ainl',
    ...(cfg.path !== '/metrics' ? [`    metrics_path: ${cfg.path}`] : []),
    ...(cfg.tlsCertFile
      ? ['    scheme: https', '    tls_config:', '      ca_file: /etc/prometheus/ainl-ca.pem']
      : []),
    ...(cfg.bearerTokenFile
      ? ['    authorization:', '      type: Bearer', '      credentials_file: /etc/prometheus/ainl-token']
      : []),
    '    static_configs:',
    `      - targets: ['${host}:${cfg.port}']`,
  ];
  out(lines.join('\n'));
  if (cfg.listen === '127.0.0.1' || cfg.listen === '::1') {
    err(
      `note: the endpoint listens on ${cfg.listen} only; set fleet.metrics.listen (and a bearer token) for a remote Prometheus`,
    );
  }
}

/** Adds `fleet status|test-webhook|metrics|scrape-config` to a commander program. */
export function addFleetCommands(program: Command): Command {
  const fleet = program
    .command('fleet')
    .description('Prometheus endpoint, Alertmanager-style webhook and log forwarding for many machines');
  fleet
    .command('status')
    .description('state of the metrics endpoint, the webhook and log forwarding (exit 1 on any problem)')
    .option('--json', 'JSON output')
    .action(status);
  fleet
    .command('test-webhook')
    .description('send a test alert (AinlWebhookTest) to the configured webhook now')
    .option('--resolve', 'send it as resolved')
    .option('--json', 'JSON output')
    .action(testWebhook);
  fleet
    .command('metrics')
    .description('print the metrics as the endpoint serves them (the /proc part if it is off)')
    .action(metrics);
  fleet
    .command('scrape-config')
    .description('print a Prometheus scrape_configs entry for this machine')
    .action(scrapeConfig);
  return fleet;
}

/**
 * The fleet service: an opt-in Prometheus endpoint, Alertmanager-style webhook delivery of alerts
 * and resolutions, and forwarding of Quest Log events to journald or syslog. It reaches the other
 * services only through the ServiceContext (call/subscribe) and keeps its queues under
 * <dataDir>/fleet/. All three parts are off by default.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceFactory } from '../core/module';
import type { FleetStatus } from '../../shared/contract/fleet';
import type { MonitorAlert } from '../../shared/contract/monitor';
import { DiskQueue } from './queue';
import { Deliverer } from './deliverer';
import { FleetCounters, renderMetrics, type MetricsSources } from './metrics';
import { startMetricsServer, readSecretFile, type MetricsServer } from './metricsServer';
import {
  buildMessage,
  displayUrl,
  fromMonitorAlert,
  groupSize,
  healingGaveUpAlert,
  instanceLabel,
  postJson,
  fingerprint,
  type WebhookAlert,
} from './webhook';
import { createTransport, encoderFor, type LogRecord } from './logs';
import { QuestlogForwarder } from './forwarder';

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

export function fleetDir(dataDir: string): string {
  return join(dataDir, 'fleet');
}

/** Where the running service leaves its status for `ainl fleet status` from another process. */
export function statusFile(dataDir: string): string {
  return join(fleetDir(dataDir), 'status.json');
}

export const createFleetModule: ServiceFactory = async (ctx) => {
  const cfg = ctx.config.fleet;
  const log = ctx.log.child('fleet');
  const dir = fleetDir(ctx.paths.dataDir);
  const problems: string[] = [];
  const counters = new FleetCounters();
  const disposers: Array<() => void> = [];
  const anyEnabled = cfg.metrics.enabled || cfg.webhook.enabled || cfg.logs.enabled;
  if (anyEnabled) mkdirSync(dir, { recursive: true, mode: 0o700 });

  // ---- webhook
  let webhookQueue: DiskQueue<WebhookAlert> | null = null;
  let webhook: Deliverer<WebhookAlert> | null = null;
  const webhookTarget = cfg.webhook.url ? displayUrl(cfg.webhook.url) : '(no url)';
  if (cfg.webhook.enabled) {
    try {
      if (!cfg.webhook.url) throw new Error('fleet.webhook.enabled is true but fleet.webhook.url is empty');
      const token = cfg.webhook.bearerTokenFile
        ? readSecretFile(cfg.webhook.bearerTokenFile, 'webhook bearer token')
        : null;
      const ca = cfg.webhook.caFile ? readSecretFile(cfg.webhook.caFile, 'webhook CA') : null;
      const queue = new DiskQueue<WebhookAlert>(join(dir, 'webhook'), cfg.webhook.queue);
      webhookQueue = queue;
      webhook = new Deliverer<WebhookAlert>({
        queue,
        target: webhookTarget,
        retry: cfg.webhook.retry,
        batchSize: (items) => groupSize(items, cfg.webhook.maxAlertsPerMessage),
        send: (batch) =>
          postJson(
            cfg.webhook.url,
            buildMessage(
              batch.map((b) => b.data),
              cfg.webhook,
            ),
            {
              timeoutMs: cfg.webhook.timeoutMs,
              bearerToken: token,
              ca,
            },
          ),
        onError: (m) => log.warn(`webhook: ${m} (${queue.length} queued, retrying)`),
        onRecover: () => log.info(`webhook: ${webhookTarget} reachable again`),
      });
      webhook.kick();
    } catch (err) {
      problems.push(`webhook: ${(err as Error).message}`);
      log.error(`webhook disabled: ${(err as Error).message}`);
    }
  }
  // alerts sent as firing and not resolved yet, kept on disk: a resolution that happens while the
  // service is down must still reach the receiver (see reconcile below)
  const openFile = join(dir, 'webhook', 'open.json');
  const open = new Map<string, WebhookAlert>();
  let staleFromLastRun = new Map<string, WebhookAlert>();
  if (webhook) {
    try {
      const saved = JSON.parse(readFileSync(openFile, 'utf8')) as WebhookAlert[];
      if (Array.isArray(saved))
        for (const a of saved)
          if (a && typeof a.fingerprint === 'string') staleFromLastRun.set(a.fingerprint, a);
    } catch {
      /* none */
    }
  }
  const saveOpen = (): void => {
    try {
      writeFileSync(`${openFile}.tmp`, JSON.stringify([...staleFromLastRun.values(), ...open.values()]), {
        mode: 0o600,
      });
      renameSync(`${openFile}.tmp`, openFile);
    } catch (err) {
      log.warn(`webhook: cannot save open alerts: ${(err as Error).message}`);
    }
  };
  const enqueueAlerts = (alerts: WebhookAlert[]): void => {
    if (!webhookQueue || !webhook || !alerts.length) return;
    for (const a of alerts) {
      if (a.labels.alertname === 'AinlWebhookTest') continue;
      staleFromLastRun.delete(a.fingerprint);
      if (a.status === 'firing') open.set(a.fingerprint, a);
      else open.delete(a.fingerprint);
    }
    saveOpen();
    const dropped = webhookQueue.push(alerts);
    if (dropped) log.warn(`webhook: queue full, dropped the ${dropped} oldest alert(s)`);
    webhook.kick();
  };

  // ---- log forwarding
  let logsQueue: DiskQueue<LogRecord> | null = null;
  let logs: Deliverer<LogRecord> | null = null;
  let forwarder: QuestlogForwarder | null = null;
  const transport = createTransport(cfg.logs);
  if (cfg.logs.enabled) {
    try {
      const queue = new DiskQueue<LogRecord>(join(dir, 'logs'), cfg.logs.queue);
      logsQueue = queue;
      const encode = encoderFor(cfg.logs);
      logs = new Deliverer<LogRecord>({
        queue,
        target: transport.target,
        retry: cfg.logs.retry,
        batchSize: cfg.logs.batchSize,
        send: (batch) => transport.send(batch.map((b) => encode(b.data))),
        onError: (m) => log.warn(`logs: ${m} (${queue.length} queued, retrying)`),
        onRecover: () => log.info(`logs: ${transport.target} reachable again`),
      });
      const d = logs;
      forwarder = new QuestlogForwarder(ctx.call, queue, cfg.logs, join(dir, 'logs'), () => d.kick());
      logs.kick();
    } catch (err) {
      problems.push(`logs: ${(err as Error).message}`);
      log.error(`log forwarding disabled: ${(err as Error).message}`);
    }
  }

  // ---- subscriptions
  disposers.push(
    ctx.subscribe('monitor:alert', ({ state, alert }) => {
      counters.alert(state, alert);
      if (!webhook) return;
      if (SEVERITY_RANK[alert.severity] < SEVERITY_RANK[cfg.webhook.minSeverity]) return;
      if (state === 'resolved' && !cfg.webhook.sendResolved) return;
      const a: MonitorAlert = { ...alert, state: state === 'fired' ? 'firing' : 'resolved' };
      enqueueAlerts([fromMonitorAlert(a, cfg.webhook)]);
    }),
  );
  const gaveUp = new Map<string, { at: number; reason: string }>();
  if (webhook && staleFromLastRun.size) {
    const t = setTimeout(() => void reconcile(), cfg.webhook.reconcileAfterS * 1000);
    t.unref();
    disposers.push(() => clearTimeout(t));
  }
  /** Resolves alerts left firing by the previous run that did not fire again since. */
  async function reconcile(): Promise<void> {
    if (!staleFromLastRun.size) return;
    const stillGaveUp = new Set<string>();
    try {
      const h = await ctx.call('healing:status', {});
      for (const t of h.targets) if (t.phase === 'gave-up') stillGaveUp.add(t.name);
    } catch {
      /* healing not running: its alerts resolve like the others */
    }
    const now = Date.now();
    const resolutions: WebhookAlert[] = [];
    for (const a of staleFromLastRun.values()) {
      const target = a.labels.target;
      if (a.labels.alertname === 'AinlHealingGaveUp' && target && stillGaveUp.has(target)) {
        open.set(a.fingerprint, a);
        gaveUp.set(target, { at: Date.parse(a.startsAt) || now, reason: a.annotations.description ?? '' });
        continue;
      }
      resolutions.push({
        ...a,
        status: 'resolved',
        endsAt: new Date(now).toISOString(),
        annotations: { ...a.annotations, resolved_by: 'not active after a restart of the service' },
      });
    }
    staleFromLastRun = new Map();
    if (resolutions.length && cfg.webhook.sendResolved) enqueueAlerts(resolutions);
    else saveOpen();
    log.info(
      `webhook: ${resolutions.length} alert(s) left firing before the restart are no longer active; sent as resolved`,
    );
  }
  disposers.push(
    ctx.subscribe('healing:event', (action) => {
      counters.healing(action.kind, action.outcome);
      if (!webhook || !cfg.webhook.healing) return;
      if (action.kind === 'gave-up') {
        if (gaveUp.has(action.target)) return;
        gaveUp.set(action.target, { at: action.ts, reason: action.reason });
        enqueueAlerts([healingGaveUpAlert(action.target, action.reason, action.ts, null, cfg.webhook)]);
      } else if (['clear', 'verify-ok', 'resume'].includes(action.kind) && gaveUp.has(action.target)) {
        const g = gaveUp.get(action.target)!;
        gaveUp.delete(action.target);
        if (cfg.webhook.sendResolved)
          enqueueAlerts([healingGaveUpAlert(action.target, g.reason, g.at, action.ts, cfg.webhook)]);
      }
    }),
  );
  let lagCheckAt = 0;
  disposers.push(
    ctx.subscribe('questlog:appended', (p) => {
      counters.questlogLastIngestAt = Date.now();
      if (forwarder) void forwarder.pull();
      if (p.commands > 0 && Date.now() - lagCheckAt > 1000) {
        lagCheckAt = Date.now();
        ctx.call('questlog:search', { limit: 1, order: 'newest' }).then(
          (r) => {
            const c = r.items[0];
            if (c && c.ts > 0)
              counters.questlogLagS = Math.max(0, (Date.now() - (c.ts + Math.max(0, c.duration))) / 1000);
          },
          () => undefined,
        );
      }
    }),
  );
  if (forwarder) {
    const f = forwarder;
    void f.pull();
    // rows stored by other processes (the questlog CLI) do not announce themselves here
    const t = setInterval(() => void f.pull(), 5000);
    t.unref();
    disposers.push(() => clearInterval(t));
  }

  // ---- metrics
  // the snapshot changes once per monitor tick: fetch it again only after a new sample
  let snapshot: Awaited<ReturnType<MetricsSources['monitorCurrent']>> = null;
  disposers.push(ctx.subscribe('monitor:sample', () => (snapshot = null)));
  const sources: MetricsSources = {
    monitorCurrent: async () => (snapshot ??= await ctx.call('monitor:current', {})),
    monitorAlerts: () =>
      ctx.call('monitor:alerts', { activeOnly: true, limit: 10_000 }).then((r) => r.active),
    healingStatus: () => ctx.call('healing:status', {}),
    questlogStatus: () => ctx.call('questlog:status', {}),
  };
  const pipelines = (): Array<{ name: string; status: FleetStatus['webhook'] }> => [
    { name: 'webhook', status: webhookStatus() },
    { name: 'logs', status: logsStatus() },
  ];
  const render = async (): Promise<string> => {
    const t0 = performance.now();
    const text = await renderMetrics(sources, counters, {
      staleAfterS: cfg.metrics.staleAfterS,
      pipelines: pipelines(),
    });
    counters.scrapes++;
    counters.lastScrapeAt = Date.now();
    counters.lastScrapeMs = performance.now() - t0;
    return text;
  };
  let server: MetricsServer | null = null;
  let metricsError: string | null = null;
  if (cfg.metrics.enabled) {
    try {
      server = await startMetricsServer(cfg.metrics, render);
      log.info(`metrics: serving ${server.url}${server.auth ? ' (bearer token required)' : ''}`);
      if (!server.auth && !['127.0.0.1', '::1', 'localhost'].includes(cfg.metrics.listen)) {
        log.warn(
          `metrics: listening on ${cfg.metrics.listen} without a bearer token; anyone who reaches the port reads the metrics`,
        );
      }
    } catch (err) {
      metricsError = (err as Error).message;
      problems.push(`metrics: ${metricsError}`);
      log.error(metricsError);
    }
  }

  // ---- status
  const disabled = (target: string, queueDir: string): FleetStatus['webhook'] => ({
    enabled: false,
    target,
    state: 'disabled',
    queued: 0,
    queuedBytes: 0,
    delivered: 0,
    dropped: 0,
    rejected: 0,
    consecutiveFailures: 0,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    nextAttemptAt: null,
    queueDir,
  });
  function webhookStatus(): FleetStatus['webhook'] {
    return webhook ? webhook.status(true) : disabled(webhookTarget, join(dir, 'webhook'));
  }
  function logsStatus(): FleetStatus['logs'] {
    if (!logs) return disabled(transport.target, join(dir, 'logs'));
    const s = logs.status(true);
    if (forwarder?.lastError && !s.lastError)
      return { ...s, lastError: `reading the Quest Log: ${forwarder.lastError}` };
    return s;
  }
  const status = (): FleetStatus => ({
    metrics: {
      enabled: cfg.metrics.enabled,
      url: server?.url ?? null,
      tls: server?.tls ?? false,
      auth: server?.auth ?? false,
      scrapes: counters.scrapes,
      lastScrapeAt: counters.lastScrapeAt,
      lastScrapeMs: counters.lastScrapeMs,
      error: metricsError,
    },
    webhook: webhookStatus(),
    logs: logsStatus(),
    problems: [...problems],
  });
  const writeStatus = (): void => {
    if (!anyEnabled) return;
    try {
      const file = statusFile(ctx.paths.dataDir);
      writeFileSync(
        `${file}.tmp`,
        JSON.stringify({ pid: process.pid, writtenAt: Date.now(), status: status() }),
        { mode: 0o600 },
      );
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      log.debug?.(`cannot write the status file: ${(err as Error).message}`);
    }
  };
  writeStatus();
  const statusTimer = setInterval(writeStatus, 5000);
  statusTimer.unref();

  return {
    name: 'fleet',
    handlers: {
      'fleet:status': () => status(),
      'fleet:metrics': async () => {
        const t0 = performance.now();
        const text = await renderMetrics(sources, counters, {
          staleAfterS: cfg.metrics.staleAfterS,
          pipelines: pipelines(),
        });
        return { text, tookMs: performance.now() - t0 };
      },
      'fleet:testWebhook': (req) => {
        if (!webhook)
          throw new Error(
            cfg.webhook.enabled ? problems.join('; ') : 'the webhook is off (fleet.webhook.enabled = false)',
          );
        const now = Date.now();
        const labels = {
          ...cfg.webhook.labels,
          alertname: 'AinlWebhookTest',
          severity: 'info',
          instance: instanceLabel(cfg.webhook),
          job: 'ainl',
        };
        const base: WebhookAlert = {
          status: 'firing',
          labels,
          annotations: {
            summary: 'Test alert from ainl fleet test-webhook',
            description: 'If you read this, alert delivery works.',
          },
          startsAt: new Date(now).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: fingerprint(labels),
        };
        const alerts = [base];
        if (req.resolve)
          alerts.push({ ...base, status: 'resolved', endsAt: new Date(now + 1).toISOString() });
        enqueueAlerts(alerts);
        return { queued: alerts.length, fingerprint: base.fingerprint };
      },
    },
    dispose: async () => {
      clearInterval(statusTimer);
      for (const d of disposers) d();
      webhook?.stop();
      logs?.stop();
      writeStatus();
      webhookQueue?.close();
      logsQueue?.close();
      transport.close();
      await server?.close();
    },
  };
};

/**
 * The metrics the endpoint serves: node_exporter-compatible families from /proc and the monitor's
 * snapshot, plus `ainl_*` families (alert states, anomaly scores, healing targets and actions,
 * Quest Log ingest, the fleet pipelines themselves).
 */
import type { MonitorAlert, MonitorSnapshot } from '../../shared/contract/monitor';
import type { HealingStatus } from '../../shared/contract/healing';
import type { StatusResponse } from '../../shared/contract/questlog';
import type { FleetDelivery } from '../../shared/contract/fleet';
import { APP_VERSION } from '../../shared/version';
import { Exposition } from './exposition';
import { collectNode } from './procfs';

export interface MetricsSources {
  monitorCurrent(): Promise<MonitorSnapshot | null>;
  monitorAlerts(): Promise<MonitorAlert[] | null>;
  healingStatus(): Promise<HealingStatus | null>;
  questlogStatus(): Promise<StatusResponse | null>;
}

/** Counters the fleet module keeps from the events it subscribes to (since it started). */
export class FleetCounters {
  readonly alertsFired = new Map<string, { rule: string; severity: string; n: number }>();
  readonly alertsResolved = new Map<string, { rule: string; severity: string; n: number }>();
  readonly healingActions = new Map<string, { kind: string; outcome: string; n: number }>();
  questlogLagS: number | null = null;
  questlogLastIngestAt: number | null = null;
  scrapes = 0;
  lastScrapeMs: number | null = null;
  lastScrapeAt: number | null = null;

  alert(state: 'fired' | 'resolved', a: MonitorAlert): void {
    const m = state === 'fired' ? this.alertsFired : this.alertsResolved;
    const key = `${a.rule}\u0000${a.severity}`;
    const e = m.get(key);
    if (e) e.n++;
    else m.set(key, { rule: a.rule, severity: a.severity, n: 1 });
  }

  healing(kind: string, outcome: string): void {
    const key = `${kind}\u0000${outcome}`;
    const e = this.healingActions.get(key);
    if (e) e.n++;
    else this.healingActions.set(key, { kind, outcome, n: 1 });
  }
}

export interface RenderOptions {
  procRoot?: string;
  staleAfterS: number;
  pipelines: Array<{ name: string; status: FleetDelivery }>;
}

const SEVERITIES = ['info', 'warning', 'critical'] as const;
const TARGET_STATES = ['running', 'not-running', 'failed', 'static', 'masked', 'unknown'] as const;

function settle<T>(p: Promise<T | null>): Promise<T | null> {
  return p.catch(() => null);
}

export async function renderMetrics(
  sources: MetricsSources,
  counters: FleetCounters,
  opts: RenderOptions,
): Promise<string> {
  const t0 = performance.now();
  const [snap, alerts, healing, questlog] = await Promise.all([
    settle(sources.monitorCurrent()),
    settle(sources.monitorAlerts()),
    settle(sources.healingStatus()),
    settle(sources.questlogStatus()),
  ]);
  const x = new Exposition();
  x.family('ainl_build_info', 'gauge', 'AI-Native Linux version (always 1).')(1, { version: APP_VERSION });
  const up = x.family(
    'ainl_component_up',
    'gauge',
    'Whether a component answered this scrape (1) or not (0).',
  );
  up(snap ? 1 : 0, { component: 'monitor' });
  up(healing ? 1 : 0, { component: 'healing' });
  up(questlog ? 1 : 0, { component: 'questlog' });

  const sourceProblems = collectNode(x, opts.procRoot);
  x.family(
    'ainl_exporter_source_up',
    'gauge',
    'Whether a /proc source could be read (0 lists what is missing).',
  )(sourceProblems.length ? 0 : 1);

  if (snap) collectSnapshot(x, snap, opts.staleAfterS);
  if (alerts) collectAlerts(x, alerts);
  const fired = x.family(
    'ainl_alerts_fired_total',
    'counter',
    'Alerts fired since the service started, by rule and severity.',
  );
  for (const e of counters.alertsFired.values()) fired(e.n, { alertname: e.rule, severity: e.severity });
  const resolved = x.family(
    'ainl_alerts_resolved_total',
    'counter',
    'Alerts resolved since the service started, by rule and severity.',
  );
  for (const e of counters.alertsResolved.values())
    resolved(e.n, { alertname: e.rule, severity: e.severity });
  if (healing) collectHealing(x, healing);
  const actions = x.family(
    'ainl_healing_actions_total',
    'counter',
    'Healing decisions and actions since the service started, by kind and outcome.',
  );
  for (const e of counters.healingActions.values()) actions(e.n, { kind: e.kind, outcome: e.outcome });
  if (questlog) collectQuestlog(x, questlog, counters);

  const q = {
    queued: x.family(
      'ainl_fleet_queue_messages',
      'gauge',
      'Messages waiting in a fleet pipeline queue on disk.',
    ),
    bytes: x.family('ainl_fleet_queue_bytes', 'gauge', 'Bytes waiting in a fleet pipeline queue on disk.'),
    delivered: x.family('ainl_fleet_delivered_total', 'counter', 'Messages a fleet pipeline delivered.'),
    dropped: x.family(
      'ainl_fleet_dropped_total',
      'counter',
      'Messages a fleet pipeline dropped because its queue was full.',
    ),
    rejected: x.family('ainl_fleet_rejected_total', 'counter', 'Messages the receiver refused for good.'),
    failures: x.family(
      'ainl_fleet_consecutive_failures',
      'gauge',
      'Failed delivery attempts since the last success.',
    ),
  };
  for (const { name, status: s } of opts.pipelines) {
    if (!s.enabled) continue;
    const l = { pipeline: name };
    q.queued(s.queued, l);
    q.bytes(s.queuedBytes, l);
    q.delivered(s.delivered, l);
    q.dropped(s.dropped, l);
    q.rejected(s.rejected, l);
    q.failures(s.consecutiveFailures, l);
  }
  x.family(
    'ainl_scrapes_total',
    'counter',
    'Scrapes served by this endpoint (before this one).',
  )(counters.scrapes);
  x.family(
    'ainl_scrape_collect_seconds',
    'gauge',
    'Time spent collecting this scrape.',
  )((performance.now() - t0) / 1000);
  return x.render();
}

function collectSnapshot(x: Exposition, s: MonitorSnapshot, staleAfterS: number): void {
  const ageS = Math.max(0, (Date.now() - s.ts) / 1000);
  x.family(
    'ainl_monitor_up',
    'gauge',
    'Whether the monitor sampled recently (1) or its last sample is stale (0).',
  )(ageS <= staleAfterS ? 1 : 0);
  x.family(
    'ainl_monitor_last_sample_timestamp_seconds',
    'gauge',
    'When the monitor took its last sample.',
  )(s.ts / 1000);
  x.family('ainl_monitor_interval_seconds', 'gauge', 'The monitor sampling interval.')(s.intervalS);
  const fam = {
    avail: x.family(
      'node_filesystem_avail_bytes',
      'gauge',
      'Filesystem space available to non-root users in bytes.',
    ),
    size: x.family('node_filesystem_size_bytes', 'gauge', 'Filesystem size in bytes.'),
    files: x.family('node_filesystem_files', 'gauge', 'Filesystem total file nodes.'),
    filesFree: x.family('node_filesystem_files_free', 'gauge', 'Filesystem total free file nodes.'),
    ro: x.family('node_filesystem_readonly', 'gauge', 'Filesystem read-only status.'),
  };
  for (const f of s.filesystems) {
    const l = { device: f.device, fstype: f.type, mountpoint: f.mount };
    fam.avail(f.availBytes, l);
    fam.size(f.sizeBytes, l);
    fam.files(f.inodesTotal, l);
    fam.filesFree(f.inodesFree, l);
    fam.ro(f.readonly ? 1 : 0, l);
  }
  if (s.oomKillsTotal !== null)
    x.family(
      'ainl_oom_kills_total',
      'counter',
      'OOM kills since boot as the monitor counted them.',
    )(s.oomKillsTotal);
  const temp = x.family(
    'ainl_temperature_celsius',
    'gauge',
    'Temperature sensors as the monitor reads them.',
  );
  const alarm = x.family('ainl_temperature_alarm', 'gauge', 'Whether a sensor reports an alarm.');
  for (const t of s.temperatures) {
    temp(t.celsius, { sensor: t.name });
    alarm(t.alarm ? 1 : 0, { sensor: t.name });
  }
  if (s.failedUnits !== null)
    x.family(
      'ainl_systemd_units_failed',
      'gauge',
      'systemd units in the failed state.',
    )(s.failedUnits.length);
  x.family('ainl_processes', 'gauge', 'Processes the monitor counted.')(s.processes.count);
  const score = x.family(
    'ainl_anomaly_score',
    'gauge',
    'Calibrated Isolation Forest anomaly score (0–1) per watched metric.',
  );
  const value = x.family(
    'ainl_monitor_value',
    'gauge',
    'Every metric of the last monitor sample by its monitor name (cpu.busy_pct, fs[/].avail_pct …).',
  );
  for (const [name, v] of Object.entries(s.metrics)) {
    const m = /^anomaly\[(.+)\]\.score$/.exec(name);
    if (m && m[1]) score(v, { metric: m[1] });
    else value(v, { metric: name });
  }
  x.family(
    'ainl_monitor_problems',
    'gauge',
    'Sources the monitor could not read in its last sample.',
  )(s.problems.length);
}

function collectAlerts(x: Exposition, alerts: MonitorAlert[]): void {
  const alert = x.family(
    'ainl_alert_active',
    'gauge',
    'Active alerts (1 each), like Prometheus ALERTS{alertstate="firing"}.',
  );
  const count = x.family('ainl_alerts_active', 'gauge', 'Number of active alerts by severity.');
  const bySeverity = new Map<string, number>(SEVERITIES.map((s) => [s, 0]));
  for (const a of alerts) {
    bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1);
    alert(1, {
      alertname: a.rule,
      severity: a.severity,
      kind: a.kind,
      entity: a.entity ?? '',
      metric: a.metric,
    });
  }
  for (const [severity, n] of bySeverity) count(n, { severity });
}

function collectHealing(x: Exposition, h: HealingStatus): void {
  x.family('ainl_healing_enabled', 'gauge', 'Whether automatic healing is enabled.')(h.enabled ? 1 : 0);
  x.family('ainl_healing_paused', 'gauge', 'Whether automatic healing is paused.')(h.paused ? 1 : 0);
  x.family(
    'ainl_healing_helper_connected',
    'gauge',
    'Whether the root helper answers (0 = read-only mode).',
  )(h.connected ? 1 : 0);
  const state = x.family(
    'ainl_healing_target_state',
    'gauge',
    'Watched target state (1 for the current state).',
  );
  const gaveUp = x.family(
    'ainl_healing_target_gave_up',
    'gauge',
    'Whether healing gave up on a target (1) until cleared.',
  );
  const restarts = x.family(
    'ainl_healing_target_restarts_in_window',
    'gauge',
    'Restarts healing made within its rate window.',
  );
  const nRestarts = x.family(
    'ainl_healing_target_systemd_restarts',
    'gauge',
    "systemd's NRestarts for the unit.",
  );
  for (const t of h.targets) {
    for (const s of TARGET_STATES) state(t.state === s ? 1 : 0, { target: t.name, kind: t.kind, state: s });
    gaveUp(t.phase === 'gave-up' ? 1 : 0, { target: t.name });
    restarts(t.restartsInWindow, { target: t.name });
    nRestarts(t.nRestarts, { target: t.name });
  }
  x.family(
    'ainl_healing_gave_up_targets',
    'gauge',
    'Targets healing gave up on.',
  )(h.targets.filter((t) => t.phase === 'gave-up').length);
}

function collectQuestlog(x: Exposition, q: StatusResponse, c: FleetCounters): void {
  x.family('ainl_questlog_commands', 'gauge', 'Commands stored in the Quest Log.')(q.commands);
  x.family('ainl_questlog_events', 'gauge', 'System events stored in the Quest Log.')(q.events);
  x.family('ainl_questlog_database_bytes', 'gauge', 'Size of the Quest Log database.')(q.sizeBytes);
  x.family(
    'ainl_questlog_pending_spools',
    'gauge',
    'Shell spool files waiting for ingestion.',
  )(q.pendingSpools);
  x.family(
    'ainl_questlog_incognito',
    'gauge',
    'Whether recording is paused (incognito).',
  )(q.incognito ? 1 : 0);
  x.family(
    'ainl_questlog_journald_up',
    'gauge',
    'Whether the journald follower is running.',
  )(q.journald.state === 'running' ? 1 : 0);
  if (c.questlogLagS !== null)
    x.family(
      'ainl_questlog_ingest_lag_seconds',
      'gauge',
      'Delay between the newest stored command finishing and its storage.',
    )(c.questlogLagS);
  if (c.questlogLastIngestAt !== null)
    x.family(
      'ainl_questlog_last_ingest_timestamp_seconds',
      'gauge',
      'When the Quest Log last stored something.',
    )(c.questlogLastIngestAt / 1000);
}

/**
 * The alert manager: one active alert per key (rule + entity), cooldown after a resolution,
 * a ring of recent alerts, and three sinks for every fire and resolve: the Quest Log
 * (ctx.events.record), the JSON-lines alert log, and the `monitor:alert` push event.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MonitorAlert } from '../../shared/contract/monitor';
import type { EventRecorder } from '../core/module';
import type { Logger } from '../core/logger';

export type NewAlert = Omit<MonitorAlert, 'id' | 'state' | 'firedAt' | 'resolvedAt'>;

export interface AlertSinks {
  events: EventRecorder;
  emit: (state: 'fired' | 'resolved', alert: MonitorAlert) => void;
  log?: Logger;
}

export interface AlertManagerOptions {
  cooldownS: number;
  recent: number;
  /** JSON-lines alert log; null disables it */
  logPath: string | null;
  logMaxBytes: number;
}

let seq = 0;

export class AlertManager {
  private active = new Map<string, MonitorAlert>();
  private lastResolved = new Map<string, number>();
  private recentList: MonitorAlert[] = [];
  private logFailed = false;

  constructor(
    private readonly opts: AlertManagerOptions,
    private readonly sinks: AlertSinks,
  ) {}

  isActive(key: string): boolean {
    return this.active.has(key);
  }

  /** Fires an alert unless one with the key is active or its cooldown (default: the configured one) has not passed. */
  fire(a: NewAlert, now: number, cooldownS = this.opts.cooldownS): MonitorAlert | null {
    if (this.active.has(a.key)) return null;
    const last = this.lastResolved.get(a.key);
    if (last !== undefined && now - last < cooldownS * 1000 && now >= last) return null;
    const alert: MonitorAlert = {
      ...a,
      id: `${now.toString(36)}-${(++seq).toString(36)}`,
      state: 'firing',
      firedAt: Math.round(now),
      resolvedAt: null,
    };
    this.active.set(a.key, alert);
    this.remember(alert);
    this.publish('fired', alert);
    return alert;
  }

  /** Resolves the active alert with the key (no-op if none). */
  resolve(key: string, now: number, value?: number): MonitorAlert | null {
    const a = this.active.get(key);
    if (!a) return null;
    this.active.delete(key);
    this.lastResolved.set(key, now);
    const done: MonitorAlert = {
      ...a,
      state: 'resolved',
      resolvedAt: Math.round(now),
      value: value ?? a.value,
    };
    this.remember(done);
    this.publish('resolved', done);
    return done;
  }

  list(limit: number, activeOnly: boolean): { active: MonitorAlert[]; recent: MonitorAlert[] } {
    const active = [...this.active.values()].sort((x, y) => y.firedAt - x.firedAt);
    return { active, recent: activeOnly ? [] : this.recentList.slice(-limit).reverse() };
  }

  private remember(a: MonitorAlert): void {
    const i = this.recentList.findIndex((r) => r.id === a.id);
    if (i >= 0) this.recentList.splice(i, 1);
    this.recentList.push(a);
    if (this.recentList.length > this.opts.recent)
      this.recentList.splice(0, this.recentList.length - this.opts.recent);
  }

  private publish(state: 'fired' | 'resolved', a: MonitorAlert): void {
    const severity =
      state === 'resolved'
        ? 'info'
        : a.severity === 'critical'
          ? 'critical'
          : a.severity === 'warning'
            ? 'warning'
            : 'info';
    const message =
      state === 'fired'
        ? `${a.title}${a.entity ? ` (${a.entity})` : ''}: ${a.message}`
        : `Resolved: ${a.title}${a.entity ? ` (${a.entity})` : ''}`;
    try {
      this.sinks.events.record({
        type: state === 'fired' ? 'alert.fired' : 'alert.resolved',
        source: 'monitor',
        severity,
        message,
        ts: state === 'fired' ? a.firedAt : (a.resolvedAt ?? Date.now()),
        data: {
          id: a.id,
          key: a.key,
          rule: a.rule,
          kind: a.kind,
          metric: a.metric,
          entity: a.entity,
          value: a.value,
          threshold: a.threshold,
          alertSeverity: a.severity,
          suggestion: a.suggestion,
        },
      });
    } catch (err) {
      this.sinks.log?.warn('could not record alert in the Quest Log', { error: (err as Error).message });
    }
    this.writeLog(state, a);
    try {
      this.sinks.emit(state, a);
    } catch (err) {
      this.sinks.log?.warn('could not emit monitor:alert', { error: (err as Error).message });
    }
  }

  private writeLog(state: 'fired' | 'resolved', a: MonitorAlert): void {
    const path = this.opts.logPath;
    if (!path) return;
    try {
      ensureDir(dirname(path));
      try {
        if (statSync(path).size > this.opts.logMaxBytes) renameSync(path, `${path}.1`);
      } catch {
        // no log yet
      }
      appendFileSync(
        path,
        JSON.stringify({
          ts: new Date(state === 'fired' ? a.firedAt : (a.resolvedAt ?? Date.now())).toISOString(),
          event: state,
          ...a,
        }) + '\n',
        {
          mode: 0o600,
        },
      );
      this.logFailed = false;
    } catch (err) {
      if (!this.logFailed)
        this.sinks.log?.warn('cannot write the alert log', { path, error: (err as Error).message });
      this.logFailed = true;
    }
  }
}

/**
 * mkdir -p without `recursive: true`: Node's recursive mkdirSync never returns for some paths
 * (e.g. below /proc), which would hang the monitor on a bad data directory.
 */
function ensureDir(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  mkdirSync(dir, { mode: 0o700 });
}

/**
 * Alert delivery in Alertmanager's webhook payload shape (version "4"), so any receiver written
 * for Alertmanager (PagerDuty/Slack bridges, alertmanager-webhook-logger, custom services) takes
 * our alerts and resolutions unchanged.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostname } from 'node:os';
import type { MonitorAlert } from '../../shared/contract/monitor';
import type { FleetWebhookConfig } from '../../shared/config/fleet';
import { PermanentError } from './deliverer';
import type { QueueItem } from './queue';

/** One alert as Alertmanager sends it to a webhook. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

/** Alertmanager's "no end time" for firing alerts. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** 64-bit FNV-1a over the sorted label pairs, 16 hex digits, as Alertmanager fingerprints alerts. */
export function fingerprint(labels: Record<string, string>): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  const sep = 0xff;
  for (const k of Object.keys(labels).sort()) {
    for (const b of [...Buffer.from(k), sep, ...Buffer.from(labels[k] ?? ''), sep]) {
      h ^= BigInt(b);
      h = (h * prime) & mask;
    }
  }
  return h.toString(16).padStart(16, '0');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function instanceLabel(cfg: FleetWebhookConfig): string {
  return cfg.instance || hostname();
}

function generatorURL(cfg: FleetWebhookConfig, path: string): string {
  return cfg.externalUrl ? `${cfg.externalUrl.replace(/\/+$/, '')}${path}` : '';
}

/** A monitor alert (fired or resolved) as a webhook alert. */
export function fromMonitorAlert(a: MonitorAlert, cfg: FleetWebhookConfig): WebhookAlert {
  const labels: Record<string, string> = {
    ...cfg.labels,
    alertname: a.rule,
    severity: a.severity,
    instance: instanceLabel(cfg),
    job: 'ainl',
    kind: a.kind,
    metric: a.metric,
  };
  if (a.entity) labels.entity = a.entity;
  const annotations: Record<string, string> = {
    summary: a.title,
    description: a.message,
    value: String(a.value),
    suggestion: a.suggestion.text,
  };
  if (a.threshold !== null) annotations.threshold = String(a.threshold);
  if (a.suggestion.command) annotations.suggested_command = a.suggestion.command;
  const resolved = a.state === 'resolved';
  return {
    status: resolved ? 'resolved' : 'firing',
    labels,
    annotations,
    startsAt: iso(a.firedAt),
    endsAt: resolved ? iso(a.resolvedAt ?? Date.now()) : ZERO_TIME,
    generatorURL: generatorURL(cfg, `/#/monitor/alerts/${encodeURIComponent(a.id)}`),
    fingerprint: fingerprint(labels),
  };
}

/** "Healing gave up on a target" as an alert; `resolvedAt` set once the target is cleared or healthy. */
export function healingGaveUpAlert(
  target: string,
  reason: string,
  startsAt: number,
  resolvedAt: number | null,
  cfg: FleetWebhookConfig,
): WebhookAlert {
  const labels: Record<string, string> = {
    ...cfg.labels,
    alertname: 'AinlHealingGaveUp',
    severity: 'critical',
    instance: instanceLabel(cfg),
    job: 'ainl',
    target,
  };
  return {
    status: resolvedAt === null ? 'firing' : 'resolved',
    labels,
    annotations: {
      summary: `Self-healing gave up on ${target}`,
      description:
        reason || `Restarts of ${target} did not help; healing stopped trying until the target is cleared.`,
      suggestion: `Look at "journalctl -u ${target}", fix the cause, then "ainl healing clear ${target}".`,
    },
    startsAt: iso(startsAt),
    endsAt: resolvedAt === null ? ZERO_TIME : iso(resolvedAt),
    generatorURL: generatorURL(cfg, '/#/healing'),
    fingerprint: fingerprint(labels),
  };
}

function common(maps: Array<Record<string, string>>): Record<string, string> {
  const first = maps[0];
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (maps.every((m) => m[k] === v)) out[k] = v;
  return out;
}

/** How many of the queued alerts go into one message: consecutive ones with the same alertname. */
export function groupSize(items: Array<QueueItem<WebhookAlert>>, max: number): number {
  const name = items[0]?.data.labels.alertname;
  let n = 0;
  while (n < items.length && n < max && items[n]?.data.labels.alertname === name) n++;
  return Math.max(1, n);
}

export function buildMessage(alerts: WebhookAlert[], cfg: FleetWebhookConfig): WebhookMessage {
  const alertname = alerts[0]?.labels.alertname ?? '';
  const groupLabels = { alertname };
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(alertname)}}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: cfg.receiver,
    groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: cfg.externalUrl,
    alerts,
  };
}

/** The URL without credentials, for status output and logs. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

export interface PostOptions {
  timeoutMs: number;
  bearerToken?: string | null;
  ca?: string | null;
}

/** POSTs JSON; resolves on 2xx, throws PermanentError on 400/413/415/422 (retrying cannot help), Error otherwise. */
export function postJson(url: string, body: unknown, opts: PostOptions): Promise<void> {
  const u = new URL(url);
  const data = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': data.length,
    'User-Agent': 'ainl-fleet/1',
  };
  if (u.username || u.password) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  }
  if (opts.bearerToken) headers.Authorization = `Bearer ${opts.bearerToken}`;
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<void>((resolve, reject) => {
    const req = request(
      {
        protocol: u.protocol,
        hostname: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port || undefined,
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        headers,
        timeout: opts.timeoutMs,
        ...(opts.ca ? { ca: opts.ca } : {}),
      },
      (res) => {
        const code = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 300) text += c;
        });
        res.on('end', () => {
          if (code >= 200 && code < 300) return resolve();
          const msg = `HTTP ${code} from ${displayUrl(url)}${text ? `: ${text.trim().slice(0, 200)}` : ''}`;
          // the receiver refuses this payload for good; anything else (auth, 404, 5xx) may be fixed later
          if ([400, 413, 415, 422].includes(code)) reject(new PermanentError(msg));
          else reject(new Error(msg));
        });
        res.on('error', (err) => reject(err));
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${displayUrl(url)} within ${opts.timeoutMs} ms`)),
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code ? `${err.code} ${displayUrl(url)}` : err.message)),
    );
    req.end(data);
  });
}

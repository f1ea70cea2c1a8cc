/**
 * Pure logic behind the tray icon and notifications (no Electron import, unit-tested).
 */
export type TrayState = 'ok' | 'warning' | 'critical' | 'healing';

interface AlertEventLike {
  id?: string;
  key?: string;
  state?: string;
  status?: string;
  severity?: string;
  title?: string;
  summary?: string;
  message?: string;
}

const alertKey = (a: AlertEventLike): string => String(a.id ?? a.key ?? a.title ?? 'alert');

/** `monitor:alert` carries `{ state: 'fired' | 'resolved', alert }`; flat objects are accepted too. */
function unwrapAlert(payload: object): AlertEventLike {
  const p = payload as { state?: string; alert?: unknown };
  if (p.alert && typeof p.alert === 'object') {
    const a = p.alert as AlertEventLike;
    return { ...a, state: p.state === 'resolved' ? 'resolved' : (a.state ?? 'firing') };
  }
  return payload as AlertEventLike;
}
const isResolved = (a: AlertEventLike): boolean => a.state === 'resolved' || a.status === 'resolved';

/** The tray state after an event, or null when the event does not change it. */
export function trayStateFor(
  name: string,
  payload: unknown,
  active: Map<string, string>,
  current: TrayState,
): TrayState | null {
  if (name === 'monitor:alert' && payload && typeof payload === 'object') {
    const a = unwrapAlert(payload);
    if (isResolved(a)) active.delete(alertKey(a));
    else active.set(alertKey(a), a.severity ?? 'warning');
  } else if (name === 'healing:event' && payload && typeof payload === 'object') {
    const kind = String(
      (payload as { kind?: string; type?: string }).kind ?? (payload as { type?: string }).type ?? '',
    );
    if (/restart|recover|start/.test(kind) && !/recovered|done|gave/.test(kind)) return 'healing';
  } else {
    return null;
  }
  const severities = [...active.values()];
  const next: TrayState = severities.includes('critical') ? 'critical' : severities.length ? 'warning' : 'ok';
  return next === current ? null : next;
}

export interface NotificationSpec {
  title: string;
  body: string;
  page: string;
}

/** New alerts and healing escalations become notifications, at most `max` per `windowMs`. */
export class NotificationLimiter {
  private sent: number[] = [];
  constructor(
    private readonly max = 3,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  notificationFor(name: string, payload: unknown): NotificationSpec | null {
    if (!payload || typeof payload !== 'object') return null;
    let spec: NotificationSpec | null = null;
    if (name === 'monitor:alert') {
      const a = unwrapAlert(payload);
      if (isResolved(a) || a.severity === 'info') return null;
      spec = { title: a.title ?? 'Alert', body: a.summary ?? a.message ?? '', page: 'dashboard' };
    } else if (name === 'healing:event') {
      const e = payload as {
        kind?: string;
        type?: string;
        target?: string;
        message?: string;
        reason?: string;
      };
      const kind = String(e.kind ?? e.type ?? '');
      if (!/escalat|gave/.test(kind)) return null;
      spec = {
        title: `Healing needs you: ${e.target ?? 'a service'}`,
        body: e.reason ?? e.message ?? kind,
        page: 'services',
      };
    }
    if (!spec) return null;
    const t = this.now();
    this.sent = this.sent.filter((s) => t - s < this.windowMs);
    if (this.sent.length >= this.max) return null;
    this.sent.push(t);
    return spec;
  }
}

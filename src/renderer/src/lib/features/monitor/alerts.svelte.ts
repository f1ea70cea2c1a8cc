import type { MonitorAlert } from '@shared/contract/monitor';
import { api } from '../../api';
import { describeError } from '../../problems';

const RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Active and recent alerts: loaded from `monitor:alerts`, kept current by `monitor:alert` pushes. */
export class AlertsState {
  active = $state.raw<MonitorAlert[]>([]);
  recent = $state.raw<MonitorAlert[]>([]);
  error = $state<string | null>(null);
  loading = $state(true);

  constructor(private readonly limit = 50) {}

  sorted = $derived(
    [...this.active].sort(
      (a, b) => (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) || b.firedAt - a.firedAt,
    ),
  );

  async load(): Promise<void> {
    try {
      const res = await api.invoke('monitor:alerts', { limit: this.limit });
      this.active = res.active;
      this.recent = res.recent;
      this.error = null;
    } catch (err) {
      this.error = describeError(err, 'The kernel monitor');
    } finally {
      this.loading = false;
    }
  }

  private onAlert(state: 'fired' | 'resolved', alert: MonitorAlert): void {
    const others = this.active.filter((a) => a.id !== alert.id && a.key !== alert.key);
    this.active = state === 'fired' ? [alert, ...others] : others;
    this.recent = [alert, ...this.recent.filter((a) => a.id !== alert.id)].slice(0, this.limit);
  }

  start(): () => void {
    const off = api.on('monitor:alert', (e) => this.onAlert(e.state, e.alert));
    void this.load();
    return off;
  }
}

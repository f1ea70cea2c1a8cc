import type { SystemOverview } from '@shared/contract/system';
import { api, ApiError } from '../../api';

/** The machine overview shown in the popup: loaded once, refreshed every 30 s while shown. */
export class OverviewState {
  data = $state.raw<SystemOverview | null>(null);
  error = $state<string | null>(null);
  loading = $state(true);

  async load(refresh = false): Promise<void> {
    try {
      this.data = await api.invoke('system:overview', refresh ? { refresh: true } : {});
      this.error = null;
    } catch (err) {
      this.error = err instanceof ApiError ? `${err.message} (${err.problem})` : String(err);
    } finally {
      this.loading = false;
    }
  }

  /** Starts polling; returns the disposer. */
  start(intervalMs = 30_000): () => void {
    void this.load();
    const t = setInterval(() => void this.load(), intervalMs);
    return () => clearInterval(t);
  }
}

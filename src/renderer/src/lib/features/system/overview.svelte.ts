import type { SystemOverview } from '@shared/contract/system';
import { api, ApiError } from '../../api';

/**
 * The popup's first request leaves while the page is still mounting: the WebSocket connects and
 * `system:overview` is on its way before any component exists (first render is what the tray
 * shows first).
 */
let prefetched: Promise<SystemOverview> | null =
  typeof location !== 'undefined' && /^(#\/?(popup)?)?(\?.*)?$/.test(location.hash)
    ? api.invoke('system:overview', {})
    : null;
prefetched?.catch(() => undefined); // handled when load() awaits it

/** The machine overview shown in the popup: loaded once, refreshed every 30 s while shown. */
export class OverviewState {
  data = $state.raw<SystemOverview | null>(null);
  error = $state<string | null>(null);
  loading = $state(true);

  async load(refresh = false): Promise<void> {
    try {
      const early = refresh ? null : prefetched;
      prefetched = null;
      this.data = await (early ?? api.invoke('system:overview', refresh ? { refresh: true } : {}));
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

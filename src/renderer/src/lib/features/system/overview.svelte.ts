import type { SystemOverview } from '@shared/contract/system';
import { api, ApiError } from '../../api';

const onPopup = typeof location !== 'undefined' && /^(#\/?(popup)?)?(\?.*)?$/.test(location.hash);

/**
 * `ainl serve` embeds a fresh `system:overview` in the page it sends to a caller with the token
 * (`<script type="application/json" id="ainl-initial">`, see src/server/serve.ts), so the popup's
 * card renders in the first frame without a round trip. Read once; absent under Electron.
 */
function embeddedOverview(): SystemOverview | null {
  const el = typeof document !== 'undefined' ? document.getElementById('ainl-initial') : null;
  if (!el) return null;
  el.remove();
  try {
    const snap = JSON.parse(el.textContent ?? '') as { overview?: SystemOverview };
    if (typeof snap.overview?.kernel !== 'string') return null;
    performance.mark('ainl:snapshot'); // for the UI bench: this load rendered from the page's snapshot
    return snap.overview;
  } catch {
    return null;
  }
}
let initial: SystemOverview | null = onPopup ? embeddedOverview() : null;

/**
 * Without a snapshot the popup's first request leaves while the page is still mounting: the
 * WebSocket (or IPC) call for `system:overview` is on its way before any component exists.
 */
let prefetched: Promise<SystemOverview> | null =
  onPopup && !initial ? api.invoke('system:overview', {}) : null;
prefetched?.catch(() => undefined); // handled when load() awaits it

/** The machine overview shown in the popup: loaded once, refreshed every 30 s while shown. */
export class OverviewState {
  data = $state.raw<SystemOverview | null>(initial);
  error = $state<string | null>(null);
  loading = $state(initial === null);

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
    // a snapshot from the page is as fresh as the page: the next poll takes over from it
    if (initial) initial = null;
    else void this.load();
    const t = setInterval(() => void this.load(), intervalMs);
    return () => clearInterval(t);
  }
}

import type { InstallStatus } from '@shared/contract/install';
import { api, ApiError } from '../../api';

const words = (err: unknown): string =>
  err instanceof ApiError
    ? err.problem === 'access-denied'
      ? 'The administrator password was not given: nothing was changed.'
      : err.message
    : String(err);

/** The system integration (root helper, policies, hooks) as the Services page shows and changes it. */
export class InstallState {
  status = $state.raw<InstallStatus | null>(null);
  error = $state<string | null>(null);
  busy = $state<'install' | 'uninstall' | null>(null);
  output = $state('');

  async load(): Promise<void> {
    try {
      this.status = await api.invoke('install:status', {});
      this.error = null;
    } catch (err) {
      this.error = words(err);
    }
  }

  async run(action: 'install' | 'uninstall'): Promise<void> {
    this.busy = action;
    this.error = null;
    try {
      const r =
        action === 'install'
          ? await api.invoke('install:helper', {})
          : await api.invoke('install:uninstall', { purge: false });
      this.status = r.status;
      this.output = r.output;
    } catch (err) {
      this.error = words(err);
    } finally {
      this.busy = null;
    }
  }
}

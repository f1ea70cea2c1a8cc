import type { HealingStatus, HelperHealth, TargetStatus } from '@shared/contract/healing';
import { api, ApiError } from '../../api';
import { describeError } from '../../problems';
import { ACTION_LABEL, type UnitAction } from './unitState';

export interface ActionOutcome {
  ok: boolean;
  text: string;
}

/** Words for a refused or failed unit action (polkit and helper problems included). */
export function actionError(action: UnitAction, target: string, err: unknown): string {
  const verb = ACTION_LABEL[action].verb.toLowerCase();
  if (err instanceof ApiError) {
    if (err.problem === 'access-denied')
      return `Not allowed to ${verb} ${target}: polkit refused (${err.message}).`;
    if (err.problem === 'unavailable')
      return `Cannot ${verb} ${target}: the root helper is not reachable (${err.message}).`;
    if (err.problem === 'timeout') return `${target} did not answer in time after ${verb}.`;
  }
  return `Could not ${verb} ${target}: ${describeError(err)}`;
}

/** Watched services, recent healing actions and the root helper's health. */
export class HealingState {
  status = $state.raw<HealingStatus | null>(null);
  helper = $state.raw<HelperHealth | null>(null);
  error = $state<string | null>(null);
  helperError = $state<string | null>(null);
  loading = $state(true);
  /** target → action in flight */
  pending = $state<Record<string, UnitAction>>({});
  /** target → last action result */
  outcome = $state<Record<string, ActionOutcome>>({});
  clearing = $state<Record<string, boolean>>({});

  targets = $derived<TargetStatus[]>(this.status?.targets ?? []);

  async load(): Promise<void> {
    const [st, hp] = await Promise.allSettled([
      api.invoke('healing:status', {}),
      api.invoke('healing:helper', {}),
    ]);
    if (st.status === 'fulfilled') {
      this.status = st.value;
      this.error = null;
    } else this.error = describeError(st.reason, 'The self-healing service');
    if (hp.status === 'fulfilled') {
      this.helper = hp.value;
      this.helperError = null;
    } else this.helperError = describeError(hp.reason, 'The root helper');
    this.loading = false;
  }

  async act(target: string, action: UnitAction): Promise<void> {
    if (this.pending[target]) return;
    this.pending = { ...this.pending, [target]: action };
    const { [target]: _gone, ...rest } = this.outcome;
    this.outcome = rest;
    let result: ActionOutcome;
    try {
      const res = await api.invoke(`healing:${action}`, { target });
      result = res.ok
        ? { ok: true, text: res.message || `${ACTION_LABEL[action].verb} done.` }
        : { ok: false, text: res.message || `Could not ${action} ${target}.` };
    } catch (err) {
      result = { ok: false, text: actionError(action, target, err) };
    }
    await this.load();
    const { [target]: _done, ...still } = this.pending;
    this.pending = still;
    this.outcome = { ...this.outcome, [target]: result };
  }

  async clear(target: string): Promise<void> {
    this.clearing = { ...this.clearing, [target]: true };
    try {
      const res = await api.invoke('healing:clear', { target });
      this.outcome = {
        ...this.outcome,
        [target]: { ok: res.ok, text: res.message || 'Gave-up state cleared.' },
      };
    } catch (err) {
      this.outcome = {
        ...this.outcome,
        [target]: { ok: false, text: `Could not clear ${target}: ${describeError(err)}` },
      };
    }
    await this.load();
    const { [target]: _c, ...rest } = this.clearing;
    this.clearing = rest;
  }

  async setPaused(paused: boolean): Promise<string | null> {
    try {
      const res = await api.invoke(paused ? 'healing:pause' : 'healing:resume', {});
      await this.load();
      return res.ok ? null : res.message;
    } catch (err) {
      return describeError(err, 'The self-healing service');
    }
  }

  start(pollMs = 5_000): () => void {
    void this.load();
    const off = api.on('healing:event', () => void this.load());
    const t = setInterval(() => void this.load(), pollMs);
    return () => {
      off();
      clearInterval(t);
    };
  }
}

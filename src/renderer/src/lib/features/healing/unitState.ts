import type { TargetStatus } from '@shared/contract/healing';

/** Cockpit's five states of a service, plus the cases where it has none. */
export type CockpitState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed' | 'masked' | 'unknown';
export type UnitAction = 'restart' | 'start' | 'stop';

export function cockpitState(t: Pick<TargetStatus, 'state' | 'activeState' | 'loadState'>): CockpitState {
  if (t.state === 'masked' || t.loadState === 'masked') return 'masked';
  switch (t.activeState) {
    case 'activating':
    case 'reloading':
      return 'starting';
    case 'deactivating':
      return 'stopping';
    case 'active':
      return 'running';
    case 'failed':
      return 'failed';
    case 'inactive':
      return 'stopped';
  }
  if (t.state === 'running') return 'running';
  if (t.state === 'failed') return 'failed';
  if (t.state === 'not-running' || t.state === 'static') return 'stopped';
  return 'unknown';
}

/** Only the buttons that make sense in a state (Cockpit's rule). */
export function validActions(state: CockpitState): UnitAction[] {
  switch (state) {
    case 'running':
      return ['restart', 'stop'];
    case 'starting':
      return ['stop'];
    case 'stopped':
    case 'failed':
      return ['start'];
    default:
      return [];
  }
}

export const STATE_LABEL: Record<CockpitState, string> = {
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  failed: 'Failed',
  masked: 'Masked',
  unknown: 'Unknown',
};

export const ACTION_LABEL: Record<UnitAction, { verb: string; pending: string }> = {
  restart: { verb: 'Restart', pending: 'Restarting…' },
  start: { verb: 'Start', pending: 'Starting…' },
  stop: { verb: 'Stop', pending: 'Stopping…' },
};

export const PHASE_LABEL: Record<string, string> = {
  healthy: 'Healthy',
  'waiting-systemd': 'Waiting for systemd',
  holding: 'Held (dependency first)',
  backoff: 'Backing off',
  recovering: 'Recovering',
  stopped: 'Left stopped',
  'gave-up': 'Gave up',
  paused: 'Paused',
  unknown: 'Unknown',
};

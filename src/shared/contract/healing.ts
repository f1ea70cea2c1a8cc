// Channels and push events of the healing domain. Owned by the healing work; see contract/index.ts.
import { z } from 'zod';
import { channel, event } from './define';
import { TARGET_NAME_RE } from '../config/healing';

/** Cockpit's five unit states. */
export const targetState = z.enum(['running', 'not-running', 'failed', 'static', 'masked', 'unknown']);

export const probeStatus = z.object({
  type: z.enum(['process', 'tcp', 'http', 'command']),
  ok: z.boolean().nullable(),
  consecutiveFailures: z.number().int(),
  lastCheck: z.number().nullable(),
  detail: z.string(),
});

export const policyPhase = z.enum([
  'healthy',
  'waiting-systemd',
  'holding',
  'backoff',
  'recovering',
  'stopped',
  'gave-up',
  'paused',
  'unknown',
]);

export const failureInfo = z.object({
  at: z.number(),
  activeState: z.string(),
  result: z.string(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  journal: z.array(z.string()),
  cause: z.string(),
});

export const targetStatus = z.object({
  name: z.string(),
  kind: z.enum(['unit', 'process']),
  state: targetState,
  /** UnitFileState (enabled, disabled, static, masked …) or '' for processes. */
  enabled: z.string(),
  activeState: z.string(),
  subState: z.string(),
  loadState: z.string(),
  mainPid: z.number().int(),
  nRestarts: z.number().int(),
  /** The unit's own Restart= setting ('' for processes). */
  restartSetting: z.string(),
  probes: z.array(probeStatus),
  phase: policyPhase,
  reason: z.string(),
  restartsInWindow: z.number().int(),
  nextAttemptAt: z.number().nullable(),
  lastFailure: failureInfo.nullable(),
  dependsOn: z.array(z.string()),
  allowManual: z.boolean(),
});
export type TargetStatus = z.output<typeof targetStatus>;

export const healingAction = z.object({
  id: z.number().int(),
  ts: z.number(),
  target: z.string(),
  /** detect, restart, start, stop, reset-failed, verify-ok, verify-failed, gave-up, clear, hold, wait, pause, resume, refuse */
  kind: z.string(),
  reason: z.string(),
  actor: z.string(),
  outcome: z.enum(['ok', 'failed', 'pending', 'info']),
});
export type HealingAction = z.output<typeof healingAction>;

export const helperHealth = z.object({
  /** installed: unit file known to systemd; running: bus name owned; reachable: answers calls. */
  state: z.enum(['running', 'installed', 'not-installed', 'unreachable']),
  why: z.string(),
  busName: z.string(),
  unit: z.string(),
  version: z.string().nullable(),
  pid: z.number().int().nullable(),
});
export type HelperHealth = z.output<typeof helperHealth>;

export const healingStatus = z.object({
  /** 'helper': full engine in the root helper; 'read-only': straight from systemd (see readOnlyReason). */
  source: z.enum(['helper', 'read-only']),
  readOnlyReason: z.string(),
  paused: z.boolean(),
  enabled: z.boolean(),
  connected: z.boolean(),
  targets: z.array(targetStatus),
  recent: z.array(healingAction),
});
export type HealingStatus = z.output<typeof healingStatus>;

const targetReq = z.object({ target: z.string().regex(TARGET_NAME_RE, 'not a valid target name') }).strict();
const empty = z.object({}).strict();
const ok = z.object({ ok: z.boolean(), message: z.string() });

export const healingChannels = {
  'healing:status': channel(
    empty,
    healingStatus,
    'Watched targets, probe results, policy state and recent actions',
  ),
  'healing:restart': channel(targetReq, ok, 'Restart an allow-listed target through the root helper'),
  'healing:start': channel(targetReq, ok, 'Start an allow-listed target through the root helper'),
  'healing:stop': channel(targetReq, ok, 'Stop an allow-listed target (healing leaves it stopped)'),
  'healing:pause': channel(empty, ok, 'Pause automatic healing'),
  'healing:resume': channel(empty, ok, 'Resume automatic healing'),
  'healing:clear': channel(targetReq, ok, "Clear a target's gave-up state so healing resumes"),
  'healing:helper': channel(
    empty,
    helperHealth,
    'Root helper health: running/installed/not-installed/unreachable and why',
  ),
};

export const healingEvents = {
  'healing:event': event(healingAction, 'A healing decision or action (detect, restart, verify, gave-up …)'),
};

/**
 * The Self-Healing Service as the background host sees it: a client of the root helper. Serves
 * healing:* channels, forwards the helper's events as `healing:event` and records each one in the
 * Quest Log (audit trail). Without the helper the status is read-only from systemd and says why.
 */
import type { ServiceFactory } from '../core/module';
import type { RecordedEvent } from '../core/module';
import type { HealingAction } from '../../shared/contract/healing';
import { HelperClient } from './client';

function severity(a: HealingAction): RecordedEvent['severity'] {
  if (a.kind === 'gave-up') return 'critical';
  if (a.outcome === 'failed') return 'error';
  if (a.kind === 'detect' || a.kind === 'restart' || a.kind === 'start' || a.kind === 'hold')
    return 'warning';
  return 'info';
}

export const createHealingModule: ServiceFactory = (ctx) => {
  const log = ctx.log.child('healing');
  const client = new HelperClient(ctx.config.healing, { log: (m, f) => log.debug(m, f) });
  client.on('action', (a: HealingAction) => {
    ctx.emit('healing:event', a);
    ctx.events.record({
      type: `healing.${a.kind}`,
      source: 'healing',
      severity: severity(a),
      message: `${a.target}: ${a.kind} — ${a.reason}`,
      data: { ...a },
      ts: a.ts,
    });
  });
  client.on('health', (h: { state: string; why: string }) => {
    log.info(`root helper ${h.state}: ${h.why}`);
    ctx.events.record({
      type: 'healing.helper',
      source: 'healing',
      severity: h.state === 'running' ? 'info' : 'warning',
      message: `root helper ${h.state}: ${h.why}`,
    });
  });
  void client.start();
  return {
    name: 'healing',
    handlers: {
      'healing:status': () => client.status(),
      'healing:restart': (req) => client.restart(req.target),
      'healing:start': (req) => client.start_(req.target),
      'healing:stop': (req) => client.stop(req.target),
      'healing:pause': () => client.pause(),
      'healing:resume': () => client.resume(),
      'healing:clear': (req) => client.clear(req.target),
      'healing:helper': () => client.health(),
    },
    dispose: () => client.dispose(),
  };
};

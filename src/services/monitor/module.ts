import type { ServiceFactory } from '../core/module';
import { Monitor } from './monitor';

/** The Kernel Monitor as a background service: starts the sampling loop and serves monitor:*. */
export const createMonitorModule: ServiceFactory = (ctx) => {
  const cfg = ctx.config.monitor;
  const log = ctx.log.child('monitor');
  const monitor = new Monitor(cfg, {
    events: ctx.events,
    emitSample: (s) => ctx.emit('monitor:sample', s),
    emitAlert: (state, alert) => ctx.emit('monitor:alert', { state, alert }),
    log,
    dataDir: ctx.paths.dataDir,
  });
  if (cfg.enabled) monitor.start();
  else log.info('monitor disabled in configuration (monitor.enabled = false)');
  return {
    name: 'monitor',
    handlers: {
      'monitor:current': () => monitor.current(),
      'monitor:history': (req) => monitor.historyRange(req),
      'monitor:alerts': (req) => monitor.alerts.list(req.limit, req.activeOnly),
      'monitor:rules': () => ({
        rules: monitor.rules,
        problems: monitor.ruleProblems,
        intervalS: cfg.intervalS,
      }),
    },
    dispose: () => monitor.dispose(),
  };
};

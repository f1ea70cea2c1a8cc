import type { ServiceFactory } from '../core/module';
import { TerminalService } from './service';

/** The terminal domain as the pty host composes it: one TerminalService serving `terminal:*`. */
export const createTerminalModule: ServiceFactory = (ctx) => {
  const service = new TerminalService({ emit: ctx.emit, runtimeDir: ctx.paths.runtimeDir, log: ctx.log });
  ctx.log.info(
    service.questlogHookDir
      ? `Quest Log shell hooks from ${service.questlogHookDir}`
      : 'no Quest Log shell hooks found: terminals run without command capture',
  );
  return {
    name: 'terminal',
    handlers: service.handlers(),
    dispose: () => service.dispose(),
  };
};

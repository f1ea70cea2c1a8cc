import type { ServiceFactory } from '../core/module';
import { SystemInstaller } from './installer';

/**
 * install:* channels: status of the system integration, and for the AppImage the one-time
 * "Install system helper" / "Uninstall" through pkexec (see installer.ts).
 */
export const createInstallModule: ServiceFactory = (ctx) => {
  const installer = new SystemInstaller();
  return {
    name: 'install',
    handlers: {
      'install:status': () => installer.status(),
      'install:helper': async () => {
        const r = await installer.install();
        ctx.events.record({
          type: 'install.helper',
          source: 'install',
          severity: 'info',
          message: 'System helper installed (AppImage, through pkexec)',
          data: { mode: r.status.mode, helperState: r.status.helperState },
        });
        return r;
      },
      'install:uninstall': async (req) => {
        const r = await installer.uninstall(req.purge);
        ctx.events.record({
          type: 'install.uninstall',
          source: 'install',
          severity: 'info',
          message: req.purge ? 'System helper uninstalled and purged' : 'System helper uninstalled',
        });
        return r;
      },
    },
    dispose: () => undefined,
  };
};

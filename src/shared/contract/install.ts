import { z } from 'zod';
import { channel } from './define';

/** How this copy of the app runs: from the .deb (/opt/ai-native-linux), an AppImage, or a source checkout. */
export const InstallFlavor = z.enum(['deb', 'appimage', 'source']);
export type InstallFlavor = z.infer<typeof InstallFlavor>;

export const InstallStatus = z.object({
  /** the system integration (root helper unit, D-Bus/polkit policy, profile.d hook, config) is installed */
  installed: z.boolean(),
  /** who installed it: the .deb's postinst, the AppImage's "Install system helper", or by hand */
  mode: z.enum(['deb', 'appimage', 'manual']).nullable(),
  /** the app directory the helper runs from */
  appDir: z.string().nullable(),
  /** `systemctl is-active` of the helper unit ('active', 'inactive', 'failed' …), null if unknown */
  helperState: z.string().nullable(),
  /** files the install recorded that are gone (a damaged install) */
  missing: z.array(z.string()),
  flavor: InstallFlavor,
  /** whether "Install system helper" / "Uninstall" can run here (an AppImage with pkexec) */
  canInstall: z.boolean(),
  /** why not, in one sentence ('' when it can) */
  reason: z.string(),
});
export type InstallStatus = z.infer<typeof InstallStatus>;

export const InstallResult = z.object({
  status: InstallStatus,
  /** what the installer printed (stderr), for a details view */
  output: z.string(),
});
export type InstallResult = z.infer<typeof InstallResult>;

export const installChannels = {
  'install:status': channel(
    z.object({}).strict(),
    InstallStatus,
    'Whether the system integration (root helper, policies, hooks, config) is installed, and whether this app can install it.',
  ),
  'install:helper': channel(
    z.object({}).strict(),
    InstallResult,
    'AppImage: installs the root helper and the system integration once, as root through pkexec (an admin password prompt).',
  ),
  'install:uninstall': channel(
    z.object({ purge: z.boolean().default(false) }).strict(),
    InstallResult,
    'Removes what "install:helper" installed (through pkexec); purge also removes the edited config, the ainl-heal group and the audit log.',
  ),
};

export const installEvents = {};

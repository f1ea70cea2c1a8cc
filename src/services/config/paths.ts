import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'ai-native-linux';

export interface AppPaths {
  /** /etc/ai-native-linux (override: AINL_SYSTEM_CONFIG_DIR, for tests and staged installs) */
  systemConfigDir: string;
  /** $XDG_CONFIG_HOME/ai-native-linux */
  userConfigDir: string;
  /** $XDG_DATA_HOME/ai-native-linux: database, spools, alert log (mode 0700) */
  dataDir: string;
  /** $XDG_STATE_HOME/ai-native-linux: logs */
  stateDir: string;
  /** $XDG_RUNTIME_DIR/ai-native-linux or a temp fallback: sockets, locks */
  runtimeDir: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): AppPaths {
  const home = env.HOME || homedir();
  const xdg = (name: string, fallback: string): string => {
    const v = env[name];
    return v && v.startsWith('/') ? v : fallback;
  };
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return {
    systemConfigDir: env.AINL_SYSTEM_CONFIG_DIR || `/etc/${APP_DIR_NAME}`,
    userConfigDir: join(xdg('XDG_CONFIG_HOME', join(home, '.config')), APP_DIR_NAME),
    dataDir: join(xdg('XDG_DATA_HOME', join(home, '.local', 'share')), APP_DIR_NAME),
    stateDir: join(xdg('XDG_STATE_HOME', join(home, '.local', 'state')), APP_DIR_NAME),
    runtimeDir: join(xdg('XDG_RUNTIME_DIR', `/tmp/${APP_DIR_NAME}-${uid}`), APP_DIR_NAME),
  };
}

/**
 * A throw-away home for services composed in-process: the user config written where the loader
 * finds it, and an environment (PATH only, nothing else inherited) pointing every XDG directory
 * and the system config directory into `root`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function homeWithConfig(root: string, config: unknown): NodeJS.ProcessEnv {
  const cfgDir = join(root, 'config', 'ai-native-linux');
  mkdirSync(cfgDir, { recursive: true });
  writeFileSync(join(cfgDir, 'config.json'), JSON.stringify(config));
  return {
    PATH: process.env.PATH,
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_RUNTIME_DIR: join(root, 'run'),
    AINL_SYSTEM_CONFIG_DIR: join(root, 'etc'),
  };
}

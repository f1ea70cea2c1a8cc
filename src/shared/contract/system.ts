import { z } from 'zod';
import { channel, event } from './define';
import { SECRET_PATHS } from '../config/secrets';

export const DiskInfo = z.object({
  mount: z.string(),
  fs: z.string(),
  type: z.string(),
  sizeBytes: z.number(),
  usedBytes: z.number(),
  usePercent: z.number(),
});

export const SystemOverview = z.object({
  hostname: z.string(),
  distro: z.string(),
  kernel: z.string(),
  arch: z.string(),
  uptimeSeconds: z.number(),
  cpu: z.object({ model: z.string(), cores: z.number().int(), physicalCores: z.number().int() }),
  memory: z.object({ totalBytes: z.number(), availableBytes: z.number() }),
  disks: z.array(DiskInfo),
  collectedAt: z.string(),
});
export type SystemOverview = z.infer<typeof SystemOverview>;

export const HostState = z.enum(['idle', 'starting', 'running', 'restarting', 'gave-up', 'stopped']);
export type HostState = z.infer<typeof HostState>;

export const HostStatus = z.object({
  name: z.string(),
  state: HostState,
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  lastError: z.string().nullable(),
});
export type HostStatus = z.infer<typeof HostStatus>;

export const ConfigProblem = z.object({ path: z.string(), message: z.string(), source: z.string() });
export type ConfigProblem = z.infer<typeof ConfigProblem>;

export const AppStatus = z.object({
  version: z.string(),
  transport: z.enum(['electron', 'websocket']),
  hosts: z.array(HostStatus),
  configProblems: z.array(ConfigProblem),
});
export type AppStatus = z.infer<typeof AppStatus>;

export const SecretPath = z.enum(SECRET_PATHS);
export type SecretPath = z.infer<typeof SecretPath>;

export const ConfigView = z.object({
  /**
   * the effective configuration (all layers merged, defaults filled in) without its secrets:
   * secret keys (e.g. assistant.llm.apiKey) are left out, URLs lose their user:password@
   */
  config: z.record(z.string(), z.unknown()),
  /** per secret field (src/shared/config/secrets.ts): the key is set / the URL has credentials */
  secrets: z.record(SecretPath, z.boolean()),
  problems: z.array(ConfigProblem),
  /** the files that were read, in order */
  sources: z.array(z.string()),
  /** where `config:set` writes */
  userFile: z.string(),
});
export type ConfigView = z.infer<typeof ConfigView>;

export const systemChannels = {
  'system:overview': channel(
    z.object({ refresh: z.boolean().optional() }).strict(),
    SystemOverview,
    'Host, distribution, kernel, uptime, CPU, memory and disks (cached; refresh forces a new read).',
  ),
  'app:status': channel(
    z.object({}).strict(),
    AppStatus,
    'Version, transport, background hosts and their supervision state, configuration problems.',
  ),
  'app:resetHost': channel(
    z.object({ name: z.enum(['background', 'pty']) }).strict(),
    HostStatus,
    "Clears a host's gave-up state and starts it again.",
  ),
  'config:get': channel(
    z.object({}).strict(),
    ConfigView,
    'The effective configuration without its secrets (only whether each is set), its problems and the files it came from.',
  ),
  'config:set': channel(
    z
      .object({
        /** a partial config: sections and fields to change, e.g. {"monitor": {"intervalSeconds": 10}} */
        patch: z.record(z.string(), z.unknown()),
        /**
         * secrets to remove: a key becomes '', a URL loses its user:password@. Secrets the patch
         * leaves out are kept, and so are a URL's credentials when it is sent without any.
         */
        clearSecrets: z.array(SecretPath).max(SECRET_PATHS.length).optional(),
      })
      .strict(),
    ConfigView,
    'Validates a partial config, writes it to the user config file (secrets left out are kept) and restarts the background services with it.',
  ),
};

export const systemEvents = {
  'app:hostState': event(HostStatus, 'A supervised host changed state (running, restarting, gave-up).'),
};

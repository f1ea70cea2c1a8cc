import { z } from 'zod';
import { questlogConfig } from './questlog';
import { monitorConfig } from './monitor';
import { healingConfig } from './healing';
import { assistantConfig } from './assistant';
import { fleetConfig } from './fleet';

/**
 * The whole configuration. Every field has a default; an empty object is a valid config.
 * Layers: /etc/ai-native-linux/config.json → $XDG_CONFIG_HOME/ai-native-linux/config.json → AINL_* env.
 */
export const uiConfig = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  autostart: z.boolean().default(false),
  notifications: z.boolean().default(true),
});

export const serveConfig = z.object({
  port: z.number().int().min(0).max(65535).default(0),
});

export const configSchema = z.object({
  ui: uiConfig.default(uiConfig.parse({})),
  serve: serveConfig.default(serveConfig.parse({})),
  questlog: questlogConfig.default(questlogConfig.parse({})),
  monitor: monitorConfig.default(monitorConfig.parse({})),
  healing: healingConfig.default(healingConfig.parse({})),
  assistant: assistantConfig.default(assistantConfig.parse({})),
  fleet: fleetConfig.default(fleetConfig.parse({})),
});

export type AppConfig = z.output<typeof configSchema>;

export function defaultConfig(): AppConfig {
  return configSchema.parse({});
}

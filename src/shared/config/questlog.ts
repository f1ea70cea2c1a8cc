import { z } from 'zod';

// The [questlog] section of the configuration. Every field has a default, so an empty file is valid.
export const questlogConfig = z.object({
  /** Rows older than this many days are deleted by the periodic cleanup; 0 keeps everything. */
  retentionDays: z.number().int().min(0).max(36500).default(365),
  /** Redact secrets (API keys, tokens, passwords) from command lines before storage. */
  redact: z.boolean().default(true),
  /** Extra redaction patterns (JavaScript regular expressions; the whole match is replaced). */
  redactPatterns: z.array(z.string().max(500)).max(100).default([]),
  /** Start with recording paused (commands typed meanwhile are never stored). */
  incognito: z.boolean().default(false),
  /** Follow the systemd journal for unit failures, OOM kills, logins and kernel errors. */
  journald: z.boolean().default(true),
  /** The journalctl binary to run (a name on PATH or an absolute path). */
  journalctl: z.string().min(1).max(4096).default('journalctl'),
  /** How often the daemon polls the spool directory in addition to fs.watch, in milliseconds. */
  ingestIntervalMs: z.number().int().min(50).max(600_000).default(1000),
});
export type QuestlogConfig = z.output<typeof questlogConfig>;

import { z } from 'zod';

// The [healing] section of the configuration. Every field has a default, so an empty file is valid.

/** systemd unit names: no paths, no shell metacharacters, a known unit type suffix. */
export const UNIT_NAME_RE =
  /^[A-Za-z0-9:_.\\@-]{1,240}\.(service|socket|target|mount|automount|timer|path|swap|slice|scope|device)$/;
/** Names of watched targets (what clients pass): the unit name, or a short id for a plain process. */
export const TARGET_NAME_RE = /^[A-Za-z0-9:_.\\@-]{1,255}$/;

/** User and group names as shadow-utils accepts them (or a numeric id). */
export const ACCOUNT_RE = /^(?:[a-z_][a-z0-9_-]*[$]?|\d+)$/;
const ACCOUNT_MSG = 'a user/group name ([a-z_][a-z0-9_-]*) or a numeric id';
/** Environment variable names. */
export const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidUnitName(name: string): boolean {
  return UNIT_NAME_RE.test(name) && !name.includes('..') && !name.startsWith('-');
}

const probeCommon = {
  /** Seconds between probe runs. */
  intervalSec: z.number().min(0.2).max(3600).default(10),
  /** A probe that takes longer fails. */
  timeoutMs: z.number().int().min(50).max(120_000).default(2000),
  /** Consecutive failures before the target counts as unhealthy. */
  failureThreshold: z.number().int().min(1).max(100).default(3),
  /** Grace period after a (re)start during which failures are not counted. */
  startPeriodSec: z.number().min(0).max(3600).default(0),
};

export const probeConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('process'), ...probeCommon }).strict(),
  z
    .object({
      type: z.literal('tcp'),
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(1).max(65535).default(80),
      ...probeCommon,
    })
    .strict(),
  z
    .object({
      type: z.literal('http'),
      url: z
        .string()
        .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
        .default('http://127.0.0.1/'),
      /** Accepted status codes as [low, high]; Kubernetes' 200–399 by default. */
      expectStatus: z.tuple([z.number().int(), z.number().int()]).default([200, 399]),
      /** If set, the body must contain this text. */
      bodyContains: z.string().default(''),
      ...probeCommon,
    })
    .strict(),
  z
    .object({
      type: z.literal('command'),
      /** argv, never a shell string; exit code 0 = healthy. */
      argv: z.array(z.string().min(1)).min(1).default(['/bin/true']),
      ...probeCommon,
    })
    .strict(),
]);
export type ProbeConfig = z.output<typeof probeConfig>;

export const policyConfig = z
  .object({
    /** At most this many automatic restarts per window, then `gave-up`. */
    maxRestarts: z.number().int().min(0).max(1000).default(5),
    windowSec: z.number().min(1).max(86_400).default(300),
    /** Exponential backoff between attempts: initial × 2^n, capped. The first attempt is immediate. */
    backoffInitialSec: z.number().min(0).max(3600).default(1),
    backoffMaxSec: z.number().min(0).max(86_400).default(300),
    /** A target that stayed healthy this long has its backoff reset. */
    backoffResetSec: z.number().min(0).max(86_400).default(600),
    /** No automatic action this long after a person acted on the target. */
    cooldownSec: z.number().min(0).max(86_400).default(10),
    /** Higher first when several targets need action at once. */
    priority: z.number().int().min(-100).max(100).default(0),
    /** After systemd's own start limit is hit, reset-failed + start (else: gave-up). */
    resetFailed: z.boolean().default(false),
    /** Seconds to wait for active + probes passing after an action. */
    verifyTimeoutSec: z.number().min(0.5).max(600).default(10),
    /** Recovery counts only once the target stayed active with probes passing this long (supervisord's startsecs). */
    stableSec: z.number().min(0).max(600).default(1),
  })
  .strict();
export type PolicyConfig = z.output<typeof policyConfig>;

export const targetConfig = z
  .object({
    /** For units: the unit name (e.g. nginx.service). For processes: a short id. */
    name: z.string().regex(TARGET_NAME_RE, 'letters, digits and :_.\\@- only').default('unnamed'),
    kind: z.enum(['unit', 'process']).default('unit'),
    /** Plain processes: how to find the process and how to (re)start it. */
    process: z
      .object({
        pidfile: z.string().default(''),
        /** Exact process name (comm). */
        comm: z.string().default(''),
        /** Substring of the command line. */
        cmdline: z.string().default(''),
        /** argv to start it (no shell): a transient systemd service ainl-heal-<name>-<n>.service. */
        start: z.array(z.string()).default([]),
        /** argv to restart it; default: SIGTERM the matched process, then `start`. */
        restart: z.array(z.string()).default([]),
        /** User the started process runs as (name or numeric uid); default: root. */
        user: z.string().regex(ACCOUNT_RE, ACCOUNT_MSG).max(32).optional(),
        /** Group it runs as (name or numeric gid); default: the user's primary group. */
        group: z.string().regex(ACCOUNT_RE, ACCOUNT_MSG).max(32).optional(),
        /** Its working directory (absolute); default: `/`. */
        workingDirectory: z
          .string()
          .regex(/^\/[^\0\n]*$/, 'must be an absolute path')
          .max(4096)
          .optional(),
        /** Extra environment variables, NAME → value. */
        environment: z
          .record(
            z.string(),
            z.string().regex(/^[^\0\n]*$/, 'values may not contain NUL or newline characters'),
          )
          .superRefine((e, ctx) => {
            const names = Object.keys(e);
            if (names.length > 32) ctx.addIssue({ code: 'custom', message: 'at most 32 variables' });
            for (const n of names)
              if (!ENV_NAME_RE.test(n))
                ctx.addIssue({
                  code: 'custom',
                  path: [n],
                  message: 'variable names: letters, digits and _, not starting with a digit',
                });
          })
          .optional(),
      })
      .strict()
      .default({ pidfile: '', comm: '', cmdline: '', start: [], restart: [] }),
    probes: z.array(probeConfig).default([]),
    policy: policyConfig.default(policyConfig.parse({})),
    /** Other watched targets this one depends on (healed first; this one is held meanwhile). */
    dependsOn: z.array(z.string().regex(TARGET_NAME_RE)).default([]),
    /** Whether clients may start/stop/restart it through the helper. */
    allowManual: z.boolean().default(true),
  })
  .strict();
export type TargetConfig = z.output<typeof targetConfig>;

export const healingConfig = z.object({
  /** Automatic recovery on/off (status and manual actions keep working). */
  enabled: z.boolean().default(true),
  /** Safety-net reconcile poll (seconds); signals do the real work. */
  reconcileIntervalSec: z.number().min(1).max(3600).default(30),
  targets: z.array(targetConfig).default([]),
  /** The root helper's D-Bus name and systemd unit. */
  helperBusName: z.string().default('org.ainl.Helper1'),
  helperUnit: z.string().default('ai-native-linux-helper.service'),
  /** Start the helper through systemd when it is installed but not running. */
  startHelper: z.boolean().default(true),
  /** Number of recent actions kept in the status. */
  historySize: z.number().int().min(1).max(1000).default(50),
});
export type HealingConfig = z.output<typeof healingConfig>;

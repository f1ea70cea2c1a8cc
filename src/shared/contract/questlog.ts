// Channels and push events of the questlog domain. Owned by the questlog work; see contract/index.ts.
import { z } from 'zod';
import { channel, event } from './define';

/** One recorded shell command. Times are epoch milliseconds; -1 means unknown (imports, crashes). */
export const QuestCommand = z.object({
  id: z.number().int(),
  ts: z.number().int(),
  duration: z.number().int(),
  exit: z.number().int(),
  command: z.string(),
  cwd: z.string(),
  user: z.string(),
  host: z.string(),
  tty: z.string(),
  session: z.string(),
  shell: z.string(),
  /** Categories of secrets that were replaced by [REDACTED:<category>], or null. */
  redacted: z.string().nullable(),
});
export type QuestCommand = z.infer<typeof QuestCommand>;

export const Severity = z.enum(['debug', 'info', 'warning', 'error', 'critical']);

/** One system event (journald, monitor alerts, healing actions, assistant suggestions …). */
export const QuestEvent = z.object({
  id: z.number().int(),
  ts: z.number().int(),
  type: z.string(),
  source: z.string(),
  severity: Severity,
  message: z.string(),
  unit: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type QuestEvent = z.infer<typeof QuestEvent>;

const epochMs = z.number().int().min(0).max(1e14);
const shortText = z.string().max(4096);

/** Filters shared by search, export, delete and stats. */
export const CommandFilter = z
  .object({
    query: z.string().max(4096).optional(),
    /** fulltext: every word is a substring (`!word` excludes); prefix; fuzzy: characters in order; regex. */
    mode: z.enum(['fulltext', 'prefix', 'fuzzy', 'regex']).default('fulltext'),
    since: epochMs.optional(),
    until: epochMs.optional(),
    cwd: shortText.optional(),
    /** With cwd: also match directories below it. */
    cwdTree: z.boolean().default(false),
    exit: z.number().int().min(-1).max(255).optional(),
    failed: z.boolean().default(false),
    session: shortText.optional(),
    user: shortText.optional(),
    host: shortText.optional(),
    shell: z.enum(['bash', 'zsh', 'fish', 'import']).optional(),
  })
  .strict();
export type CommandFilter = z.input<typeof CommandFilter>;

/** Totals are counted up to this many matches unless countLimit asks for more (a GUI shows "1000+"). */
export const DEFAULT_COUNT_LIMIT = 1000;
const countLimit = z.number().int().min(0).max(10_000_000).default(DEFAULT_COUNT_LIMIT);

export const SearchRequest = CommandFilter.extend({
  /** Count matches up to this many (0: no count beyond the page); counting is the slow part of a search. */
  countLimit,
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  order: z.enum(['newest', 'oldest']).default('newest'),
}).strict();
export type SearchRequest = z.input<typeof SearchRequest>;

const Page = {
  /** Number of matches, counted up to a cap (see totalCapped). */
  total: z.number().int(),
  /** True when there are more than `total` matches (counting stopped at the cap). */
  totalCapped: z.boolean(),
  tookMs: z.number(),
};

export const SearchResponse = z.object({ items: z.array(QuestCommand), ...Page });
export type SearchResponse = z.infer<typeof SearchResponse>;

export const EventFilter = z
  .object({
    query: z.string().max(4096).optional(),
    /** Event types, e.g. unit.failed, oom.kill, login, kernel.error, alert.fired; a trailing * matches a prefix. */
    types: z.array(z.string().min(1).max(200)).max(50).optional(),
    source: shortText.optional(),
    minSeverity: Severity.optional(),
    unit: shortText.optional(),
    since: epochMs.optional(),
    until: epochMs.optional(),
  })
  .strict();
export type EventFilter = z.input<typeof EventFilter>;

export const EventsRequest = EventFilter.extend({
  countLimit,
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  order: z.enum(['newest', 'oldest']).default('newest'),
}).strict();
export type EventsRequest = z.input<typeof EventsRequest>;

export const EventsResponse = z.object({ items: z.array(QuestEvent), ...Page });
export type EventsResponse = z.infer<typeof EventsResponse>;

export const StatsRequest = z
  .object({
    since: epochMs.optional(),
    until: epochMs.optional(),
    top: z.number().int().min(1).max(200).default(10),
  })
  .strict();
export type StatsRequest = z.input<typeof StatsRequest>;

const ProgramStat = z.object({
  program: z.string(),
  count: z.number().int(),
  failed: z.number().int(),
  failureRate: z.number(),
  avgDurationMs: z.number().nullable(),
});

export const StatsResponse = z.object({
  totals: z.object({
    commands: z.number().int(),
    failed: z.number().int(),
    programs: z.number().int(),
    events: z.number().int(),
    firstTs: z.number().int().nullable(),
    lastTs: z.number().int().nullable(),
  }),
  /** Most used programs (first word, sudo/doas stripped; git/apt/docker … keep their subcommand). */
  topCommands: z.array(ProgramStat),
  /** Programs with the highest failure rate among those run at least 3 times. */
  failureRates: z.array(ProgramStat),
  /** Commands per local hour of day, index 0..23. */
  hours: z.array(z.number().int()).length(24),
  /** Busiest directories. */
  directories: z.array(z.object({ cwd: z.string(), count: z.number().int(), failed: z.number().int() })),
  /** Commands per local day (YYYY-MM-DD), oldest first, at most 90 days. */
  days: z.array(z.object({ day: z.string(), count: z.number().int(), failed: z.number().int() })),
  tookMs: z.number(),
});
export type StatsResponse = z.infer<typeof StatsResponse>;

export const DetailResponse = z.object({
  command: QuestCommand,
  /** The commands just before and after in the same shell session. */
  previous: QuestCommand.nullable(),
  next: QuestCommand.nullable(),
  /** How often this exact command text was run, how often it failed, its mean duration. */
  runs: z.number().int(),
  failures: z.number().int(),
  avgDurationMs: z.number().nullable(),
  /** System events from one minute before the start to one minute after the end. */
  events: z.array(QuestEvent),
});
export type DetailResponse = z.infer<typeof DetailResponse>;

export const DeleteRequest = z
  .object({
    ids: z.array(z.number().int().min(1)).max(10_000).optional(),
    /** Delete every command matching this filter (at least one criterion is required). */
    filter: CommandFilter.optional(),
    /** Count and preview only. */
    dryRun: z.boolean().default(false),
  })
  .strict();
export type DeleteRequest = z.input<typeof DeleteRequest>;

export const DeleteResponse = z.object({
  matched: z.number().int(),
  deleted: z.number().int(),
  preview: z.array(QuestCommand),
});

export const StatusResponse = z.object({
  database: z.string(),
  spoolDir: z.string(),
  sizeBytes: z.number().int(),
  commands: z.number().int(),
  events: z.number().int(),
  incognito: z.boolean(),
  journald: z.object({
    state: z.enum(['disabled', 'starting', 'running', 'restarting', 'failed']),
    message: z.string().nullable(),
  }),
  pendingSpools: z.number().int(),
  problems: z.array(z.string()),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

export const questlogChannels = {
  'questlog:search': channel(
    SearchRequest,
    SearchResponse,
    'Search recorded commands (full-text, prefix, fuzzy, regex) with filters; paged, with a capped total.',
  ),
  'questlog:events': channel(
    EventsRequest,
    EventsResponse,
    'List or search system events (journald, alerts, healing, assistant) with filters; paged.',
  ),
  'questlog:stats': channel(
    StatsRequest,
    StatsResponse,
    'Top commands, failure rates, busiest hours, directories and per-day counts.',
  ),
  'questlog:detail': channel(
    z.object({ id: z.number().int().min(1) }).strict(),
    DetailResponse,
    'One command with its session neighbours, run statistics and the system events around it.',
  ),
  'questlog:delete': channel(
    DeleteRequest,
    DeleteResponse,
    'Delete commands by id or by filter (dryRun previews); never deletes without a criterion.',
  ),
  'questlog:incognito': channel(
    z.object({ enabled: z.boolean().optional() }).strict(),
    z.object({ enabled: z.boolean() }),
    'Read or set incognito mode: while on, shells record nothing and pending records are dropped.',
  ),
  'questlog:status': channel(
    z.object({}).strict(),
    StatusResponse,
    'Database path and size, row counts, journald follower state, pending spools, problems.',
  ),
};

export const questlogEvents = {
  'questlog:appended': event(
    z.object({
      commands: z.number().int(),
      events: z.number().int(),
      lastCommandId: z.number().int().nullable(),
      lastEventId: z.number().int().nullable(),
    }),
    'New commands or events were stored (counts and the newest ids; fetch rows with search/events).',
  ),
};

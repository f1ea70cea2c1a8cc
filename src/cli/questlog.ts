/**
 * `questlog`: the Quest Log from the command line: list, search, stats, tail, export, import,
 * delete, init (shell hooks), incognito, status, show, daemon. Runs under plain Node.
 * Human tables by default, `--json` everywhere; exit 0 ok, 1 failure or nothing found, 2 usage.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type LoadedConfig } from '../services/config/loader';
import { composeServices } from '../hosts/runtime';
import { Problem } from '../shared/problems';
import { APP_VERSION } from '../shared/version';
import { csvCell, QUEST_COMMAND_COLUMNS } from '../shared/export';
import type { CommandFilter, EventFilter, QuestCommand, QuestEvent } from '../shared/contract/questlog';
import { acquireDaemonLock, LockHeld } from '../services/questlog/lock';
import { createRedactor } from '../services/questlog/redact';
import { ingestSpools, type IngestResult } from '../services/questlog/spool';
import { ensureDir, QuestlogStore } from '../services/questlog/store';
import { defaultHistoryFile, importHistory, type HistoryFormat } from '../services/questlog/importer';
import {
  createQuestlogModule,
  isIncognito,
  questlogPaths,
  setIncognito,
  type QuestlogPaths,
} from '../services/questlog/module';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

// ------------------------------------------------------------------ parsing helpers

const UNITS: Record<string, number> = {
  s: 1e3,
  m: 6e4,
  min: 6e4,
  h: 3.6e6,
  d: 8.64e7,
  w: 6.048e8,
  mo: 2.592e9,
  y: 3.1536e10,
};

/** 2026-01-31, 2026-01-31T10:00, 10m, 2h, 3d, "3 days ago", today, yesterday, now, @epoch. */
export function parseWhen(input: string, now = Date.now()): number {
  const s = input.trim().toLowerCase();
  if (s === 'now') return now;
  if (s === 'today' || s === 'yesterday') {
    const d = new Date(now);
    d.setHours(0, 0, 0, 0);
    return d.getTime() - (s === 'yesterday' ? 86_400_000 : 0);
  }
  const at = /^@(\d{9,13})$/.exec(s);
  if (at) return (at[1] as string).length > 11 ? Number(at[1]) : Number(at[1]) * 1000;
  const rel =
    /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?|w|weeks?|mo|months?|y|years?)(\s+ago)?$/.exec(
      s,
    );
  if (rel) {
    const u = rel[2] as string;
    const key = u.startsWith('mo') ? 'mo' : u.startsWith('mi') || u === 'm' ? 'm' : (u[0] as string);
    return now - Number(rel[1]) * (UNITS[key] ?? 0);
  }
  if (/^\d{4}-\d{2}-\d{2}([ t]\d{2}:\d{2}(:\d{2})?)?$/.test(s)) {
    const t = new Date(s.replace(' ', 'T')).getTime();
    if (Number.isFinite(t)) return t;
  }
  throw new InvalidArgumentError(
    `not a time: "${input}" (use e.g. 2h, 3d, yesterday, 2026-01-31, 2026-01-31T10:00)`,
  );
}

function parseIntArg(min: number, max: number) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError(`not an integer: "${v}"`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}`);
    return n;
  };
}

interface FilterOpts {
  since?: number;
  until?: number;
  cwd?: string;
  tree?: boolean;
  exit?: number;
  failed?: boolean;
  session?: string;
  user?: string;
  host?: string;
  shell?: 'bash' | 'zsh' | 'fish' | 'import';
  mode?: 'fulltext' | 'prefix' | 'fuzzy' | 'regex';
  prefix?: boolean;
  fuzzy?: boolean;
  regex?: boolean;
}

interface EventOpts {
  events?: boolean;
  type?: string[];
  severity?: QuestEvent['severity'];
  unit?: string;
  source?: string;
}

function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--since <when>', 'only at or after this time (2h, 3d, yesterday, 2026-01-31 …)', (v) =>
      parseWhen(v),
    )
    .option('--until <when>', 'only before this time', (v) => parseWhen(v))
    .option('--cwd <dir>', 'only commands run in this directory ("." = here)')
    .option('--tree', 'with --cwd: include its subdirectories')
    .option('--exit <code>', 'only this exit code', parseIntArg(-1, 255))
    .option('--failed', 'only failed commands (exit code > 0)')
    .option('--session <id>', 'only this shell session ("current" = $QL_SESSION)')
    .option('--user <name>', 'only this user')
    .option('--host <name>', 'only this host')
    .addOption(
      new Option('--shell <shell>', 'only this shell (import = imported history)').choices([
        'bash',
        'zsh',
        'fish',
        'import',
      ]),
    )
    .option('--events', 'system events instead of commands')
    .option(
      '--type <type...>',
      'event types (unit.failed, oom.kill, login, kernel.error, alert.* …); implies --events',
    )
    .addOption(
      new Option('--severity <level>', 'events at or above this severity').choices([
        'debug',
        'info',
        'warning',
        'error',
        'critical',
      ]),
    )
    .option('--unit <unit>', 'events of this systemd unit')
    .option('--source <source>', 'events written by this component (journald, monitor, healing …)');
}

function wantsEvents(o: EventOpts): boolean {
  return Boolean(o.events || o.type?.length || o.severity || o.unit || o.source);
}

function commandFilter(o: FilterOpts, query: string | undefined, env: NodeJS.ProcessEnv): CommandFilter {
  const mode = o.regex ? 'regex' : o.fuzzy ? 'fuzzy' : o.prefix ? 'prefix' : (o.mode ?? 'fulltext');
  let session = o.session;
  if (session === 'current') {
    session = env.QL_SESSION;
    if (!session)
      throw new UsageError('--session current: $QL_SESSION is not set (is the shell hook loaded?)');
  }
  return {
    query: query || undefined,
    mode,
    since: o.since,
    until: o.until,
    cwd: o.cwd !== undefined ? resolve(o.cwd) : undefined,
    cwdTree: Boolean(o.tree),
    exit: o.exit,
    failed: Boolean(o.failed),
    session,
    user: o.user,
    host: o.host,
    shell: o.shell,
  };
}

function eventFilter(o: EventOpts & FilterOpts, query: string | undefined): EventFilter {
  return {
    query: query || undefined,
    types: o.type,
    minSeverity: o.severity,
    unit: o.unit,
    source: o.source,
    since: o.since,
    until: o.until,
  };
}

// ------------------------------------------------------------------ formatting

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function fmtTime(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export function fmtDuration(ms: number): string {
  if (ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${pad2(Math.floor((ms % 60_000) / 1000))}s`;
  return `${Math.floor(ms / 3_600_000)}h${pad2(Math.floor((ms % 3_600_000) / 60_000))}m`;
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\n/g, ' ⏎ ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
}

function shortPath(p: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME;
  if (home && home !== '/' && (p === home || p.startsWith(`${home}/`))) return `~${p.slice(home.length)}`;
  return p;
}

function cut(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}

function table(headers: string[], rows: string[][], align: Array<'l' | 'r'>, maxWidth: number): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 0);
  const last = widths.length - 1;
  widths[last] = Math.max(10, Math.min(widths[last] ?? 10, maxWidth - fixed));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        const v = i === last ? cut(c, w) : c;
        const padN = Math.max(0, w - [...v].length);
        return align[i] === 'r' ? ' '.repeat(padN) + v : i === last ? v : v + ' '.repeat(padN);
      })
      .join('  ');
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

function commandTable(items: QuestCommand[], io: CliIO): string {
  const width = io.stdout.columns ?? 160;
  const rows = items.map((c) => [
    String(c.id),
    fmtTime(c.ts),
    fmtDuration(c.duration),
    c.exit < 0 ? '-' : String(c.exit),
    cut(shortPath(c.cwd, io.env) || '-', 30),
    oneLine(c.command),
  ]);
  return table(
    ['ID', 'TIME', 'DURATION', 'EXIT', 'CWD', 'COMMAND'],
    rows,
    ['r', 'l', 'r', 'r', 'l', 'l'],
    width,
  );
}

function eventTable(items: QuestEvent[], io: CliIO): string {
  const width = io.stdout.columns ?? 160;
  const rows = items.map((e) => [
    String(e.id),
    fmtTime(e.ts),
    e.severity,
    e.type,
    e.unit ?? e.source,
    oneLine(e.message),
  ]);
  return table(
    ['ID', 'TIME', 'SEVERITY', 'TYPE', 'UNIT/SOURCE', 'MESSAGE'],
    rows,
    ['r', 'l', 'l', 'l', 'l', 'l'],
    width,
  );
}

// ------------------------------------------------------------------ database access

interface Ctx {
  io: CliIO;
  loaded: LoadedConfig;
  paths: QuestlogPaths;
  json: boolean;
}

function redactorFor(ctx: Ctx) {
  const q = ctx.loaded.config.questlog;
  return createRedactor({
    enabled: q.redact,
    extraPatterns: q.redactPatterns,
    onProblem: (m) => ctx.io.stderr.write(`questlog: ${m}\n`),
  });
}

/** Ingests pending spools when no daemon holds the lock (so reads are fresh without a daemon). */
function ingestPending(ctx: Ctx, store: QuestlogStore): IngestResult | null {
  let lock;
  try {
    lock = acquireDaemonLock(ctx.paths.lockFile);
  } catch (err) {
    if (!(err instanceof LockHeld)) ctx.io.stderr.write(`questlog: warning: ${(err as Error).message}\n`);
    return null;
  }
  try {
    const r = ingestSpools(store, ctx.paths.spoolDir, { incognito: isIncognito(ctx.paths) });
    for (const p of r.problems) ctx.io.stderr.write(`questlog: warning: ${p}\n`);
    return r;
  } finally {
    lock.release();
  }
}

/** Opens the store for reading: writable (ingesting pending spools first) or read-only as a fallback. */
function openForRead(ctx: Ctx): QuestlogStore {
  const dbExists = existsSync(ctx.paths.db);
  const spoolsExist = existsSync(ctx.paths.spoolDir);
  if (!dbExists && !spoolsExist) {
    throw new Problem(
      'not-found',
      `nothing recorded yet: no database at ${ctx.paths.db} (load the shell hook: eval "$(questlog init bash)")`,
    );
  }
  try {
    const store = QuestlogStore.open(ctx.paths.db, { redactor: redactorFor(ctx) });
    ingestPending(ctx, store);
    return store;
  } catch (err) {
    if (!dbExists) throw err;
    ctx.io.stderr.write(`questlog: warning: ${(err as Error).message}; reading read-only\n`);
    try {
      const ro = QuestlogStore.open(ctx.paths.db, { readonly: true });
      ro.totalCommands(); // a WAL database in a read-only directory fails here, not at open
      return ro;
    } catch {
      // WAL needs a writable directory even to read: read a snapshot copy instead
      const dir = mkdtempSync(join(tmpdir(), 'questlog-ro-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const copy = join(dir, 'questlog.db');
      copyFileSync(ctx.paths.db, copy);
      ctx.io.stderr.write(
        `questlog: warning: ${dirname(ctx.paths.db)} is not writable; reading a snapshot copy\n`,
      );
      return QuestlogStore.open(copy, { readonly: true });
    }
  }
}

function openForWrite(ctx: Ctx): QuestlogStore {
  return QuestlogStore.open(ctx.paths.db, { redactor: redactorFor(ctx) });
}

function out(ctx: Ctx, text: string): void {
  ctx.io.stdout.write(text);
}

function json(ctx: Ctx, value: unknown): void {
  ctx.io.stdout.write(JSON.stringify(value, null, ctx.io.stdout.isTTY ? 2 : undefined) + '\n');
}

/** Finds resources/shell/questlog.<shell> next to the source tree, the build output or a packaged app. */
export function findHook(shell: 'bash' | 'zsh', env: NodeJS.ProcessEnv = process.env): string {
  const name = `questlog.${shell}`;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.AINL_RESOURCES_DIR ? join(env.AINL_RESOURCES_DIR, 'shell', name) : '',
    join(here, '..', '..', 'resources', 'shell', name),
    join(here, '..', 'resources', 'shell', name),
    join(here, 'resources', 'shell', name),
    (process as { resourcesPath?: string }).resourcesPath
      ? join((process as { resourcesPath?: string }).resourcesPath as string, 'shell', name)
      : '',
    `/usr/share/ai-native-linux/shell/${name}`,
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Problem(
      'not-found',
      `cannot find the ${shell} hook (${name}); looked in: ${candidates.join(', ')}`,
    );
  return found;
}

const SHELL_HOOK_MARKER = 'shell-hook';
const SHELL_HOOK_MARKER_HELP = `$XDG_CONFIG_HOME/ai-native-linux/${SHELL_HOOK_MARKER}`;

/**
 * Creates or removes the opt-in marker that /etc/profile.d/ai-native-linux.sh tests before it
 * loads the hook in a login shell. Returns the marker's path.
 */
export function setShellHookMarker(userConfigDir: string, enabled: boolean): string {
  const marker = join(userConfigDir, SHELL_HOOK_MARKER);
  try {
    if (enabled) {
      ensureDir(userConfigDir);
      writeFileSync(
        marker,
        '# the Quest Log shell hook is loaded in login shells while this file exists (questlog init --disable)\n',
        {
          mode: 0o600,
        },
      );
    } else {
      rmSync(marker, { force: true });
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Problem('access-denied', `cannot ${enabled ? 'create' : 'remove'} ${marker}: ${code}`);
  }
  return marker;
}

// ------------------------------------------------------------------ the program

export function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command('questlog');
  let loaded: LoadedConfig | null = null;
  const ctxOf = (opts: { json?: boolean }): Ctx => {
    loaded ??= loadConfig(io.env);
    return { io, loaded, paths: questlogPaths(loaded.paths.dataDir), json: Boolean(opts.json) };
  };
  program
    .description('The Quest Log: every shell command and system event, searchable.')
    .version(APP_VERSION)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Exit status: 0 ok, 1 failure or nothing found, 2 usage error.
Files: $XDG_DATA_HOME/ai-native-linux/questlog.db (database), …/spool/ (per-shell spools).
Start: eval "$(questlog init bash)" in ~/.bashrc, or eval "$(questlog init zsh)" in ~/.zshrc.`,
    );

  // list
  addFilterOptions(
    program
      .command('list')
      .description('recent commands (or --events), newest last')
      .option('-n, --limit <n>', 'how many', parseIntArg(1, 1000), 20)
      .option('--offset <n>', 'skip this many of the newest', parseIntArg(0, 10_000_000), 0)
      .option('--json', 'JSON output'),
  ).action((o: FilterOpts & EventOpts & { limit: number; offset: number; json?: boolean }) => {
    const ctx = ctxOf(o);
    const store = openForRead(ctx);
    try {
      if (wantsEvents(o)) {
        const r = store.events({ ...eventFilter(o, undefined), limit: o.limit, offset: o.offset });
        if (ctx.json) return json(ctx, r);
        out(ctx, eventTable([...r.items].reverse(), io));
      } else {
        const r = store.search({ ...commandFilter(o, undefined, io.env), limit: o.limit, offset: o.offset });
        if (ctx.json) return json(ctx, r);
        out(ctx, commandTable([...r.items].reverse(), io));
      }
    } finally {
      store.close();
    }
  });

  // search
  addFilterOptions(
    program
      .command('search')
      .description('search commands (full-text by default) or events')
      .argument('[query...]', 'words that must all appear (!word excludes one)')
      .addOption(
        new Option('--mode <mode>', 'match mode')
          .choices(['fulltext', 'prefix', 'fuzzy', 'regex'])
          .default('fulltext'),
      )
      .option('--prefix', 'the command starts with the query')
      .option('--fuzzy', 'the query characters appear in order')
      .option('--regex', 'the query is a JavaScript regular expression')
      .option('-n, --limit <n>', 'how many', parseIntArg(1, 1000), 50)
      .option('--offset <n>', 'skip this many', parseIntArg(0, 10_000_000), 0)
      .option('--reverse', 'oldest first')
      .option('--json', 'JSON output (with total and tookMs)'),
  ).action(
    (
      words: string[],
      o: FilterOpts & EventOpts & { limit: number; offset: number; reverse?: boolean; json?: boolean },
    ) => {
      const ctx = ctxOf(o);
      const query = words.join(' ');
      const store = openForRead(ctx);
      try {
        const order = o.reverse ? 'oldest' : 'newest';
        if (wantsEvents(o)) {
          const r = store.events({ ...eventFilter(o, query), limit: o.limit, offset: o.offset, order });
          if (ctx.json) json(ctx, r);
          else if (r.items.length) out(ctx, eventTable(r.items, io));
          if (!r.items.length) {
            if (!ctx.json) io.stderr.write('questlog: no matching events\n');
            setCode(1);
          }
        } else {
          const r = store.search({
            ...commandFilter(o, query, io.env),
            limit: o.limit,
            offset: o.offset,
            order,
          });
          if (ctx.json) json(ctx, r);
          else if (r.items.length) {
            out(ctx, commandTable(r.items, io));
            if (io.stderr.isTTY)
              io.stderr.write(`${r.total}${r.totalCapped ? '+' : ''} match(es), ${r.tookMs.toFixed(1)} ms\n`);
          }
          if (!r.items.length) {
            if (!ctx.json) io.stderr.write('questlog: no matching commands\n');
            setCode(1);
          }
        }
      } finally {
        store.close();
      }
    },
  );

  // stats
  program
    .command('stats')
    .description('top commands, failure rates, busiest hours, directories')
    .option('--since <when>', 'from this time', (v) => parseWhen(v))
    .option('--until <when>', 'before this time', (v) => parseWhen(v))
    .option('--top <n>', 'rows per table', parseIntArg(1, 200), 10)
    .option('--json', 'JSON output')
    .action((o: { since?: number; until?: number; top: number; json?: boolean }) => {
      const ctx = ctxOf(o);
      const store = openForRead(ctx);
      try {
        const s = store.stats({ since: o.since, until: o.until, top: o.top });
        if (ctx.json) return json(ctx, s);
        const t = s.totals;
        const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
        let text = `${t.commands} commands (${t.failed} failed, ${t.commands ? pct(t.failed / t.commands) : '0%'}), ${t.programs} programs, ${t.events} events`;
        if (t.firstTs !== null && t.lastTs !== null) text += `, ${fmtTime(t.firstTs)} → ${fmtTime(t.lastTs)}`;
        text += '\n\nTop commands\n';
        const maxN = Math.max(1, ...s.topCommands.map((c) => c.count));
        text += table(
          ['COUNT', 'FAILED', 'AVG', 'COMMAND', ''],
          s.topCommands.map((c) => [
            String(c.count),
            pct(c.failureRate),
            c.avgDurationMs === null ? '-' : fmtDuration(c.avgDurationMs),
            c.program,
            '█'.repeat(Math.max(1, Math.round((c.count / maxN) * 30))),
          ]),
          ['r', 'r', 'r', 'l', 'l'],
          200,
        );
        if (s.failureRates.length) {
          text += '\nHighest failure rates (3+ runs)\n';
          text += table(
            ['FAILED', 'RUNS', 'COMMAND'],
            s.failureRates.map((c) => [pct(c.failureRate), String(c.count), c.program]),
            ['r', 'r', 'l'],
            200,
          );
        }
        text += '\nBusiest hours\n';
        const maxH = Math.max(1, ...s.hours);
        text +=
          s.hours
            .map(
              (n, h) => `${pad2(h)}:00 ${String(n).padStart(7)} ${'█'.repeat(Math.round((n / maxH) * 30))}`,
            )
            .join('\n') + '\n';
        text += '\nDirectories\n';
        text += table(
          ['COUNT', 'FAILED', 'DIRECTORY'],
          s.directories.map((d) => [
            String(d.count),
            String(d.failed),
            shortPath(d.cwd, io.env) || '(unknown)',
          ]),
          ['r', 'r', 'l'],
          200,
        );
        out(ctx, text);
      } finally {
        store.close();
      }
    });

  // tail
  program
    .command('tail')
    .description('the newest commands and events; -f keeps following')
    .option('-f, --follow', 'keep printing new rows')
    .option('-n, --lines <n>', 'how many to show first', parseIntArg(0, 1000), 10)
    .option('--events', 'events only')
    .option('--commands', 'commands only')
    .option('--interval <ms>', 'poll interval with -f', parseIntArg(50, 60_000), 500)
    .option('--json', 'JSON lines ({"kind":"command"|"event", ...})')
    .action(
      async (o: {
        follow?: boolean;
        lines: number;
        events?: boolean;
        commands?: boolean;
        interval: number;
        json?: boolean;
      }) => {
        const ctx = ctxOf(o);
        const store = openForRead(ctx);
        const showC = !o.events;
        const showE = !o.commands;
        const print = (cs: QuestCommand[], es: QuestEvent[]): void => {
          const rows: Array<{ ts: number; line: string }> = [];
          if (showC)
            for (const c of cs)
              rows.push({
                ts: c.ts,
                line: ctx.json
                  ? JSON.stringify({ kind: 'command', ...c })
                  : `${fmtTime(c.ts)}  ${c.exit < 0 ? '  -' : String(c.exit).padStart(3)}  ${fmtDuration(c.duration).padStart(7)}  ${oneLine(c.command)}`,
              });
          if (showE)
            for (const e of es)
              rows.push({
                ts: e.ts,
                line: ctx.json
                  ? JSON.stringify({ kind: 'event', ...e })
                  : `${fmtTime(e.ts)}  [${e.severity}] ${e.type}${e.unit ? ` ${e.unit}` : ''}: ${oneLine(e.message)}`,
              });
          rows.sort((a, b) => a.ts - b.ts);
          if (rows.length) out(ctx, rows.map((r) => r.line).join('\n') + '\n');
        };
        try {
          const cs = o.lines && showC ? store.search({ limit: o.lines }).items.reverse() : [];
          const es = o.lines && showE ? store.events({ limit: o.lines }).items.reverse() : [];
          print(cs, es);
          if (!o.follow) return;
          let { commandId, eventId } = store.lastIds();
          await new Promise<void>((resolveDone) => {
            const stop = (): void => {
              clearInterval(timer);
              resolveDone();
            };
            const timer = setInterval(() => {
              try {
                if (!store.readonly) ingestPending(ctx, store);
                const n = store.newerThan(commandId, eventId);
                if (n.commands.length) commandId = (n.commands.at(-1) as QuestCommand).id;
                if (n.events.length) eventId = (n.events.at(-1) as QuestEvent).id;
                print(n.commands, n.events);
              } catch (err) {
                io.stderr.write(`questlog: ${(err as Error).message}\n`);
                setCode(1);
                stop();
              }
            }, o.interval);
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
            io.stdout.on('error', stop);
          });
        } finally {
          store.close();
        }
      },
    );

  // export
  addFilterOptions(
    program
      .command('export')
      .description('write commands (or --events) as JSON lines or CSV, oldest first')
      .argument('[query...]', 'optional search words (as for search)')
      .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
      .option('-o, --output <file>', 'write to a file instead of stdout'),
  ).action(
    async (words: string[], o: FilterOpts & EventOpts & { format: 'jsonl' | 'csv'; output?: string }) => {
      const ctx = ctxOf({});
      const store = openForRead(ctx);
      let stream: WriteStream | null = null;
      try {
        const target: NodeJS.WritableStream = o.output
          ? (stream = createWriteStream(o.output, { mode: 0o600 }))
          : io.stdout;
        const write = async (s: string): Promise<void> => {
          if (!target.write(s)) await new Promise((r) => target.once('drain', r));
        };
        let n = 0;
        if (wantsEvents(o)) {
          const cols = ['id', 'ts', 'type', 'source', 'severity', 'unit', 'message', 'data'] as const;
          if (o.format === 'csv') await write(cols.join(',') + '\n');
          for (const e of store.iterateEvents(eventFilter(o, words.join(' ')))) {
            await write(
              o.format === 'csv' ? cols.map((c) => csvCell(e[c])).join(',') + '\n' : JSON.stringify(e) + '\n',
            );
            n++;
          }
        } else {
          const cols = QUEST_COMMAND_COLUMNS;
          if (o.format === 'csv') await write(cols.join(',') + '\n');
          for (const c of store.iterateCommands(commandFilter(o, words.join(' '), io.env))) {
            await write(
              o.format === 'csv' ? cols.map((k) => csvCell(c[k])).join(',') + '\n' : JSON.stringify(c) + '\n',
            );
            n++;
          }
        }
        if (stream) {
          const s = stream;
          await new Promise<void>((r, j) => {
            s.once('error', j);
            s.end(r);
          });
          io.stderr.write(`questlog: wrote ${n} row(s) to ${o.output}\n`);
        }
      } finally {
        store.close();
      }
    },
  );

  // import
  program
    .command('import')
    .description('import an existing shell history (idempotent: re-running adds only new entries)')
    .addArgument(
      new Command()
        .createArgument('[shell]', 'bash, zsh, fish or auto (detect from the file)')
        .choices(['bash', 'zsh', 'fish', 'auto'])
        .default('auto'),
    )
    .option('-f, --file <path>', "history file (default: the shell's own, e.g. ~/.bash_history)")
    .option('--json', 'JSON summary')
    .action(async (shell: HistoryFormat | 'auto', o: { file?: string; json?: boolean }) => {
      const ctx = ctxOf(o);
      if (shell === 'auto' && !o.file) {
        throw new UsageError('import: name the shell (bash, zsh, fish) or give --file');
      }
      const store = openForWrite(ctx);
      let bar: { start(t: number, v: number): void; update(v: number): void; stop(): void } | null = null;
      try {
        if (io.stderr.isTTY && !ctx.json) {
          const { SingleBar, Presets } = await import('cli-progress');
          bar = new SingleBar(
            {
              stream: io.stderr as NodeJS.WriteStream,
              format: 'importing [{bar}] {value}/{total} entries',
              hideCursor: true,
            },
            Presets.shades_classic,
          );
        }
        let started = false;
        const r = importHistory(store, {
          format: shell === 'auto' ? undefined : shell,
          file: o.file ?? (shell === 'auto' ? undefined : defaultHistoryFile(shell, io.env)),
          user: safeUser(),
          host: hostname(),
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
        bar?.stop();
        if (ctx.json) return json(ctx, r);
        for (const w of r.warnings.slice(0, 20)) io.stderr.write(`questlog: warning: ${r.file}: ${w}\n`);
        if (r.warnings.length > 20)
          io.stderr.write(`questlog: … and ${r.warnings.length - 20} more warnings\n`);
        out(
          ctx,
          `imported ${r.imported} of ${r.entries} ${r.format} history entries from ${r.file}${r.skipped ? ` (${r.skipped} already present)` : ''}\n`,
        );
      } finally {
        bar?.stop();
        store.close();
      }
    });

  // delete
  addFilterOptions(
    program
      .command('delete')
      .description('delete commands by id, or every command matching a query/filter')
      .argument('[ids...]', 'command ids')
      .option('-q, --query <text>', 'delete commands matching this search')
      .option('--prefix', 'query is a prefix')
      .option('--regex', 'query is a regular expression')
      .option('--fuzzy', 'query is fuzzy')
      .option('--dry-run', 'show what would be deleted')
      .option('-y, --yes', 'needed to delete by query/filter (not for explicit ids)')
      .option('--json', 'JSON output'),
  ).action(
    (
      ids: string[],
      o: FilterOpts & EventOpts & { query?: string; dryRun?: boolean; yes?: boolean; json?: boolean },
    ) => {
      const ctx = ctxOf(o);
      if (wantsEvents(o)) throw new UsageError('delete works on commands only');
      const idNums = ids.map((s) => {
        if (!/^\d+$/.test(s)) throw new UsageError(`not a command id: "${s}"`);
        return Number(s);
      });
      const filter = commandFilter(o, o.query, io.env);
      const hasFilter = Boolean(
        o.query ||
        o.since !== undefined ||
        o.until !== undefined ||
        o.cwd ||
        o.exit !== undefined ||
        o.failed ||
        o.session ||
        o.user ||
        o.host ||
        o.shell,
      );
      if (!idNums.length && !hasFilter)
        throw new UsageError('delete: give command ids, --query or a filter (refusing to delete everything)');
      const dryRun = Boolean(o.dryRun) || (hasFilter && !o.yes);
      const store = openForRead(ctx);
      try {
        const r = store.delete({
          ids: idNums.length ? idNums : undefined,
          filter: hasFilter ? filter : undefined,
          dryRun,
        });
        if (ctx.json) json(ctx, r);
        else if (dryRun) {
          if (r.preview.length) out(ctx, commandTable(r.preview, io));
          io.stderr.write(
            `questlog: ${r.matched} command(s) match${o.dryRun ? '' : '; add --yes to delete them'}\n`,
          );
        } else out(ctx, `deleted ${r.deleted} command(s)\n`);
        if (!r.matched) setCode(1);
        else if (dryRun && !o.dryRun) setCode(1);
      } finally {
        store.close();
      }
    },
  );

  // show
  program
    .command('show')
    .description('one command with its session neighbours, run statistics and nearby system events')
    .argument('<id>', 'command id', parseIntArg(1, Number.MAX_SAFE_INTEGER))
    .option('--json', 'JSON output')
    .action((id: number, o: { json?: boolean }) => {
      const ctx = ctxOf(o);
      const store = openForRead(ctx);
      try {
        const d = store.detail(id);
        if (ctx.json) return json(ctx, d);
        const c = d.command;
        let text = `${c.command}\n\n`;
        const kv: Array<[string, string]> = [
          ['id', String(c.id)],
          ['time', fmtTime(c.ts)],
          ['duration', fmtDuration(c.duration)],
          ['exit', c.exit < 0 ? 'unknown' : String(c.exit)],
          ['directory', c.cwd || 'unknown'],
          ['user@host', `${c.user || '?'}@${c.host || '?'}`],
          ['tty', c.tty || '-'],
          ['shell', `${c.shell || '?'} (session ${c.session || '-'})`],
          [
            'runs',
            `${d.runs} (${d.failures} failed${d.avgDurationMs !== null ? `, average ${fmtDuration(d.avgDurationMs)}` : ''})`,
          ],
        ];
        if (c.redacted) kv.push(['redacted', c.redacted]);
        if (d.previous) kv.push(['previous', `#${d.previous.id} ${oneLine(d.previous.command)}`]);
        if (d.next) kv.push(['next', `#${d.next.id} ${oneLine(d.next.command)}`]);
        text += kv.map(([k, v]) => `${k.padEnd(10)} ${v}`).join('\n') + '\n';
        if (d.events.length) text += `\nSystem events around it\n${eventTable(d.events, io)}`;
        out(ctx, text);
      } finally {
        store.close();
      }
    });

  // init
  program
    .command('init')
    .description(
      'print the shell hook to load with eval "$(questlog init bash)"; --enable/--disable the login-shell hook',
    )
    .addArgument(new Command().createArgument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .addOption(
      new Option(
        '--enable',
        `also load the hook in login shells (/etc/profile.d): create ${SHELL_HOOK_MARKER_HELP}`,
      ).conflicts('disable'),
    )
    .addOption(
      new Option('--disable', `stop loading the hook in login shells: remove ${SHELL_HOOK_MARKER_HELP}`),
    )
    .action((shell: 'bash' | 'zsh', o: { enable?: boolean; disable?: boolean }) => {
      const ctx = ctxOf({});
      const hook = readFileSync(findHook(shell, io.env), 'utf8');
      if (o.enable || o.disable) {
        const marker = setShellHookMarker(ctx.loaded.paths.userConfigDir, Boolean(o.enable));
        io.stderr.write(
          o.enable
            ? `questlog: login shells load the hook from now on (${marker} created; remove it with questlog init ${shell} --disable)\n`
            : `questlog: login shells no longer load the hook (${marker} removed); an eval line in your rc file still does\n`,
        );
      }
      const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
      out(ctx, `QL_SPOOL_DIR=\${QL_SPOOL_DIR:-${q(ctx.paths.spoolDir)}}\n${hook}`);
    });

  // incognito
  program
    .command('incognito')
    .description('pause (on) or resume (off) recording in every shell; no argument shows the state')
    .addArgument(new Command().createArgument('[state]', 'on or off').choices(['on', 'off']))
    .option('--json', 'JSON output')
    .action((state: 'on' | 'off' | undefined, o: { json?: boolean }) => {
      const ctx = ctxOf(o);
      if (state) {
        const store = openForWrite(ctx);
        try {
          if (state === 'off') ingestPending(ctx, store);
          setIncognito(ctx.paths, state === 'on');
          store.insertEvents([
            {
              type: `questlog.incognito.${state}`,
              source: 'questlog',
              severity: 'info',
              message: state === 'on' ? 'Recording paused (incognito)' : 'Recording resumed',
            },
          ]);
        } finally {
          store.close();
        }
      }
      const enabled = isIncognito(ctx.paths);
      if (ctx.json) json(ctx, { enabled });
      else out(ctx, `incognito: ${enabled ? 'on (nothing is recorded)' : 'off (recording)'}\n`);
    });

  // status
  program
    .command('status')
    .description('database, size, counts, pending spools, daemon')
    .option('--json', 'JSON output')
    .action((o: { json?: boolean }) => {
      const ctx = ctxOf(o);
      let daemonPid: number | null = null;
      try {
        acquireDaemonLock(ctx.paths.lockFile).release();
      } catch (err) {
        if (err instanceof LockHeld) daemonPid = err.ownerPid ?? -1;
      }
      const store = openForRead(ctx);
      try {
        const s = {
          database: ctx.paths.db,
          spoolDir: ctx.paths.spoolDir,
          sizeBytes: store.sizeBytes(),
          commands: store.totalCommands(),
          events: store.totalEvents(),
          incognito: isIncognito(ctx.paths),
          daemon: daemonPid === null ? null : { pid: daemonPid > 0 ? daemonPid : null },
          integrity: undefined as string | undefined,
        };
        if (ctx.json) return json(ctx, s);
        out(
          ctx,
          [
            `database   ${s.database} (${(s.sizeBytes / 1048576).toFixed(1)} MiB)`,
            `spools     ${s.spoolDir}`,
            `commands   ${s.commands}`,
            `events     ${s.events}`,
            `incognito  ${s.incognito ? 'on' : 'off'}`,
            `daemon     ${s.daemon ? `running${s.daemon.pid ? ` (pid ${s.daemon.pid})` : ''}` : 'not running (questlog ingests pending spools itself)'}`,
          ].join('\n') + '\n',
        );
      } finally {
        store.close();
      }
    });

  // daemon
  program
    .command('daemon')
    .description(
      'run the Quest Log daemon alone in the foreground (ainl daemon runs it with the other services)',
    )
    .action(async () => {
      const ctx = ctxOf({});
      const composed = await composeServices(
        'questlog',
        [['questlog', createQuestlogModule]],
        () => undefined,
        io.env,
      );
      const mod = composed.modules[0];
      if (!mod) throw new Problem('unavailable', 'the Quest Log service failed to start (see the log above)');
      const status = mod.handlers['questlog:status'];
      const st = status ? await status({}, { transport: 'cli' }) : null;
      if (st && st.problems.some((p) => p.includes('already owns'))) {
        await composed.dispose();
        throw new Problem(
          'unavailable',
          st.problems.find((p) => p.includes('already owns')) ?? 'another daemon is running',
        );
      }
      io.stderr.write(
        `questlog daemon: ingesting ${ctx.paths.spoolDir} into ${ctx.paths.db} (pid ${process.pid})\n`,
      );
      await new Promise<void>((r) => {
        process.once('SIGINT', r);
        process.once('SIGTERM', r);
      });
      await composed.dispose();
    });

  return program;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      if (err.code === 'commander.executeSubCommandAsync') return 1;
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`questlog: ${err.message}\n`);
      return 2;
    }
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr.write(`questlog: ${msg}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileUrlSafe(process.argv[1])) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  void runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}

function pathToFileUrlSafe(p: string): string {
  try {
    return new URL(`file://${resolve(p)}`).href;
  } catch {
    return '';
  }
}

/**
 * The Quest Log store: one SQLite database (better-sqlite3, WAL) holding `commands` and `events`,
 * a trigram FTS5 index over command texts, rollup tables for statistics, spool offsets and meta.
 *
 * One writer (the daemon, or a CLI when no daemon runs) and any number of read-only readers.
 * Every batch is one transaction; spool offsets and journald cursors are written in the same
 * transaction as the rows they produced, so a crash never loses or duplicates anything.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Problem } from '../../shared/problems';
import {
  CommandFilter as CommandFilterSchema,
  type CommandFilter,
  type DeleteRequest,
  type DetailResponse,
  type EventFilter,
  type EventsRequest,
  type EventsResponse,
  type QuestCommand,
  type QuestEvent,
  type SearchRequest,
  type SearchResponse,
  type StatsRequest,
  type StatsResponse,
  DEFAULT_COUNT_LIMIT,
} from '../../shared/contract/questlog';
import type { RecordedEvent } from '../core/module';
import { programOf } from './program';
import { createRedactor, type Redactor } from './redact';

export const DB_FILE = 'questlog.db';

export interface NewCommand {
  ts: number;
  duration?: number;
  exit?: number;
  command: string;
  cwd?: string;
  user?: string;
  host?: string;
  tty?: string;
  session?: string;
  shell?: string;
}

export interface NewEvent extends RecordedEvent {
  unit?: string | null;
  /** journald cursor: unique, so a replayed journal entry is ignored */
  cursor?: string | null;
}

type Sev = QuestEvent['severity'];
const SEVERITIES: Sev[] = ['debug', 'info', 'warning', 'error', 'critical'];

const MIGRATIONS: string[] = [
  // 1: initial schema
  `
  CREATE TABLE commands (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    duration INTEGER NOT NULL DEFAULT -1,
    exit INTEGER NOT NULL DEFAULT -1,
    command TEXT NOT NULL,
    cwd TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    tty TEXT NOT NULL DEFAULT '',
    session TEXT NOT NULL DEFAULT '',
    shell TEXT NOT NULL DEFAULT '',
    program TEXT NOT NULL DEFAULT '',
    redacted TEXT
  );
  CREATE INDEX commands_ts ON commands(ts);
  -- (cwd) and (session) indexes end in the rowid, so "newest first" in one directory or session
  -- is an index walk that stops after a page, not a sort
  CREATE INDEX commands_cwd ON commands(cwd);
  CREATE INDEX commands_session ON commands(session);
  CREATE INDEX commands_failed ON commands(exit) WHERE exit <> 0;
  CREATE UNIQUE INDEX commands_import ON commands(session, ts, command) WHERE session LIKE 'import:%';
  CREATE VIRTUAL TABLE commands_fts USING fts5(command, content='commands', content_rowid='id', tokenize='trigram', detail='none');
  CREATE TRIGGER commands_ai AFTER INSERT ON commands BEGIN
    INSERT INTO commands_fts(rowid, command) VALUES (new.id, new.command);
  END;
  CREATE TRIGGER commands_ad AFTER DELETE ON commands BEGIN
    INSERT INTO commands_fts(commands_fts, rowid, command) VALUES ('delete', old.id, old.command);
  END;
  CREATE TRIGGER commands_au AFTER UPDATE OF command ON commands BEGIN
    INSERT INTO commands_fts(commands_fts, rowid, command) VALUES ('delete', old.id, old.command);
    INSERT INTO commands_fts(rowid, command) VALUES (new.id, new.command);
  END;

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT,
    unit TEXT,
    cursor TEXT
  );
  CREATE INDEX events_ts ON events(ts);
  CREATE INDEX events_type ON events(type, ts);
  CREATE UNIQUE INDEX events_cursor ON events(cursor) WHERE cursor IS NOT NULL;

  CREATE TABLE stats_program (program TEXT PRIMARY KEY, n INTEGER NOT NULL, failed INTEGER NOT NULL,
    dur_sum INTEGER NOT NULL, dur_n INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE stats_cwd (cwd TEXT PRIMARY KEY, n INTEGER NOT NULL, failed INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE stats_hour (hour INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  CREATE TABLE stats_day (day TEXT PRIMARY KEY, n INTEGER NOT NULL, failed INTEGER NOT NULL) WITHOUT ROWID;

  CREATE TABLE spool_offsets (file TEXT PRIMARY KEY, offset INTEGER NOT NULL, last_hist INTEGER,
    updated INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
  `,
  // 2: commands are indexed into commands_fts by one INSERT … SELECT per batch (insertCommandsRaw)
  // instead of a per-row trigger: the trigger made every row cost ~20 µs of FTS work, the batched
  // statement ~1.5 µs. Deletes and updates keep their triggers.
  `
  DROP TRIGGER IF EXISTS commands_ai;
  `,
  // 3: rows written by a writer that does not index them (a version 1 daemon still running after
  // an upgrade dropped its trigger) are indexed here and caught up later (ftsCurrent). A row is in
  // the index when commands_fts_docsize has its id; the delete and update triggers touch the index
  // only for such rows, since an FTS5 'delete' of a row it never had fails as SQLITE_CORRUPT_VTAB.
  `
  DROP TRIGGER IF EXISTS commands_ad;
  DROP TRIGGER IF EXISTS commands_au;
  CREATE TRIGGER commands_ad AFTER DELETE ON commands
  WHEN EXISTS (SELECT 1 FROM commands_fts_docsize WHERE id = old.id) BEGIN
    INSERT INTO commands_fts(commands_fts, rowid, command) VALUES ('delete', old.id, old.command);
  END;
  CREATE TRIGGER commands_au AFTER UPDATE OF command ON commands
  WHEN EXISTS (SELECT 1 FROM commands_fts_docsize WHERE id = old.id) BEGIN
    INSERT INTO commands_fts(commands_fts, rowid, command) VALUES ('delete', old.id, old.command);
    INSERT INTO commands_fts(rowid, command) VALUES (new.id, new.command);
  END;
  INSERT INTO commands_fts(rowid, command) SELECT c.id, c.command FROM commands c
    WHERE NOT EXISTS (SELECT 1 FROM commands_fts_docsize d WHERE d.id = c.id);
  `,
];

/** The schema version this program creates and upgrades to (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface OpenOptions {
  readonly?: boolean;
  redactor?: Redactor;
}

interface Rollup {
  program: Map<string, [number, number, number, number]>;
  cwd: Map<string, [number, number]>;
  hour: Map<number, number>;
  day: Map<string, [number, number]>;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Row = Record<string, unknown>;

function toCommand(r: Row): QuestCommand {
  return {
    id: r.id as number,
    ts: r.ts as number,
    duration: r.duration as number,
    exit: r.exit as number,
    command: r.command as string,
    cwd: r.cwd as string,
    user: r.user as string,
    host: r.host as string,
    tty: r.tty as string,
    session: r.session as string,
    shell: r.shell as string,
    redacted: (r.redacted as string | null) ?? null,
  };
}

function toEvent(r: Row): QuestEvent {
  let data: Record<string, unknown> | null = null;
  if (typeof r.data === 'string') {
    try {
      const v: unknown = JSON.parse(r.data);
      if (v && typeof v === 'object' && !Array.isArray(v)) data = v as Record<string, unknown>;
    } catch {
      data = null;
    }
  }
  const sev = SEVERITIES.includes(r.severity as Sev) ? (r.severity as Sev) : 'info';
  return {
    id: r.id as number,
    ts: r.ts as number,
    type: r.type as string,
    source: r.source as string,
    severity: sev,
    message: r.message as string,
    unit: (r.unit as string | null) ?? null,
    data,
  };
}

const ROW_PARAMS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const MULTI_ROWS = 32;
const MULTI_PARAMS = new Array<string>(MULTI_ROWS).fill(ROW_PARAMS).join(', ');

const COMMAND_COLS =
  'c.id, c.ts, c.duration, c.exit, c.command, c.cwd, c.user, c.host, c.tty, c.session, c.shell, c.redacted';

/** Opens (and creates or migrates) the Quest Log database. */
export class QuestlogStore {
  readonly db: Database.Database;
  readonly file: string;
  readonly readonly: boolean;
  private redactor: Redactor;
  private readonly hourCache = new Map<number, [number, string]>();
  /** command text → its redacted text, categories and program (see insertCommandsRaw) */
  private readonly textMemo = new Map<string, { text: string; categories: string | null; program: string }>();
  private stmts = new Map<string, Database.Statement>();
  /** Set once this connection wrote rows: only then does close() checkpoint and optimize. */
  private wrote = false;

  constructor(file: string, opts: OpenOptions = {}) {
    this.file = file;
    this.readonly = opts.readonly ?? false;
    this.redactor = opts.redactor ?? createRedactor({ enabled: true });
    if (this.readonly) {
      if (!existsSync(file))
        throw new Problem('not-found', `no Quest Log database at ${file} (nothing recorded yet)`);
      this.db = openDb(file, { readonly: true, fileMustExist: true });
    } else {
      const dir = dirname(file);
      try {
        ensureDir(dir);
      } catch (err) {
        throw new Problem(
          'access-denied',
          `cannot create the data directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        );
      }
      if (!existsSync(file)) {
        try {
          closeSync(openSync(file, 'a', 0o600));
        } catch (err) {
          throw new Problem(
            'access-denied',
            `cannot create ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
          );
        }
      }
      this.db = openDb(file, {});
    }
    this.db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
      if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
      return regexCache(pattern).test(value) ? 1 : 0;
    });
    try {
      this.db.pragma('busy_timeout = 5000');
      if (!this.readonly) this.setup();
      else this.checkVersion();
    } catch (err) {
      this.db.close();
      throw sqliteProblem(file, err);
    }
  }

  static open(file: string, opts: OpenOptions = {}): QuestlogStore {
    return new QuestlogStore(file, opts);
  }

  setRedactor(r: Redactor): void {
    this.redactor = r;
    this.textMemo.clear();
  }

  private setup(): void {
    const db = this.db;
    let version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) db.pragma('auto_vacuum = INCREMENTAL');
    try {
      db.pragma('journal_mode = WAL');
    } catch (err) {
      throw new Problem('access-denied', `cannot open ${this.file} for writing: ${(err as Error).message}`);
    }
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('temp_store = MEMORY');
    if (version > MIGRATIONS.length) {
      throw new Problem(
        'unavailable',
        `${this.file} has schema version ${version}, newer than this program (${MIGRATIONS.length}); upgrade AI-Native Linux`,
      );
    }
    while (version < MIGRATIONS.length) {
      const sql = MIGRATIONS[version] ?? '';
      const next = version + 1;
      db.transaction(() => {
        db.exec(sql);
        db.pragma(`user_version = ${next}`);
      }).immediate();
      version = next;
    }
    this.ftsCurrent();
    for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) {
      try {
        chmodSync(f, 0o600);
      } catch {
        // -wal/-shm may not exist yet
      }
    }
  }

  private checkVersion(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === 0) throw new Problem('unavailable', `${this.file} is not initialised yet`);
    if (version > MIGRATIONS.length) {
      throw new Problem('unavailable', `${this.file} has schema version ${version}, newer than this program`);
    }
  }

  /**
   * Whether the trigram index covers every command row, after indexing the rows past the last
   * indexed id if this connection may write. Such rows come from writers that do not index (a
   * daemon of an older version still running after an upgrade); ids only grow, so they are always
   * above the last indexed one. A read-only connection cannot index them: its queries then go
   * without the index (plain scans, slower but complete) until a writer has caught up. Two max()
   * lookups when nothing is missing; never throws (a busy database means: without the index).
   */
  private ftsCurrent(): boolean {
    try {
      const r = this.stmt(
        `SELECT (SELECT coalesce(max(id), 0) FROM commands) AS last,
                (SELECT coalesce(max(id), 0) FROM commands_fts_docsize) AS indexed`,
      ).get() as { last: number; indexed: number };
      if (r.last <= r.indexed) return true;
      if (this.readonly) return false;
      const catchUp = (): void => {
        this.stmt(
          'INSERT INTO commands_fts(rowid, command) SELECT id, command FROM commands WHERE id > ?',
        ).run(this.lastIndexedId());
      };
      if (this.db.inTransaction) catchUp();
      else this.tx(catchUp);
      return true;
    } catch {
      return false;
    }
  }

  /** The highest command id in the trigram index (its docsize table has one row per indexed row). */
  private lastIndexedId(): number {
    return (this.stmt('SELECT coalesce(max(id), 0) AS n FROM commands_fts_docsize').get() as { n: number }).n;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  close(): void {
    try {
      if (!this.readonly && this.db.inTransaction === false && this.wrote) {
        this.db.pragma('optimize');
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      }
    } catch {
      // closing anyway
    }
    this.db.close();
  }

  /** Passive checkpoint (idle timer); a TRUNCATE one when the WAL has grown large. */
  checkpoint(): void {
    if (this.readonly) return;
    let walSize: number;
    try {
      walSize = statSync(`${this.file}-wal`).size;
    } catch {
      return;
    }
    this.db.pragma(walSize > 64 * 1024 * 1024 ? 'wal_checkpoint(TRUNCATE)' : 'wal_checkpoint(PASSIVE)');
  }

  // ---------------------------------------------------------------- meta

  getMeta(key: string): string | null {
    const r = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string | null } | undefined;
    return r?.value ?? null;
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.stmt('DELETE FROM meta WHERE key = ?').run(key);
    else
      this.stmt(
        'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run(key, value);
  }

  // ---------------------------------------------------------------- writing

  private localHourDay(ts: number): [number, string] {
    const bucket = Math.floor(ts / 3_600_000);
    let v = this.hourCache.get(bucket);
    if (!v) {
      const d = new Date(ts);
      v = [d.getHours(), `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`];
      if (this.hourCache.size > 10_000) this.hourCache.clear();
      this.hourCache.set(bucket, v);
    }
    return v;
  }

  private newRollup(): Rollup {
    return { program: new Map(), cwd: new Map(), hour: new Map(), day: new Map() };
  }

  private addToRollup(
    r: Rollup,
    program: string,
    cwd: string,
    ts: number,
    exit: number,
    duration: number,
    sign: 1 | -1,
  ): void {
    const failed = exit > 0 ? 1 : 0;
    const p = r.program.get(program) ?? [0, 0, 0, 0];
    p[0] += sign;
    p[1] += sign * failed;
    if (duration >= 0) {
      p[2] += sign * duration;
      p[3] += sign;
    }
    r.program.set(program, p);
    const c = r.cwd.get(cwd) ?? [0, 0];
    c[0] += sign;
    c[1] += sign * failed;
    r.cwd.set(cwd, c);
    const [hour, day] = this.localHourDay(ts);
    r.hour.set(hour, (r.hour.get(hour) ?? 0) + sign);
    const d = r.day.get(day) ?? [0, 0];
    d[0] += sign;
    d[1] += sign * failed;
    r.day.set(day, d);
  }

  private applyRollup(r: Rollup): void {
    const up = this.stmt(
      `INSERT INTO stats_program(program, n, failed, dur_sum, dur_n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(program) DO UPDATE SET n = n + excluded.n, failed = failed + excluded.failed,
       dur_sum = dur_sum + excluded.dur_sum, dur_n = dur_n + excluded.dur_n`,
    );
    for (const [k, v] of r.program) up.run(k, v[0], v[1], v[2], v[3]);
    const uc = this.stmt(
      `INSERT INTO stats_cwd(cwd, n, failed) VALUES (?, ?, ?)
       ON CONFLICT(cwd) DO UPDATE SET n = n + excluded.n, failed = failed + excluded.failed`,
    );
    for (const [k, v] of r.cwd) uc.run(k, v[0], v[1]);
    const uh = this.stmt(
      'INSERT INTO stats_hour(hour, n) VALUES (?, ?) ON CONFLICT(hour) DO UPDATE SET n = n + excluded.n',
    );
    for (const [k, v] of r.hour) uh.run(k, v);
    const ud = this.stmt(
      `INSERT INTO stats_day(day, n, failed) VALUES (?, ?, ?)
       ON CONFLICT(day) DO UPDATE SET n = n + excluded.n, failed = failed + excluded.failed`,
    );
    for (const [k, v] of r.day) ud.run(k, v[0], v[1]);
    if (r.program.size && [...r.program.values()].some((v) => v[0] < 0)) {
      this.stmt('DELETE FROM stats_program WHERE n <= 0').run();
      this.stmt('DELETE FROM stats_cwd WHERE n <= 0').run();
    }
  }

  /**
   * Inserts commands (redacted first). Must run inside a transaction for batches; returns how
   * many rows were stored (imports already present are skipped) and the last id.
   */
  insertCommandsRaw(rows: NewCommand[]): { inserted: number; lastId: number | null } {
    const cols =
      'commands(ts, duration, exit, command, cwd, user, host, tty, session, shell, program, redacted)';
    const ins = this.stmt(`INSERT OR IGNORE INTO ${cols} VALUES ${ROW_PARAMS}`);
    // rows that cannot be refused (finite numbers, not an import) go MULTI_ROWS at a time: one
    // statement per MULTI_ROWS rows saves 10–20 % of the insert time on big batches
    const multi = rows.length >= MULTI_ROWS ? this.stmt(`INSERT INTO ${cols} VALUES ${MULTI_PARAMS}`) : null;
    const roll = this.newRollup();
    let inserted = 0;
    let lastId: number | null = null;
    // ids only grow, so the rows of this batch, and any an older writer left unindexed before it,
    // are exactly those above the last indexed id; they are indexed in one statement at the end
    const before = this.lastIndexedId();
    const memo = this.textMemo;
    let pending: unknown[][] = [];
    const one = (v: unknown[]): void => {
      const info = ins.run(...v.slice(0, 12));
      if (info.changes > 0) {
        inserted++;
        lastId = Number(info.lastInsertRowid);
        this.addToRollup(
          roll,
          v[10] as string,
          v[4] as string,
          v[12] as number,
          v[2] as number,
          v[1] as number,
          1,
        );
      }
    };
    const flushSingly = (): void => {
      for (const v of pending) one(v);
      pending = [];
    };
    for (const row of rows) {
      // shell histories repeat themselves (ls, git status, …): redaction and the program name are
      // worked out once per distinct text
      let m = memo.get(row.command);
      if (!m) {
        const r = this.redactor.redact(row.command);
        m = { text: r.text, categories: r.categories, program: programOf(r.text) };
        if (memo.size >= 4096) memo.clear();
        memo.set(row.command, m);
      }
      const { text, categories, program } = m;
      const exit = row.exit ?? -1;
      const duration = row.duration ?? -1;
      const session = row.session ?? '';
      // the 13th value is the unrounded time for the rollup (not bound)
      const v: unknown[] = [
        Math.round(row.ts),
        Math.round(duration),
        exit,
        text,
        row.cwd ?? '',
        row.user ?? '',
        row.host ?? '',
        row.tty ?? '',
        session,
        row.shell ?? '',
        program,
        categories,
        row.ts,
      ];
      const safe =
        multi !== null &&
        Number.isFinite(row.ts) &&
        Number.isFinite(duration) &&
        Number.isFinite(exit) &&
        !/^import:/i.test(session);
      if (!safe) {
        flushSingly();
        one(v);
        continue;
      }
      pending.push(v);
      if (pending.length === MULTI_ROWS && multi) {
        const params: unknown[] = [];
        for (const p of pending) for (let i = 0; i < 12; i++) params.push(p[i]);
        const info = multi.run(...params);
        inserted += MULTI_ROWS;
        lastId = Number(info.lastInsertRowid);
        for (const p of pending)
          this.addToRollup(
            roll,
            p[10] as string,
            p[4] as string,
            p[12] as number,
            p[2] as number,
            p[1] as number,
            1,
          );
        pending = [];
      }
    }
    flushSingly();
    if (inserted)
      this.stmt('INSERT INTO commands_fts(rowid, command) SELECT id, command FROM commands WHERE id > ?').run(
        before,
      );
    this.applyRollup(roll);
    return { inserted, lastId };
  }

  insertCommands(rows: NewCommand[]): { inserted: number; lastId: number | null } {
    return this.tx(() => this.insertCommandsRaw(rows));
  }

  /** Inserts events; returns how many were new (a journald cursor seen before is ignored). */
  insertEventsRaw(rows: NewEvent[]): { inserted: number; lastId: number | null } {
    const ins = this.stmt(
      `INSERT OR IGNORE INTO events(ts, type, source, severity, message, data, unit, cursor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let inserted = 0;
    let lastId: number | null = null;
    for (const e of rows) {
      const sev = SEVERITIES.includes(e.severity) ? e.severity : 'info';
      const msg = this.redactor.redact(String(e.message).slice(0, 65_536)).text;
      let data: string | null = null;
      if (e.data && Object.keys(e.data).length) {
        try {
          data = this.redactor.redact(JSON.stringify(e.data)).text;
        } catch {
          data = null;
        }
      }
      const info = ins.run(
        Math.round(e.ts ?? Date.now()),
        String(e.type).slice(0, 200),
        String(e.source).slice(0, 200),
        sev,
        msg,
        data,
        e.unit ?? (typeof e.data?.unit === 'string' ? e.data.unit : null),
        e.cursor ?? null,
      );
      if (info.changes > 0) {
        inserted++;
        lastId = Number(info.lastInsertRowid);
      }
    }
    return { inserted, lastId };
  }

  insertEvents(rows: NewEvent[]): { inserted: number; lastId: number | null } {
    this.wrote = true;
    if (rows.length === 1) return this.insertEventsRaw(rows);
    return this.tx(() => this.insertEventsRaw(rows));
  }

  /** Runs fn in one IMMEDIATE write transaction. */
  tx<T>(fn: () => T): T {
    this.wrote = true;
    return this.db.transaction(fn).immediate();
  }

  /** The newest stored journald cursor and its timestamp (resume point of the follower). */
  lastJournal(): { cursor: string; ts: number } | null {
    const r = this.stmt(
      'SELECT cursor, ts FROM events WHERE cursor IS NOT NULL ORDER BY id DESC LIMIT 1',
    ).get() as { cursor: string; ts: number } | undefined;
    return r ?? null;
  }

  // ---------------------------------------------------------------- spool offsets

  getOffset(file: string): { offset: number; lastHist: number | null } | null {
    const r = this.stmt('SELECT offset, last_hist FROM spool_offsets WHERE file = ?').get(file) as
      { offset: number; last_hist: number | null } | undefined;
    return r ? { offset: r.offset, lastHist: r.last_hist } : null;
  }

  setOffset(file: string, offset: number, lastHist: number | null): void {
    this.stmt(
      `INSERT INTO spool_offsets(file, offset, last_hist, updated) VALUES (?, ?, ?, ?)
       ON CONFLICT(file) DO UPDATE SET offset = excluded.offset, last_hist = excluded.last_hist, updated = excluded.updated`,
    ).run(file, offset, lastHist, Date.now());
  }

  dropOffset(file: string): void {
    this.stmt('DELETE FROM spool_offsets WHERE file = ?').run(file);
  }

  offsetFiles(): string[] {
    return (this.stmt('SELECT file FROM spool_offsets').all() as Array<{ file: string }>).map((r) => r.file);
  }

  // ---------------------------------------------------------------- reading

  /** WHERE clause and parameters for a command filter (alias c = commands). */
  /**
   * Whether the trigram index should drive a query: not when a selective filter (one directory,
   * one session, a short time range) already narrows the rows, since the planner would otherwise
   * walk every text match and test the filter on each.
   */
  private ftsPays(f: CommandFilter): boolean {
    if (!(f.query ?? '').trim()) return false;
    if (f.session !== undefined || (f.cwd !== undefined && !f.cwdTree)) return false;
    if (f.since !== undefined || f.until !== undefined) {
      const n = (
        this.stmt(
          'SELECT count(*) AS n FROM (SELECT 1 FROM commands WHERE ts >= ? AND ts < ? LIMIT 50001)',
        ).get(f.since ?? 0, f.until ?? Number.MAX_SAFE_INTEGER) as { n: number }
      ).n;
      if (n <= 50_000) return false;
    }
    return this.ftsCurrent();
  }

  private commandWhere(
    f: CommandFilter,
    useFts = true,
  ): { joins: string; where: string[]; params: unknown[]; order: string } {
    const where: string[] = [];
    const params: unknown[] = [];
    let joins = '';
    let order = 'c.id';
    const q = (f.query ?? '').trim();
    const mode = f.mode ?? 'fulltext';
    if (q) {
      if (mode === 'fulltext') {
        let indexed = false;
        for (const tok of q.split(/\s+/)) {
          if (tok.startsWith('!') && tok.length > 1) {
            where.push(`c.command NOT LIKE ? ESCAPE '\\'`);
            params.push(`%${escapeLike(tok.slice(1))}%`);
          } else if (useFts && [...tok].length >= 3) {
            // the trigram index answers a two-argument LIKE '%tok%' (not one with ESCAPE);
            // % and _ in the word make it broader, so the exact check follows
            where.push('f.command LIKE ?');
            params.push(`%${tok}%`);
            if (/[%_]/.test(tok)) {
              where.push(`c.command LIKE ? ESCAPE '\\'`);
              params.push(`%${escapeLike(tok)}%`);
            }
            indexed = true;
          } else {
            where.push(`c.command LIKE ? ESCAPE '\\'`);
            params.push(`%${escapeLike(tok)}%`);
          }
        }
        if (indexed) {
          joins = 'JOIN commands_fts f ON f.rowid = c.id';
          order = 'f.rowid';
        }
      } else if (mode === 'prefix') {
        if (useFts && [...q].length >= 3) {
          joins = 'JOIN commands_fts f ON f.rowid = c.id';
          where.push('f.command LIKE ?');
          params.push(`${q}%`);
          order = 'f.rowid';
        }
        if (!joins || /[%_]/.test(q)) {
          where.push(`c.command LIKE ? ESCAPE '\\'`);
          params.push(`${escapeLike(q)}%`);
        }
      } else if (mode === 'fuzzy') {
        const chars = [...q.replace(/\s+/g, '')];
        where.push(`c.command LIKE ? ESCAPE '\\'`);
        params.push(`%${chars.map(escapeLike).join('%')}%`);
      } else {
        try {
          regexCache(q);
        } catch (err) {
          throw new Problem('invalid-input', `invalid regular expression: ${(err as Error).message}`);
        }
        where.push('c.command REGEXP ?');
        params.push(q);
      }
    }
    if (f.since !== undefined) {
      where.push('c.ts >= ?');
      params.push(f.since);
    }
    if (f.until !== undefined) {
      where.push('c.ts < ?');
      params.push(f.until);
    }
    if (f.cwd !== undefined) {
      const cwd = f.cwd.length > 1 ? f.cwd.replace(/\/+$/, '') : f.cwd;
      if (f.cwdTree) {
        where.push(`(c.cwd = ? OR c.cwd LIKE ? ESCAPE '\\')`);
        params.push(cwd, `${escapeLike(cwd === '/' ? '' : cwd)}/%`);
      } else {
        where.push('c.cwd = ?');
        params.push(cwd);
      }
    }
    if (f.exit !== undefined) {
      where.push('c.exit = ?');
      params.push(f.exit);
    }
    if (f.failed) where.push('c.exit > 0');
    if (f.session !== undefined) {
      where.push('c.session = ?');
      params.push(f.session);
    }
    if (f.user !== undefined) {
      where.push('c.user = ?');
      params.push(f.user);
    }
    if (f.host !== undefined) {
      where.push('c.host = ?');
      params.push(f.host);
    }
    if (f.shell !== undefined) {
      if (f.shell === 'import') where.push(`c.session LIKE 'import:%'`);
      else {
        where.push('c.shell = ?');
        params.push(f.shell);
      }
    }
    return { joins, where, params, order };
  }

  private hasCriteria(f: CommandFilter): boolean {
    return Boolean(
      (f.query ?? '').trim() ||
      f.since !== undefined ||
      f.until !== undefined ||
      f.cwd !== undefined ||
      f.exit !== undefined ||
      f.failed ||
      f.session !== undefined ||
      f.user !== undefined ||
      f.host !== undefined ||
      f.shell !== undefined,
    );
  }

  totalCommands(): number {
    const r = this.stmt('SELECT coalesce(sum(n), 0) AS n FROM stats_program').get() as { n: number };
    return r.n;
  }

  totalEvents(): number {
    return (this.stmt('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }

  search(req: SearchRequest): SearchResponse {
    const t0 = performance.now();
    const limit = req.limit ?? 50;
    const offset = req.offset ?? 0;
    const { joins, where, params, order } = this.commandWhere(req, this.ftsPays(req));
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = req.order === 'oldest' ? 'ASC' : 'DESC';
    const rows = this.stmt(
      `SELECT ${COMMAND_COLS} FROM commands c ${joins} ${w} ORDER BY ${order} ${dir} LIMIT ? OFFSET ?`,
    ).all(...params, limit, offset) as Row[];
    let total: number;
    let capped = false;
    if (!this.hasCriteria(req)) {
      total = this.totalCommands();
    } else if (rows.length < limit && (rows.length > 0 || offset === 0)) {
      total = offset + rows.length;
    } else {
      const cap = Math.max(req.countLimit ?? DEFAULT_COUNT_LIMIT, offset + rows.length);
      const n = (
        this.stmt(`SELECT count(*) AS n FROM (SELECT 1 FROM commands c ${joins} ${w} LIMIT ?)`).get(
          ...params,
          cap + 1,
        ) as {
          n: number;
        }
      ).n;
      capped = n > cap;
      total = capped ? cap : n;
    }
    return { items: rows.map(toCommand), total, totalCapped: capped, tookMs: performance.now() - t0 };
  }

  /** Streams every command matching the filter, oldest first (export). */
  *iterateCommands(f: CommandFilter, order: 'newest' | 'oldest' = 'oldest'): Generator<QuestCommand> {
    const { joins, where, params, order: col } = this.commandWhere(f, this.ftsCurrent());
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const it = this.db
      .prepare(
        `SELECT ${COMMAND_COLS} FROM commands c ${joins} ${w} ORDER BY ${col} ${order === 'oldest' ? 'ASC' : 'DESC'}`,
      )
      .iterate(...params) as Iterable<Row>;
    for (const r of it) yield toCommand(r);
  }

  private eventWhere(f: EventFilter): { where: string[]; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    const q = (f.query ?? '').trim();
    if (q) {
      for (const tok of q.split(/\s+/)) {
        where.push(`(e.message LIKE ? ESCAPE '\\' OR e.unit LIKE ? ESCAPE '\\')`);
        const p = `%${escapeLike(tok)}%`;
        params.push(p, p);
      }
    }
    if (f.types?.length) {
      const parts: string[] = [];
      for (const t of f.types) {
        if (t.endsWith('*')) {
          parts.push(`e.type LIKE ? ESCAPE '\\'`);
          params.push(`${escapeLike(t.slice(0, -1))}%`);
        } else {
          parts.push('e.type = ?');
          params.push(t);
        }
      }
      where.push(`(${parts.join(' OR ')})`);
    }
    if (f.source !== undefined) {
      where.push('e.source = ?');
      params.push(f.source);
    }
    if (f.minSeverity) {
      const allowed = SEVERITIES.slice(SEVERITIES.indexOf(f.minSeverity));
      where.push(`e.severity IN (${allowed.map(() => '?').join(', ')})`);
      params.push(...allowed);
    }
    if (f.unit !== undefined) {
      where.push('e.unit = ?');
      params.push(f.unit);
    }
    if (f.since !== undefined) {
      where.push('e.ts >= ?');
      params.push(f.since);
    }
    if (f.until !== undefined) {
      where.push('e.ts < ?');
      params.push(f.until);
    }
    return { where, params };
  }

  events(req: EventsRequest): EventsResponse {
    const t0 = performance.now();
    const limit = req.limit ?? 50;
    const offset = req.offset ?? 0;
    const { where, params } = this.eventWhere(req);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = req.order === 'oldest' ? 'ASC' : 'DESC';
    const rows = this.stmt(`SELECT e.* FROM events e ${w} ORDER BY e.id ${dir} LIMIT ? OFFSET ?`).all(
      ...params,
      limit,
      offset,
    ) as Row[];
    const cap = Math.max(req.countLimit ?? DEFAULT_COUNT_LIMIT, offset + rows.length);
    const n = (
      this.stmt(`SELECT count(*) AS n FROM (SELECT 1 FROM events e ${w} LIMIT ?)`).get(
        ...params,
        cap + 1,
      ) as { n: number }
    ).n;
    return {
      items: rows.map(toEvent),
      total: Math.min(n, cap),
      totalCapped: n > cap,
      tookMs: performance.now() - t0,
    };
  }

  *iterateEvents(f: EventFilter, order: 'newest' | 'oldest' = 'oldest'): Generator<QuestEvent> {
    const { where, params } = this.eventWhere(f);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const it = this.db
      .prepare(`SELECT e.* FROM events e ${w} ORDER BY e.id ${order === 'oldest' ? 'ASC' : 'DESC'}`)
      .iterate(...params) as Iterable<Row>;
    for (const r of it) yield toEvent(r);
  }

  /** Commands and events with an id above the given ones (tail -f). */
  newerThan(
    commandId: number,
    eventId: number,
    limit = 1000,
  ): { commands: QuestCommand[]; events: QuestEvent[] } {
    const commands = (
      this.stmt(`SELECT ${COMMAND_COLS} FROM commands c WHERE c.id > ? ORDER BY c.id LIMIT ?`).all(
        commandId,
        limit,
      ) as Row[]
    ).map(toCommand);
    const events = (
      this.stmt('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(eventId, limit) as Row[]
    ).map(toEvent);
    return { commands, events };
  }

  lastIds(): { commandId: number; eventId: number } {
    const c = this.stmt('SELECT coalesce(max(id), 0) AS n FROM commands').get() as { n: number };
    const e = this.stmt('SELECT coalesce(max(id), 0) AS n FROM events').get() as { n: number };
    return { commandId: c.n, eventId: e.n };
  }

  stats(req: StatsRequest): StatsResponse {
    const t0 = performance.now();
    const top = req.top ?? 10;
    const filtered = req.since !== undefined || req.until !== undefined;
    let programs: Array<{ program: string; n: number; failed: number; dur_sum: number; dur_n: number }>;
    let cwds: Array<{ cwd: string; n: number; failed: number }>;
    let hoursRows: Array<{ hour: number; n: number }>;
    let days: Array<{ day: string; n: number; failed: number }>;
    let bounds: { first: number | null; last: number | null };
    if (!filtered) {
      programs = this.stmt('SELECT * FROM stats_program').all() as typeof programs;
      cwds = this.stmt('SELECT cwd, n, failed FROM stats_cwd ORDER BY n DESC LIMIT ?').all(
        top,
      ) as typeof cwds;
      hoursRows = this.stmt('SELECT hour, n FROM stats_hour').all() as typeof hoursRows;
      days = (
        this.stmt(
          'SELECT day, n, failed FROM stats_day WHERE n > 0 ORDER BY day DESC LIMIT 90',
        ).all() as typeof days
      ).reverse();
      bounds = this.stmt(
        'SELECT (SELECT min(ts) FROM commands) AS first, (SELECT max(ts) FROM commands) AS last',
      ).get() as typeof bounds;
    } else {
      const where: string[] = [];
      const params: number[] = [];
      if (req.since !== undefined) {
        where.push('ts >= ?');
        params.push(req.since);
      }
      if (req.until !== undefined) {
        where.push('ts < ?');
        params.push(req.until);
      }
      const w = `WHERE ${where.join(' AND ')}`;
      programs = this.stmt(
        `SELECT program, count(*) AS n, sum(exit > 0) AS failed, sum(CASE WHEN duration >= 0 THEN duration ELSE 0 END) AS dur_sum,
         sum(duration >= 0) AS dur_n FROM commands ${w} GROUP BY program`,
      ).all(...params) as typeof programs;
      cwds = this.stmt(
        `SELECT cwd, count(*) AS n, sum(exit > 0) AS failed FROM commands ${w} GROUP BY cwd ORDER BY n DESC LIMIT ?`,
      ).all(...params, top) as typeof cwds;
      hoursRows = this.stmt(
        `SELECT CAST(strftime('%H', ts / 1000, 'unixepoch', 'localtime') AS INTEGER) AS hour, count(*) AS n FROM commands ${w} GROUP BY hour`,
      ).all(...params) as typeof hoursRows;
      days = (
        this.stmt(
          `SELECT date(ts / 1000, 'unixepoch', 'localtime') AS day, count(*) AS n, sum(exit > 0) AS failed FROM commands ${w}
           GROUP BY day ORDER BY day DESC LIMIT 90`,
        ).all(...params) as typeof days
      ).reverse();
      bounds = this.stmt(`SELECT min(ts) AS first, max(ts) AS last FROM commands ${w}`).get(
        ...params,
      ) as typeof bounds;
    }
    const toStat = (p: (typeof programs)[number]) => ({
      program: p.program,
      count: p.n,
      failed: p.failed,
      failureRate: p.n ? p.failed / p.n : 0,
      avgDurationMs: p.dur_n ? p.dur_sum / p.dur_n : null,
    });
    const real = programs.filter((p) => p.program !== '' && p.n > 0);
    const topCommands = [...real]
      .sort((a, b) => b.n - a.n || a.program.localeCompare(b.program))
      .slice(0, top)
      .map(toStat);
    const failureRates = real
      .filter((p) => p.n >= 3 && p.failed > 0)
      .map(toStat)
      .sort((a, b) => b.failureRate - a.failureRate || b.count - a.count)
      .slice(0, top);
    const hours = new Array<number>(24).fill(0);
    for (const h of hoursRows) if (h.hour >= 0 && h.hour < 24) hours[h.hour] = h.n;
    const commands = programs.reduce((s, p) => s + p.n, 0);
    const failed = programs.reduce((s, p) => s + p.failed, 0);
    const ev = filtered
      ? (
          this.stmt('SELECT count(*) AS n FROM events WHERE ts >= ? AND ts < ?').get(
            req.since ?? 0,
            req.until ?? 1e15,
          ) as { n: number }
        ).n
      : (this.stmt('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return {
      totals: {
        commands,
        failed,
        programs: real.length,
        events: ev,
        firstTs: bounds.first,
        lastTs: bounds.last,
      },
      topCommands,
      failureRates,
      hours,
      directories: cwds.map((c) => ({ cwd: c.cwd, count: c.n, failed: c.failed })),
      days: days.map((d) => ({ day: d.day, count: d.n, failed: d.failed })),
      tookMs: performance.now() - t0,
    };
  }

  getCommand(id: number): QuestCommand | null {
    const r = this.stmt(`SELECT ${COMMAND_COLS} FROM commands c WHERE c.id = ?`).get(id) as Row | undefined;
    return r ? toCommand(r) : null;
  }

  detail(id: number): DetailResponse {
    const cmd = this.getCommand(id);
    if (!cmd) throw new Problem('not-found', `no command with id ${id}`);
    let previous: QuestCommand | null = null;
    let next: QuestCommand | null = null;
    if (cmd.session) {
      const p = this.stmt(
        `SELECT ${COMMAND_COLS} FROM commands c WHERE c.session = ? AND (c.ts < ? OR (c.ts = ? AND c.id < ?)) ORDER BY c.ts DESC, c.id DESC LIMIT 1`,
      ).get(cmd.session, cmd.ts, cmd.ts, cmd.id) as Row | undefined;
      const n = this.stmt(
        `SELECT ${COMMAND_COLS} FROM commands c WHERE c.session = ? AND (c.ts > ? OR (c.ts = ? AND c.id > ?)) ORDER BY c.ts ASC, c.id ASC LIMIT 1`,
      ).get(cmd.session, cmd.ts, cmd.ts, cmd.id) as Row | undefined;
      previous = p ? toCommand(p) : null;
      next = n ? toCommand(n) : null;
    }
    let agg: { runs: number; failures: number | null; avg: number | null };
    if ([...cmd.command].length >= 3 && this.ftsCurrent()) {
      agg = this.stmt(
        `SELECT count(*) AS runs, sum(c.exit > 0) AS failures, avg(CASE WHEN c.duration >= 0 THEN c.duration END) AS avg
         FROM commands_fts f JOIN commands c ON c.id = f.rowid WHERE f.command LIKE ? AND c.command = ?`,
      ).get(cmd.command, cmd.command) as typeof agg;
    } else {
      agg = this.stmt(
        `SELECT count(*) AS runs, sum(exit > 0) AS failures, avg(CASE WHEN duration >= 0 THEN duration END) AS avg FROM commands WHERE command = ?`,
      ).get(cmd.command) as typeof agg;
    }
    const end = cmd.ts + Math.max(0, cmd.duration);
    const events = (
      this.stmt('SELECT * FROM events WHERE ts >= ? AND ts <= ? ORDER BY ts LIMIT 50').all(
        cmd.ts - 60_000,
        end + 60_000,
      ) as Row[]
    ).map(toEvent);
    return {
      command: cmd,
      previous,
      next,
      runs: agg.runs,
      failures: agg.failures ?? 0,
      avgDurationMs: agg.avg,
      events,
    };
  }

  // ---------------------------------------------------------------- deleting

  private deleteIds(ids: number[]): number {
    const roll = this.newRollup();
    const get = this.stmt('SELECT ts, exit, duration, cwd, program FROM commands WHERE id = ?');
    const del = this.stmt('DELETE FROM commands WHERE id = ?');
    let n = 0;
    for (const id of ids) {
      const r = get.get(id) as
        { ts: number; exit: number; duration: number; cwd: string; program: string } | undefined;
      if (!r) continue;
      del.run(id);
      this.addToRollup(roll, r.program, r.cwd, r.ts, r.exit, r.duration, -1);
      n++;
    }
    this.applyRollup(roll);
    return n;
  }

  delete(req: DeleteRequest): { matched: number; deleted: number; preview: QuestCommand[] } {
    const hasIds = (req.ids?.length ?? 0) > 0;
    const filter = req.filter ? CommandFilterSchema.parse(req.filter) : undefined;
    if (!hasIds && !(filter && this.hasCriteria(filter))) {
      throw new Problem('invalid-input', 'refusing to delete without ids or a filter criterion');
    }
    let ids: number[] = [];
    if (hasIds) ids = [...new Set(req.ids)];
    if (filter && this.hasCriteria(filter)) {
      const { joins, where, params } = this.commandWhere(filter, this.ftsCurrent());
      const found = (
        this.db
          .prepare(`SELECT c.id FROM commands c ${joins} WHERE ${where.join(' AND ')}`)
          .all(...params) as Array<{ id: number }>
      ).map((r) => r.id);
      ids = hasIds ? ids.filter((id) => found.includes(id)) : found;
    }
    const existing = ids.filter((id) => this.getCommand(id));
    const preview = existing
      .slice(0, 20)
      .map((id) => this.getCommand(id))
      .filter((c): c is QuestCommand => c !== null);
    if (req.dryRun) return { matched: existing.length, deleted: 0, preview };
    let deleted = 0;
    for (let i = 0; i < existing.length; i += 5000) {
      const chunk = existing.slice(i, i + 5000);
      deleted += this.tx(() => this.deleteIds(chunk));
    }
    return { matched: existing.length, deleted, preview };
  }

  /** Deletes commands and events older than `days` days; frees pages. Returns the counts removed. */
  applyRetention(days: number, now = Date.now()): { commands: number; events: number } {
    if (days <= 0) return { commands: 0, events: 0 };
    const cutoff = now - days * 86_400_000;
    let commands = 0;
    for (;;) {
      const ids = (
        this.stmt('SELECT id FROM commands WHERE ts < ? ORDER BY ts LIMIT 5000').all(cutoff) as Array<{
          id: number;
        }>
      ).map((r) => r.id);
      if (!ids.length) break;
      commands += this.tx(() => this.deleteIds(ids));
    }
    this.wrote = true;
    const events = this.stmt('DELETE FROM events WHERE ts < ?').run(cutoff).changes;
    if (commands + events > 0) this.db.pragma('incremental_vacuum');
    return { commands, events };
  }

  /** Rebuilds the statistics rollups from the rows (after a manual edit of the database). */
  rebuildRollups(): void {
    this.tx(() => {
      this.db.exec(
        'DELETE FROM stats_program; DELETE FROM stats_cwd; DELETE FROM stats_hour; DELETE FROM stats_day;',
      );
      const roll = this.newRollup();
      for (const r of this.db
        .prepare('SELECT ts, exit, duration, cwd, program FROM commands')
        .iterate() as Iterable<{
        ts: number;
        exit: number;
        duration: number;
        cwd: string;
        program: string;
      }>) {
        this.addToRollup(roll, r.program, r.cwd, r.ts, r.exit, r.duration, 1);
      }
      this.applyRollup(roll);
    });
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  sizeBytes(): number {
    let n = 0;
    for (const f of [this.file, `${this.file}-wal`]) {
      try {
        n += statSync(f).size;
      } catch {
        // absent
      }
    }
    return n;
  }
}

/**
 * mkdir -p with mode 0700 for the directories it creates. Walks the path itself: Node's recursive
 * mkdir loops forever on file systems that answer ENOENT for a parent (procfs, some FUSE mounts).
 */
export function ensureDir(dir: string): void {
  const parts = dir.split('/').filter(Boolean);
  let cur = '';
  for (const part of parts) {
    cur += `/${part}`;
    if (existsSync(cur)) continue;
    mkdirSync(cur, { mode: 0o700 });
  }
  if (!statSync(dir).isDirectory()) {
    const e = new Error(`${dir} is not a directory`) as NodeJS.ErrnoException;
    e.code = 'ENOTDIR';
    throw e;
  }
}

function sqliteProblem(file: string, err: unknown): Error {
  if (err instanceof Problem) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (
    code === 'SQLITE_CANTOPEN' ||
    code === 'EACCES' ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_PERM'
  ) {
    return new Problem('access-denied', `cannot open ${file}: ${e.message}`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new Problem(
      'unavailable',
      `${file} is not a valid Quest Log database (${e.message}); move it aside to start a new one`,
    );
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY')) {
    return new Problem('unavailable', `${file} is locked by another process (${e.message})`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function openDb(file: string, opts: Database.Options): Database.Database {
  try {
    return new Database(file, opts);
  } catch (err) {
    throw sqliteProblem(file, err);
  }
}

const regexes = new Map<string, RegExp>();
function regexCache(pattern: string): RegExp {
  let re = regexes.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    if (regexes.size > 100) regexes.clear();
    regexes.set(pattern, re);
  }
  return re;
}

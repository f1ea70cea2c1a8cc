/**
 * Follows the systemd journal (`journalctl --follow --output=json`) and turns the entries that
 * matter into Quest Log events: unit failures, OOM kills, logins, coredumps, kernel errors, and
 * other warnings. The journal cursor is stored with each event (unique), and the follower resumes
 * after the newest stored cursor, so a restart neither loses nor duplicates entries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { NewEvent } from './store';

const MSG = {
  unitFailed: 'd9b373ed55a64feb8242e02dbe79a49c',
  jobFailed: 'be02cf6855d2428ba40df7e9d022f03d',
  spawnFailed: '641257651c1b4ec9a8624d7a40a9e1e7',
  unitOom: 'fe6faa94e7774663a0da52717891d8ef',
  oomdKill: 'd989611b15e44c9dbf31e3c81256e4ed',
  coredump: 'fc2e22bc6ee647b6b90729ab34a250b1',
  sessionStart: '8d45620c1a4348dbb17410da57c60c66',
  sessionStop: '3354939424b4456d9802ca8333ed424a',
  unitSuccess: '7ad2d189f7e94e70a38c781354912448',
};

/** journalctl match arguments: warnings and worse, plus the message ids we classify. */
export const JOURNAL_MATCHES = [
  ...['0', '1', '2', '3', '4'].map((p) => `PRIORITY=${p}`),
  '+',
  ...[
    MSG.unitFailed,
    MSG.jobFailed,
    MSG.spawnFailed,
    MSG.unitOom,
    MSG.oomdKill,
    MSG.coredump,
    MSG.sessionStart,
    MSG.sessionStop,
  ].map((id) => `MESSAGE_ID=${id}`),
];

/** journald JSON values: string | byte array (binary) | null (too large) | array (multi-value). */
export function fieldText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number')) return Buffer.from(v as number[]).toString('utf8');
    return v.map((x) => fieldText(x) ?? '').join('\n');
  }
  return String(v);
}

const SEV: NewEvent['severity'][] = [
  'critical',
  'critical',
  'critical',
  'error',
  'warning',
  'info',
  'info',
  'debug',
];

/** SYSLOG_IDENTIFIER of the fleet forwarder's journal records (fleet.journal identifier default). */
export const OWN_IDENTIFIER = 'ainl';

/** Classifies one journal entry; null for entries that are not worth recording or that we wrote ourselves. */
export function classifyEntry(e: Record<string, unknown>): NewEvent | null {
  const cursor = fieldText(e.__CURSOR);
  const message = fieldText(e.MESSAGE) ?? '';
  const id = fieldText(e.MESSAGE_ID) ?? '';
  if (id === MSG.unitSuccess) return null;
  // records our own fleet forwarder wrote to the journal (fleet/logs.ts): those events are in the
  // Quest Log already; the forwarder always sets AINL_KIND, and its default identifier is `ainl`
  if (e.AINL_KIND !== undefined || fieldText(e.SYSLOG_IDENTIFIER) === OWN_IDENTIFIER) return null;
  const prio = Math.min(7, Math.max(0, Number(fieldText(e.PRIORITY) ?? 6) || 0));
  const unit =
    fieldText(e.UNIT) ??
    fieldText(e.USER_UNIT) ??
    fieldText(e._SYSTEMD_UNIT) ??
    fieldText(e._SYSTEMD_USER_UNIT);
  const ident = fieldText(e.SYSLOG_IDENTIFIER) ?? fieldText(e._COMM);
  const transport = fieldText(e._TRANSPORT);
  const tsUs = Number(fieldText(e.__REALTIME_TIMESTAMP));
  let type: string;
  let severity = SEV[prio] ?? 'info';
  if (id === MSG.unitFailed || id === MSG.jobFailed || id === MSG.spawnFailed) {
    type = 'unit.failed';
    severity = 'error';
  } else if (
    id === MSG.unitOom ||
    id === MSG.oomdKill ||
    /\b(Out of memory: Kill|oom-kill:|invoked oom-killer)/.test(message)
  ) {
    type = 'oom.kill';
    severity = 'error';
  } else if (id === MSG.coredump) {
    type = 'coredump';
    severity = 'error';
  } else if (id === MSG.sessionStart) {
    type = 'login';
    severity = 'info';
  } else if (id === MSG.sessionStop) {
    type = 'logout';
    severity = 'info';
  } else if (transport === 'kernel') {
    type = prio <= 3 ? 'kernel.error' : 'kernel.warning';
  } else {
    type = prio <= 3 ? 'journal.error' : 'journal.warning';
  }
  const data: Record<string, unknown> = { priority: prio };
  if (ident) data.identifier = ident;
  if (id) data.messageId = id;
  const pid = fieldText(e._PID);
  if (pid) data.pid = Number(pid);
  const uid = fieldText(e._UID);
  if (uid) data.uid = Number(uid);
  const user = fieldText(e.USER_ID);
  if (user) data.user = user;
  return {
    ts: Number.isFinite(tsUs) && tsUs > 0 ? Math.floor(tsUs / 1000) : Date.now(),
    type,
    source: 'journald',
    severity,
    message: message || `${ident ?? 'journal'}: (no message)`,
    unit: unit ?? null,
    data,
    cursor,
  };
}

export type JournalState = 'disabled' | 'starting' | 'running' | 'restarting' | 'failed';

export interface JournalFollowerOptions {
  binary: string;
  /** Extra arguments (tests: --directory=DIR). */
  extraArgs?: string[];
  lastCursor: () => string | null;
  lastTs: () => number | null;
  onEvents: (events: NewEvent[]) => void;
  onState: (state: JournalState, message: string | null) => void;
  log: (msg: string) => void;
}

/** Supervises one journalctl child: batches its lines, restarts it with backoff. */
export class JournalFollower {
  private child: ChildProcess | null = null;
  private stopped = false;
  private backoff = 1000;
  private timer: NodeJS.Timeout | null = null;
  private pending: NewEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private badCursor = false;
  state: JournalState = 'starting';
  message: string | null = null;

  constructor(private readonly opts: JournalFollowerOptions) {}

  private set(state: JournalState, message: string | null): void {
    this.state = state;
    this.message = message;
    this.opts.onState(state, message);
  }

  start(): void {
    if (this.stopped) return;
    const cursor = this.badCursor ? null : this.opts.lastCursor();
    const lastTs = this.opts.lastTs();
    const resume = cursor
      ? [`--after-cursor=${cursor}`]
      : lastTs
        ? [`--since=@${Math.floor(lastTs / 1000)}`]
        : ['--lines=0'];
    const args = [
      '--follow',
      '--output=json',
      '--no-pager',
      '--all',
      ...resume,
      ...(this.opts.extraArgs ?? []),
      ...JOURNAL_MATCHES,
    ];
    let child: ChildProcess;
    try {
      child = spawn(this.opts.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      this.fail(`cannot run ${this.opts.binary}: ${(err as Error).message}`);
      return;
    }
    this.child = child;
    let stderr = '';
    let sawLine = false;
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2000);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      this.child = null;
      if (err.code === 'ENOENT')
        this.fail(`${this.opts.binary} not found: system events from journald are not recorded`);
      else this.fail(`${this.opts.binary}: ${err.message}`);
    });
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (!line) return;
      if (!sawLine) {
        sawLine = true;
        this.backoff = 1000;
        if (this.state !== 'running') this.set('running', null);
      }
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (!entry || typeof entry !== 'object') return;
      const ev = classifyEntry(entry as Record<string, unknown>);
      if (ev) this.queue(ev);
    });
    child.on('spawn', () => {
      if (this.state !== 'running') this.set('running', null);
    });
    child.on('exit', (code, signal) => {
      this.child = null;
      this.flush();
      if (this.stopped) return;
      const why = stderr.trim().split('\n').pop() ?? '';
      if (cursor && /cursor/i.test(why)) this.badCursor = true; // fall back to --since
      const msg = `journalctl exited (${signal ?? code})${why ? `: ${why}` : ''}`;
      this.opts.log(msg);
      if (this.state === 'failed') return;
      this.set('restarting', msg);
      this.timer = setTimeout(() => this.start(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, 60_000);
    });
  }

  private fail(message: string): void {
    this.opts.log(message);
    this.set('failed', message);
  }

  private queue(ev: NewEvent): void {
    this.pending.push(ev);
    if (this.pending.length >= 500) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), 100);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.opts.onEvents(batch);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.child?.kill('SIGTERM');
    this.child = null;
    this.flush();
  }
}

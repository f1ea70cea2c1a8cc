/**
 * Pulls new Quest Log rows (events; commands when opted in) past a persisted cursor and queues
 * them for the log transport. Rows are queued before the cursor moves, so a crash in between
 * forwards them again (at-least-once), never loses them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../core/module';
import type { FleetLogsConfig } from '../../shared/config/fleet';
import type { QuestCommand, QuestEvent } from '../../shared/contract/questlog';
import type { DiskQueue } from './queue';
import { atLeast, fromCommand, fromEvent, type LogRecord } from './logs';

interface Cursor {
  event: number;
  command: number;
}

type Call = ServiceContext['call'];

export class QuestlogForwarder {
  private cursor: Cursor | null = null;
  private readonly file: string;
  private running: Promise<void> | null = null;
  private again = false;
  lastError: string | null = null;
  /** journald, or /dev/log (which journald reads on systemd machines) */
  private readonly feedsJournal: boolean;

  constructor(
    private readonly call: Call,
    private readonly queue: DiskQueue<LogRecord>,
    private readonly cfg: FleetLogsConfig,
    dir: string,
    private readonly onQueued: () => void,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, 'cursor.json');
    this.feedsJournal = cfg.target === 'journald' || cfg.syslog.transport === 'unix';
    try {
      const c = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Cursor>;
      if (Number.isSafeInteger(c.event) && Number.isSafeInteger(c.command))
        this.cursor = { event: c.event!, command: c.command! };
    } catch {
      /* first start: begin at the newest rows (no backlog flood) */
    }
  }

  /** Runs a pull now, or once more after the running one. */
  pull(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pullOnce();
        } while (this.again);
        this.lastError = null;
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pullOnce(): Promise<void> {
    if (!this.cursor) {
      const e = await this.call('questlog:events', { limit: 1, order: 'newest' });
      const c = await this.call('questlog:search', { limit: 1, order: 'newest' });
      this.cursor = { event: e.items[0]?.id ?? 0, command: c.items[0]?.id ?? 0 };
      this.save();
      return;
    }
    const cap = this.cfg.queue.maxItems;
    const events = await this.newer<QuestEvent>(
      (limit, offset) => this.call('questlog:events', { limit, offset, order: 'newest' }),
      this.cursor.event,
      cap,
    );
    const commands = this.cfg.includeCommands
      ? await this.newer<QuestCommand>(
          (limit, offset) => this.call('questlog:search', { limit, offset, order: 'newest' }),
          this.cursor.command,
          cap,
        )
      : [];
    if (!events.length && !commands.length) return;
    const records: LogRecord[] = [];
    for (const e of events) {
      if (!atLeast(e.severity, this.cfg.minSeverity)) continue;
      // events the Quest Log read from the journal are there already; sending them back would
      // loop (the follower would read our copy as a new event)
      if (this.feedsJournal && e.source === 'journald') continue;
      records.push(fromEvent(e));
    }
    for (const c of commands) records.push(fromCommand(c));
    records.sort((a, b) => a.ts - b.ts || a.id - b.id);
    if (records.length) this.queue.push(records);
    const last = (rows: Array<{ id: number }>, prev: number): number =>
      rows.reduce((m, r) => Math.max(m, r.id), prev);
    this.cursor = {
      event: last(events, this.cursor.event),
      command: this.cfg.includeCommands ? last(commands, this.cursor.command) : this.cursor.command,
    };
    this.save();
    if (records.length) this.onQueued();
  }

  /** Rows with an id above `after`, oldest first, at most `cap` (the newest ones win). */
  private async newer<T extends { id: number }>(
    page: (limit: number, offset: number) => Promise<{ items: T[] }>,
    after: number,
    cap: number,
  ): Promise<T[]> {
    const seen = new Map<number, T>();
    let offset = 0;
    let limit = 100;
    for (;;) {
      const { items } = await page(limit, offset);
      let done = items.length < limit;
      for (const r of items) {
        if (r.id <= after) {
          done = true;
          break;
        }
        seen.set(r.id, r);
      }
      if (done || seen.size >= cap) break;
      offset += items.length;
      limit = 1000;
    }
    return [...seen.values()].sort((a, b) => a.id - b.id).slice(-cap);
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.cursor), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

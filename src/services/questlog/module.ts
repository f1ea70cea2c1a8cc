/**
 * The Quest Log service: ingests shell spools (fs.watch + a timer), follows journald, applies
 * retention, serves the questlog:* channels and provides the `events` recorder other services
 * write through. Runs in the background host (utility process), in `ainl daemon`, and in tests.
 */
import { existsSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { Problem } from '../../shared/problems';
import type { EventRecorder, ServiceFactory, ServiceModule } from '../core/module';
import { JournalFollower, type JournalState } from './journal';
import { acquireDaemonLock, LockHeld, type DaemonLock } from './lock';
import { createRedactor } from './redact';
import { ingestSpools, listSpools, type IngestResult } from './spool';
import { DB_FILE, ensureDir, QuestlogStore, type NewEvent } from './store';

export interface QuestlogPaths {
  dataDir: string;
  db: string;
  spoolDir: string;
  incognitoFlag: string;
  lockFile: string;
}

export function questlogPaths(dataDir: string): QuestlogPaths {
  return {
    dataDir,
    db: join(dataDir, DB_FILE),
    spoolDir: join(dataDir, 'spool'),
    incognitoFlag: join(dataDir, 'incognito'),
    lockFile: join(dataDir, 'questlog.lock'),
  };
}

export function isIncognito(p: QuestlogPaths): boolean {
  return existsSync(p.incognitoFlag);
}

export function setIncognito(p: QuestlogPaths, on: boolean): void {
  if (on) writeFileSync(p.incognitoFlag, `${new Date().toISOString()}\n`, { mode: 0o600 });
  else rmSync(p.incognitoFlag, { force: true });
}

export interface QuestlogModule extends ServiceModule {
  store: QuestlogStore;
  recorder: EventRecorder;
  /** Ingest pending spools now (tests, CLI). */
  ingestNow(): IngestResult | null;
  /** Options for tests: extra journalctl arguments. */
}

export interface QuestlogModuleOptions {
  journalArgs?: string[];
}

export function createQuestlogModuleWith(opts: QuestlogModuleOptions = {}): ServiceFactory {
  return (ctx) => {
    const cfg = ctx.config.questlog;
    const log = ctx.log;
    const paths = questlogPaths(ctx.paths.dataDir);
    const problems: string[] = [];
    const redactor = createRedactor({
      enabled: cfg.redact,
      extraPatterns: cfg.redactPatterns,
      onProblem: (m) => {
        problems.push(m);
        log.warn(m);
      },
    });
    try {
      ensureDir(paths.spoolDir);
    } catch (err) {
      throw new Problem('access-denied', `cannot create ${paths.spoolDir}: ${(err as Error).message}`);
    }
    const store = QuestlogStore.open(paths.db, { redactor });
    if (cfg.incognito) setIncognito(paths, true);

    let lock: DaemonLock | null = null;
    try {
      lock = acquireDaemonLock(paths.lockFile);
    } catch (err) {
      const msg =
        err instanceof LockHeld ? err.message : `cannot take the daemon lock: ${(err as Error).message}`;
      problems.push(msg);
      log.warn(msg);
    }

    // ---- appended notifications (coalesced)
    let pendingCommands = 0;
    let pendingEvents = 0;
    let lastCommandId: number | null = null;
    let lastEventId: number | null = null;
    let notifyTimer: NodeJS.Timeout | null = null;
    const notify = (): void => {
      if (notifyTimer) return;
      notifyTimer = setTimeout(() => {
        notifyTimer = null;
        if (!pendingCommands && !pendingEvents) return;
        ctx.emit('questlog:appended', {
          commands: pendingCommands,
          events: pendingEvents,
          lastCommandId,
          lastEventId,
        });
        pendingCommands = 0;
        pendingEvents = 0;
      }, 100);
    };

    const storeEvents = (events: NewEvent[]): void => {
      try {
        const r = store.insertEvents(events);
        if (r.inserted) {
          pendingEvents += r.inserted;
          lastEventId = r.lastId;
          notify();
        }
      } catch (err) {
        log.error(`cannot store ${events.length} event(s): ${(err as Error).message}`);
      }
    };

    const recorder: EventRecorder = {
      record: (event) => storeEvents([event]),
    };

    // ---- spool ingestion (only the lock holder)
    let ingesting = false;
    const ingestNow = (): IngestResult | null => {
      if (!lock || ingesting) return null;
      ingesting = true;
      try {
        const r = ingestSpools(store, paths.spoolDir, { incognito: isIncognito(paths) });
        for (const p of r.problems) log.warn(p);
        if (r.commands) {
          pendingCommands += r.commands;
          lastCommandId = r.lastId;
          notify();
        }
        return r;
      } catch (err) {
        log.error(`ingest failed: ${(err as Error).message}`);
        return null;
      } finally {
        ingesting = false;
      }
    };

    const timers: NodeJS.Timeout[] = [];
    let watcher: FSWatcher | null = null;
    let follower: JournalFollower | null = null;
    let journalState: JournalState = cfg.journald ? 'starting' : 'disabled';
    let journalMessage: string | null = null;
    if (lock) {
      ingestNow();
      let debounce: NodeJS.Timeout | null = null;
      try {
        watcher = watch(paths.spoolDir, () => {
          if (debounce) return;
          debounce = setTimeout(() => {
            debounce = null;
            ingestNow();
          }, 50);
        });
        watcher.on('error', (err) => log.warn(`spool watch failed (polling continues): ${err.message}`));
      } catch (err) {
        log.warn(`cannot watch ${paths.spoolDir} (polling only): ${(err as Error).message}`);
      }
      timers.push(setInterval(ingestNow, cfg.ingestIntervalMs));
      const retention = (): void => {
        try {
          const r = store.applyRetention(cfg.retentionDays);
          if (r.commands || r.events)
            log.info(`retention: removed ${r.commands} commands, ${r.events} events`);
        } catch (err) {
          log.warn(`retention failed: ${(err as Error).message}`);
        }
      };
      retention();
      timers.push(setInterval(retention, 3_600_000));
      timers.push(
        setInterval(() => {
          try {
            store.checkpoint();
          } catch (err) {
            log.debug(`checkpoint: ${(err as Error).message}`);
          }
        }, 30_000),
      );
      if (cfg.journald) {
        follower = new JournalFollower({
          binary: cfg.journalctl,
          extraArgs: opts.journalArgs,
          lastCursor: () => store.lastJournal()?.cursor ?? null,
          lastTs: () => store.lastJournal()?.ts ?? null,
          onEvents: storeEvents,
          onState: (s, m) => {
            journalState = s;
            journalMessage = m;
            if (s === 'failed' && m) problems.push(m);
          },
          log: (m) => log.warn(m),
        });
        follower.start();
      }
    } else {
      journalState = cfg.journald ? 'failed' : 'disabled';
      journalMessage = problems[problems.length - 1] ?? null;
    }
    for (const t of timers) t.unref();

    const mod: QuestlogModule = {
      name: 'questlog',
      store,
      recorder,
      ingestNow,
      handlers: {
        'questlog:search': (req) => store.search(req),
        'questlog:events': (req) => store.events(req),
        'questlog:stats': (req) => store.stats(req),
        'questlog:detail': (req) => store.detail(req.id),
        'questlog:delete': (req) => store.delete(req),
        'questlog:incognito': (req) => {
          if (req.enabled !== undefined) {
            setIncognito(paths, req.enabled);
            recorder.record({
              type: req.enabled ? 'questlog.incognito.on' : 'questlog.incognito.off',
              source: 'questlog',
              severity: 'info',
              message: req.enabled ? 'Recording paused (incognito)' : 'Recording resumed',
            });
          }
          return { enabled: isIncognito(paths) };
        },
        'questlog:status': () => ({
          database: paths.db,
          spoolDir: paths.spoolDir,
          sizeBytes: store.sizeBytes(),
          commands: store.totalCommands(),
          events: store.totalEvents(),
          incognito: isIncognito(paths),
          journald: { state: journalState, message: journalMessage },
          pendingSpools: listSpools(paths.spoolDir).length,
          problems: [...problems],
        }),
      },
      dispose: () => {
        for (const t of timers) clearInterval(t);
        watcher?.close();
        follower?.stop();
        ingestNow();
        if (notifyTimer) clearTimeout(notifyTimer);
        store.close();
        lock?.release();
      },
    };
    return mod;
  };
}

export const createQuestlogModule: ServiceFactory = createQuestlogModuleWith();

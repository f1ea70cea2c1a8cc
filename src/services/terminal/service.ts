import { join } from 'node:path';
import { spawn } from 'node-pty';
import type { z } from 'zod';
import { TERMINAL_LIMITS, type TerminalInfo, type terminalChannels } from '../../shared/contract/terminal';
import { Problem } from '../../shared/problems';
import type { Emit, HandlerMap } from '../core/dispatcher';
import type { Logger } from '../core/logger';
import type { BatcherOptions } from './batcher';
import { TerminalSession } from './session';
import { buildShellEnv, findHookDir, prepareLaunch, removeRcDir, resolveCwd, resolveShell } from './shell';

type CreateRequest = z.output<(typeof terminalChannels)['terminal:create']['request']>;

export interface TerminalServiceOptions {
  emit: Emit;
  /** generated rc files go to `<runtimeDir>/terminal/<id>` */
  runtimeDir: string;
  log?: Logger;
  /** environment the shells inherit (minus secrets); default process.env */
  env?: NodeJS.ProcessEnv;
  /** where questlog.bash / questlog.zsh are; default: found relative to the app root */
  hookDir?: string | null;
  highWatermark?: number;
  lowWatermark?: number;
  maxSessions?: number;
  batch?: BatcherOptions;
  /**
   * A session whose output has waited for an ack this long has no screen left (its window was
   * closed without terminal:close): it is ended. Default 10 minutes.
   */
  orphanAfterMs?: number;
}

/** All terminal sessions of one pty host, and the handlers of the `terminal:*` channels. */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private counter = 0;
  private readonly hookDir: string | null;
  private readonly env: NodeJS.ProcessEnv;
  private disposed = false;

  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly o: TerminalServiceOptions) {
    this.env = o.env ?? process.env;
    this.hookDir = o.hookDir !== undefined ? o.hookDir : findHookDir(this.env);
    const orphanMs = o.orphanAfterMs ?? 10 * 60_000;
    this.reaper = setInterval(() => this.reapOrphans(orphanMs), Math.min(60_000, Math.max(50, orphanMs / 4)));
    this.reaper.unref?.();
  }

  private reapOrphans(orphanMs: number): void {
    const now = Date.now();
    for (const s of this.sessions.values()) {
      if (s.paused && s.pausedSince && now - s.pausedSince > orphanMs) {
        this.o.log?.warn(
          `terminal ${s.id}: no acknowledgement for ${Math.round((now - s.pausedSince) / 1000)} s; ending it`,
        );
        s.kill();
      }
    }
  }

  get questlogHookDir(): string | null {
    return this.hookDir;
  }

  private newId(): string {
    this.counter++;
    return `t${this.counter}-${Math.random().toString(36).slice(2, 8)}`;
  }

  get(id: string): TerminalSession {
    const s = this.sessions.get(id);
    if (!s) throw new Problem('not-found', `no terminal session "${id}" (it may have exited)`);
    return s;
  }

  create(req: CreateRequest): { id: string; shell: string; pid: number; cwd: string; questlogHook: boolean } {
    if (this.disposed) throw new Problem('unavailable', 'the terminal service is shutting down');
    const max = this.o.maxSessions ?? TERMINAL_LIMITS.maxSessions;
    if (this.sessions.size >= max)
      throw new Problem('unavailable', `too many terminal sessions (at most ${max}); close one first`);
    const shell = resolveShell(req.shell, this.env);
    const cwd = resolveCwd(req.cwd, this.env);
    const id = this.newId();
    const launch = prepareLaunch(
      shell,
      buildShellEnv(this.env, id),
      join(this.o.runtimeDir, 'terminal'),
      id,
      this.hookDir,
    );
    let pty;
    try {
      pty = spawn(launch.file, launch.args, {
        name: 'xterm-256color',
        cols: req.cols,
        rows: req.rows,
        cwd,
        env: launch.env,
        encoding: null,
      });
    } catch (err) {
      removeRcDir(launch.rcDir);
      throw new Problem('internal-error', `cannot start ${shell}: ${(err as Error).message}`);
    }
    const session = new TerminalSession(
      { id, shell, startCwd: cwd, questlogHook: launch.hook !== null },
      pty,
      {
        data: (data, seq) => this.o.emit('terminal:data', { id, data, seq }),
        exit: (exitCode, signal) => this.o.emit('terminal:exit', { id, exitCode, signal }),
      },
      {
        enabled: req.flowControl ?? true,
        highWatermark: this.o.highWatermark ?? TERMINAL_LIMITS.highWatermarkChars,
        lowWatermark: this.o.lowWatermark ?? TERMINAL_LIMITS.lowWatermarkChars,
      },
      this.o.batch,
      () => {
        this.sessions.delete(id);
        removeRcDir(launch.rcDir);
        this.o.log?.info(`terminal ${id} ended`);
      },
    );
    this.sessions.set(id, session);
    this.o.log?.info(
      `terminal ${id}: ${shell} pid ${pty.pid} in ${cwd}${launch.hook ? ' with the Quest Log hook' : ''}`,
    );
    return { id, shell, pid: pty.pid, cwd, questlogHook: launch.hook !== null };
  }

  list(): TerminalInfo[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      shell: s.info.shell,
      pid: s.pid,
      cols: s.cols,
      rows: s.rows,
      cwd: s.cwd(),
      process: s.foregroundProcess(),
      questlogHook: s.info.questlogHook,
      paused: s.paused,
      unackedChars: s.unackedChars,
      createdAt: s.createdAt,
    }));
  }

  handlers(): HandlerMap {
    return {
      'terminal:create': (req) => this.create(req),
      'terminal:write': (req) => {
        this.get(req.id).write(req.data);
        return {};
      },
      'terminal:resize': (req) => {
        this.get(req.id).resize(req.cols, req.rows);
        return {};
      },
      'terminal:close': (req) => {
        this.get(req.id).kill();
        return {};
      },
      'terminal:ack': (req) => {
        this.get(req.id).ack(req.chars);
        return {};
      },
      'terminal:list': () => ({ sessions: this.list() }),
    };
  }

  /** Ends every session: SIGHUP, then SIGKILL for those still there after `graceMs`. */
  async dispose(graceMs = 1_000): Promise<void> {
    this.disposed = true;
    clearInterval(this.reaper);
    const all = [...this.sessions.values()];
    if (all.length === 0) return;
    for (const s of all) s.kill(graceMs);
    const deadline = Date.now() + graceMs + 500;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  }
}

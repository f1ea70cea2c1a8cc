import type { FromHost, ToHost } from '../../shared/hostProtocol';
import type { HostState, HostStatus } from '../../shared/contract/system';
import { Problem, type ProblemShape } from '../../shared/problems';

/** A started child process, whatever started it (Electron utilityProcess or Node fork). */
export interface ChildHandle {
  readonly pid: number | null;
  post(msg: ToHost): void;
  onMessage(cb: (msg: FromHost) => void): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type Launcher = () => ChildHandle;

export interface SupervisorOptions {
  name: string;
  launch: Launcher;
  /** ping interval; a host that misses `heartbeatMisses` pings in a row is restarted */
  heartbeatMs?: number;
  heartbeatMisses?: number;
  /** restart delays: backoffMs * 2^n, capped */
  backoffMs?: number;
  backoffCapMs?: number;
  /** more than this many restarts within `restartWindowMs` → gave-up */
  maxRestarts?: number;
  restartWindowMs?: number;
  callTimeoutMs?: number;
  readyTimeoutMs?: number;
  onEvent?: (name: string, payload: unknown) => void;
  onState?: (status: HostStatus) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Problem) => void;
  timer: NodeJS.Timeout;
}

/**
 * Supervises one host process: starts it lazily on the first call, checks it with a heartbeat,
 * restarts it with exponential backoff when it dies or hangs, and stops trying after too many
 * restarts in a window ("gave-up", visible in app:status) until someone calls `reset()`.
 */
export class Supervisor {
  private child: ChildHandle | null = null;
  private state: HostState = 'idle';
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private pingN = 0;
  private lastPong = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartTimes: number[] = [];
  private restarts = 0;
  private lastError: string | null = null;
  private stopped = false;
  private readonly o: Required<Omit<SupervisorOptions, 'onEvent' | 'onState'>> &
    Pick<SupervisorOptions, 'onEvent' | 'onState'>;

  constructor(opts: SupervisorOptions) {
    this.o = {
      heartbeatMs: 5_000,
      heartbeatMisses: 3,
      backoffMs: 500,
      backoffCapMs: 30_000,
      maxRestarts: 5,
      restartWindowMs: 5 * 60_000,
      callTimeoutMs: 30_000,
      readyTimeoutMs: 20_000,
      ...opts,
    };
  }

  status(): HostStatus {
    return {
      name: this.o.name,
      state: this.state,
      pid: this.child?.pid ?? null,
      restarts: this.restarts,
      lastError: this.lastError,
    };
  }

  /** Starts the host if it is not running (lazy start); resolves when it said `ready`. */
  start(): Promise<void> {
    if (this.state === 'gave-up') {
      return Promise.reject(
        new Problem('unavailable', `${this.o.name} host gave up: ${this.lastError ?? 'crashed'}`),
      );
    }
    if (this.stopped) return Promise.reject(new Problem('unavailable', `${this.o.name} host is stopped`));
    if (!this.ready) this.ready = this.spawn();
    return this.ready;
  }

  async invoke(channel: string, payload: unknown): Promise<unknown> {
    await this.start();
    const child = this.child;
    if (!child) throw new Problem('unavailable', `${this.o.name} host is not running`);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Problem('timeout', `${channel} took longer than ${this.o.callTimeoutMs} ms`));
      }, this.o.callTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.post({ t: 'invoke', id, channel, payload });
    });
  }

  /** Clears a gave-up state and starts again. */
  reset(): Promise<void> {
    this.restartTimes = [];
    this.lastError = null;
    if (this.state === 'gave-up') this.setState('idle');
    this.stopped = false;
    return this.start();
  }

  /** Stops the host (if running) and starts it again, e.g. to apply a new configuration. */
  async restart(): Promise<void> {
    const wasStarted = this.child !== null || this.ready !== null;
    await this.stop();
    this.stopped = false;
    this.setState('idle');
    if (wasStarted) await this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.stopHeartbeat();
    const child = this.child;
    this.child = null;
    this.ready = null;
    this.failPending(new Problem('terminated', `${this.o.name} host stopped`));
    if (child) {
      try {
        child.post({ t: 'shutdown' });
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill();
          resolve();
        }, 3_000);
        child.onExit(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.setState('stopped');
  }

  private spawn(): Promise<void> {
    this.setState(this.restarts > 0 ? 'restarting' : 'starting');
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let child: ChildHandle;
      try {
        child = this.o.launch();
      } catch (err) {
        this.lastError = `cannot start: ${(err as Error).message}`;
        this.ready = null;
        this.scheduleRestart();
        reject(new Problem('unavailable', this.lastError));
        return;
      }
      this.child = child;
      const readyTimer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this.lastError = `did not become ready within ${this.o.readyTimeoutMs} ms`;
        child.kill();
        reject(new Problem('timeout', `${this.o.name} host ${this.lastError}`));
      }, this.o.readyTimeoutMs);
      child.onMessage((msg) => {
        if (!msg || typeof msg !== 'object') return;
        if (msg.t === 'ready') {
          if (settled) return;
          settled = true;
          clearTimeout(readyTimer);
          this.setState('running');
          this.startHeartbeat(child);
          resolve();
        } else this.onMessage(msg);
      });
      child.onExit((code, signal) => {
        clearTimeout(readyTimer);
        if (this.child !== child) return;
        this.child = null;
        this.ready = null;
        this.stopHeartbeat();
        this.failPending(new Problem('unavailable', `${this.o.name} host exited (${signal ?? code})`));
        if (this.stopped) return;
        this.lastError = this.lastError ?? `exited with ${signal ?? `code ${code}`}`;
        if (!settled) {
          settled = true;
          reject(
            new Problem('unavailable', `${this.o.name} host exited before it was ready: ${this.lastError}`),
          );
        }
        this.scheduleRestart();
      });
    });
  }

  private onMessage(msg: FromHost): void {
    switch (msg.t) {
      case 'result': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new Problem(msg.problem, msg.message));
        break;
      }
      case 'event':
        this.o.onEvent?.(msg.name, msg.payload);
        break;
      case 'pong':
        this.lastPong = Date.now();
        break;
      case 'fatal':
        this.lastError = msg.message;
        break;
    }
  }

  private startHeartbeat(child: ChildHandle): void {
    this.stopHeartbeat();
    this.lastPong = Date.now();
    let lastTick = Date.now();
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      // a long gap between ticks means this process was suspended (laptop sleep): not the child's fault
      const slept = now - lastTick > this.o.heartbeatMs * 3;
      lastTick = now;
      if (slept) this.lastPong = now;
      if (now - this.lastPong > this.o.heartbeatMs * this.o.heartbeatMisses) {
        this.lastError = `missed ${this.o.heartbeatMisses} heartbeats`;
        child.kill();
        return;
      }
      child.post({ t: 'ping', n: ++this.pingN });
    }, this.o.heartbeatMs);
    this.heartbeat.unref?.();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private scheduleRestart(): void {
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((t) => now - t < this.o.restartWindowMs);
    if (this.restartTimes.length >= this.o.maxRestarts) {
      this.setState('gave-up');
      return;
    }
    this.restartTimes.push(now);
    const delay = Math.min(this.o.backoffCapMs, this.o.backoffMs * 2 ** (this.restartTimes.length - 1));
    this.restarts++;
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopped || this.state === 'gave-up') return;
      this.ready = this.spawn();
      this.ready.catch(() => undefined);
    }, delay);
    this.restartTimer.unref?.();
  }

  private failPending(err: Problem): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  private setState(state: HostState): void {
    if (this.state === state) return;
    this.state = state;
    this.o.onState?.(this.status());
  }
}

export type { ProblemShape };

/**
 * The healing engine: monitor → analyse → strategy → recover → verify → audit.
 *
 * Event-driven: systemd's PropertiesChanged (after Subscribe) drives unit targets; probes run on
 * their own timers; a slow reconcile poll is the safety net. One action per target at a time;
 * every decision is emitted as an 'action' (the owner audits and forwards it).
 */
import { EventEmitter } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { HealingConfig, TargetConfig, ProbeConfig } from '../../shared/config/healing';
import type { HealingAction, TargetStatus, HealingStatus } from '../../shared/contract/healing';
import { Problem } from '../../shared/problems';
import { cockpitState, type SystemdClient, type UnitSnapshot, type UnitChange } from './systemd';
import { isDbusError } from './bus';
import { transientUnitName, transientUnitOfPid, resolveExecutable, resolveCreds } from './transient';
import { runProbe, pidAlive } from './probes';
import { explainFailure, exitFacts, systemdWouldRestart, backoffMs, findCycles } from './analysis';

type Phase = TargetStatus['phase'];
type Verb = 'start' | 'restart' | 'stop';

interface ProbeRuntime {
  cfg: ProbeConfig;
  ok: boolean | null;
  fails: number;
  lastCheck: number | null;
  detail: string;
  running: boolean;
  timer: NodeJS.Timeout | null;
}

interface Verifying {
  verb: Verb;
  since: number;
  /** first moment active + probes passed (recovery time), null until then */
  okSince: number | null;
  sawProgress: boolean;
  stableTimer: NodeJS.Timeout | null;
  deadline: number;
  auto: boolean;
  timer: NodeJS.Timeout;
}

interface Runtime {
  cfg: TargetConfig;
  snap: UnitSnapshot | null;
  procPid: number;
  probes: ProbeRuntime[];
  phase: Phase;
  reason: string;
  /** timestamps of automatic attempts (policy window) */
  attempts: number[];
  consecutiveFailed: number;
  lastAttemptAt: number;
  nextAttemptAt: number | null;
  retryTimer: NodeJS.Timeout | null;
  inFlight: boolean;
  desired: 'running' | 'stopped';
  gaveUp: boolean;
  manualUntil: number;
  lastFailure: TargetStatus['lastFailure'];
  healthySince: number | null;
  verifying: Verifying | null;
  /** stopped by systemd because a dependency went down (BindsTo=/Requires=) */
  collateral: boolean;
  /** last reason recorded for hold/wait, so a decision is recorded once, not per signal */
  lastNoted: string;
  lastStartedAt: number;
  wasUp: boolean;
  /** when the unit was first seen failed in this episode (0: not failed) */
  failedSince: number;
  /** when this unhealthy episode started (0: healthy) */
  unhealthySince: number;
  /** systemd signals about this unit since our last job call (proves a read is not stale) */
  signalsSinceAction: number;
  /** bumped on every signal: a snapshot read across a signal is stale and re-read */
  changeSeq: number;
}

export interface EngineOptions {
  config: HealingConfig;
  /** last journal lines of a unit (optional; the helper reads journald) */
  journal?: (unit: string) => Promise<string[]>;
  now?: () => number;
  /** extra info for logs */
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface PersistedState {
  version: 1;
  savedAt: number;
  paused: boolean;
  actionId: number;
  recent: HealingAction[];
  targets: Record<
    string,
    {
      attempts: number[];
      consecutiveFailed: number;
      lastAttemptAt: number;
      gaveUp: boolean;
      gaveUpReason: string;
      desired: 'running' | 'stopped';
      lastFailure: TargetStatus['lastFailure'];
    }
  >;
}

export interface DetectEvent {
  target: string;
  at: number;
  activeState: string;
}

/** How long a dependant waits for correlated failures of its dependencies before acting. */
const SETTLE_MS = 200;
const ACTING_STATES = new Set(['activating', 'deactivating', 'reloading']);

export class HealingEngine extends EventEmitter {
  private readonly targets = new Map<string, Runtime>();
  private systemd: SystemdClient | null = null;
  private systemdWhy = 'not connected to systemd yet';
  private paused = false;
  private readonly recent: HealingAction[] = [];
  private actionId = 0;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private processTimer: NodeJS.Timeout | null = null;
  private disposed = false;
  private readonly now: () => number;
  private readonly cyclic: Set<string>;
  /** suffix of the next transient unit name (a name still taken is skipped) */
  private transientSeq = 0;
  private readonly onChange = (c: UnitChange): void => this.handleChange(c);
  private readonly onReloading = (starting: boolean): void => {
    if (!starting) void this.reconcile('systemd reloaded');
  };
  private readonly onSystemdRestart = (owner: string): void => {
    if (owner) void this.resubscribeAndReconcile();
  };

  constructor(private readonly opts: EngineOptions) {
    super();
    this.now = opts.now ?? Date.now;
    const seen = new Set<string>();
    for (const cfg of opts.config.targets) {
      if (seen.has(cfg.name)) continue; // duplicate names: first wins
      seen.add(cfg.name);
      this.targets.set(cfg.name, this.newRuntime(cfg));
    }
    const deps = new Map<string, string[]>();
    for (const [n, rt] of this.targets) deps.set(n, rt.cfg.dependsOn);
    this.cyclic = findCycles(deps);
    for (const n of this.cyclic) {
      this.act(
        n,
        'config',
        `dependency cycle involving ${n}: its dependsOn edges inside the cycle are ignored`,
        'engine',
        'info',
      );
    }
  }

  private newRuntime(cfg: TargetConfig): Runtime {
    return {
      cfg,
      snap: null,
      procPid: 0,
      probes: cfg.probes.map((p) => ({
        cfg: p,
        ok: null,
        fails: 0,
        lastCheck: null,
        detail: 'not run yet',
        running: false,
        timer: null,
      })),
      phase: 'unknown',
      reason: 'starting',
      attempts: [],
      consecutiveFailed: 0,
      lastAttemptAt: 0,
      nextAttemptAt: null,
      retryTimer: null,
      inFlight: false,
      desired: 'running',
      gaveUp: false,
      manualUntil: 0,
      lastFailure: null,
      healthySince: null,
      verifying: null,
      collateral: false,
      lastNoted: '',
      lastStartedAt: 0,
      wasUp: false,
      failedSince: 0,
      unhealthySince: 0,
      signalsSinceAction: 0,
      changeSeq: 0,
    };
  }

  // ───────────────────────── lifecycle ─────────────────────────

  /** Starts probes, the reconcile poll and the process watcher. Attach systemd separately. */
  start(): void {
    for (const rt of this.targets.values()) for (const p of rt.probes) this.scheduleProbe(rt, p, 0);
    const ms = this.opts.config.reconcileIntervalSec * 1000;
    this.reconcileTimer = setInterval(() => void this.reconcile('poll'), ms);
    this.reconcileTimer.unref?.();
    if ([...this.targets.values()].some((t) => t.cfg.kind === 'process')) {
      this.processTimer = setInterval(() => this.checkProcesses(), 1000);
      this.processTimer.unref?.();
      this.checkProcesses();
    }
  }

  /** Connects the engine to systemd (after Subscribe) and reconciles every target. */
  async attach(systemd: SystemdClient): Promise<void> {
    this.detach('re-attaching');
    this.systemd = systemd;
    systemd.on('change', this.onChange);
    systemd.on('reloading', this.onReloading);
    systemd.on('systemd-restarted', this.onSystemdRestart);
    this.systemdWhy = '';
    await this.reconcile('connected to systemd');
  }

  /** The D-Bus connection is gone: clear state that depended on it (no actions until re-attached). */
  detach(why: string): void {
    if (this.systemd) {
      this.systemd.off('change', this.onChange);
      this.systemd.off('reloading', this.onReloading);
      this.systemd.off('systemd-restarted', this.onSystemdRestart);
    }
    this.systemd = null;
    this.systemdWhy = why;
  }

  dispose(): void {
    this.disposed = true;
    this.detach('disposed');
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.processTimer) clearInterval(this.processTimer);
    for (const rt of this.targets.values()) {
      for (const p of rt.probes) if (p.timer) clearTimeout(p.timer);
      if (rt.retryTimer) clearTimeout(rt.retryTimer);
      if (rt.verifying) clearTimeout(rt.verifying.timer);
    }
    this.removeAllListeners();
  }

  private async resubscribeAndReconcile(): Promise<void> {
    const sd = this.systemd;
    if (!sd) return;
    try {
      await sd.resubscribe();
    } catch (err) {
      this.opts.log?.('re-subscribe failed', { error: (err as Error).message });
    }
    await this.reconcile('systemd came back');
  }

  /** Re-reads every unit target from systemd and evaluates it (safety net for missed signals). */
  async reconcile(why: string): Promise<void> {
    const sd = this.systemd;
    // higher priority first when several targets need attention at once
    const ordered = [...this.targets.values()].sort((a, b) => b.cfg.policy.priority - a.cfg.policy.priority);
    for (const rt of ordered) {
      if (this.disposed) return;
      if (rt.cfg.kind !== 'unit') continue;
      if (!sd) continue;
      try {
        const snap = await this.freshSnapshot(rt, sd);
        if (snap) rt.snap = snap;
      } catch (err) {
        if (err instanceof Problem && err.problem === 'invalid-input') {
          rt.phase = 'unknown';
          rt.reason = err.message;
          continue;
        }
        this.opts.log?.('snapshot failed', { target: rt.cfg.name, why, error: (err as Error).message });
        continue;
      }
      this.evaluate(rt, why);
    }
  }

  // ───────────────────────── detection ─────────────────────────

  private handleChange(c: UnitChange): void {
    const rt = this.targets.get(c.unit);
    if (!rt || rt.cfg.kind !== 'unit') return;
    const prev = rt.snap;
    if (!prev) {
      void this.refresh(rt, 'first signal');
      return;
    }
    const map: Record<string, keyof UnitSnapshot> = {
      ActiveState: 'activeState',
      SubState: 'subState',
      LoadState: 'loadState',
      UnitFileState: 'unitFileState',
      Result: 'result',
      MainPID: 'mainPid',
      NRestarts: 'nRestarts',
      ExecMainCode: 'execMainCode',
      ExecMainStatus: 'execMainStatus',
      Restart: 'restart',
    };
    const next: UnitSnapshot = { ...prev };
    const rec = next as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.changed)) {
      const key = map[k];
      if (key) rec[key] = typeof prev[key] === 'number' ? Number(v) : String(v);
      if (k === 'Job') rec.jobId = Array.isArray(v) ? Number(v[0] ?? 0) : 0;
    }
    rt.snap = next;
    rt.changeSeq += 1;
    const st = c.changed.ActiveState;
    if (typeof st === 'string' && st !== 'failed' && st !== 'inactive' && next.subState !== 'job')
      rt.signalsSinceAction += 1;
    const wasUp = prev.activeState === 'active' || prev.activeState === 'reloading';
    const down =
      next.activeState === 'failed' || next.activeState === 'inactive' || next.activeState === 'deactivating';
    if (wasUp && down && rt.desired === 'running') {
      this.emit('detect', {
        target: rt.cfg.name,
        at: c.at,
        activeState: next.activeState,
      } satisfies DetectEvent);
      if (!rt.verifying)
        this.act(
          rt.cfg.name,
          'detect',
          `${prev.activeState} → ${next.activeState}/${next.subState} (systemd signal)`,
          'engine',
          'info',
        );
      if (next.activeState === 'inactive' && this.depsOf(rt).some((d) => !this.isHealthy(d)))
        rt.collateral = true;
    }
    this.evaluate(
      rt,
      `${c.unit}: ${prev.activeState}/${prev.subState} → ${next.activeState}/${next.subState}`,
    );
    // full property read (Service.Result etc. may come in a separate signal); coalesced
    if (down || next.activeState === 'active') void this.refresh(rt, 'after change');
  }

  /** A snapshot that no signal overtook (re-read up to 3 times), or null if it kept changing. */
  private async freshSnapshot(rt: Runtime, sd: SystemdClient): Promise<UnitSnapshot | null> {
    for (let i = 0; i < 3; i++) {
      const seq = rt.changeSeq;
      const snap = await sd.snapshot(rt.cfg.name);
      if (rt.changeSeq === seq) return snap;
    }
    return null;
  }

  private refreshing = new Set<string>();
  private async refresh(rt: Runtime, why: string): Promise<void> {
    const sd = this.systemd;
    if (!sd || this.refreshing.has(rt.cfg.name)) return;
    this.refreshing.add(rt.cfg.name);
    try {
      await new Promise((r) => setTimeout(r, 15));
      const snap = await this.freshSnapshot(rt, sd);
      if (snap) rt.snap = snap;
      this.evaluate(rt, why);
    } catch (err) {
      this.opts.log?.('refresh failed', { target: rt.cfg.name, error: (err as Error).message });
    } finally {
      this.refreshing.delete(rt.cfg.name);
    }
  }

  private checkProcesses(): void {
    for (const rt of this.targets.values()) {
      if (rt.cfg.kind !== 'process') continue;
      const before = rt.procPid;
      rt.procPid = findProcess(rt.cfg.process);
      if (before > 0 && rt.procPid === 0 && rt.desired === 'running' && !rt.inFlight && !rt.verifying) {
        this.emit('detect', {
          target: rt.cfg.name,
          at: this.now(),
          activeState: 'inactive',
        } satisfies DetectEvent);
        this.act(rt.cfg.name, 'detect', `process ${before} is gone`, 'engine', 'info');
      }
      this.evaluate(rt, 'process check');
    }
  }

  private scheduleProbe(rt: Runtime, p: ProbeRuntime, delayMs: number): void {
    if (this.disposed) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => void this.runOneProbe(rt, p), delayMs);
    p.timer.unref?.();
  }

  private async runOneProbe(rt: Runtime, p: ProbeRuntime): Promise<void> {
    if (this.disposed) return;
    if (p.running) return;
    p.running = true;
    const pid = rt.cfg.kind === 'unit' ? (rt.snap?.mainPid ?? 0) : rt.procPid;
    try {
      const r = await runProbe(p.cfg, { pid });
      if (this.disposed) return;
      p.lastCheck = this.now();
      p.detail = r.detail;
      const inStartPeriod = this.now() - rt.lastStartedAt < p.cfg.startPeriodSec * 1000;
      if (r.ok) {
        p.ok = true;
        p.fails = 0;
      } else if (!inStartPeriod) {
        p.ok = false;
        p.fails += 1;
        if (p.fails === p.cfg.failureThreshold && this.isActive(rt) && !rt.verifying) {
          this.emit('detect', {
            target: rt.cfg.name,
            at: this.now(),
            activeState: 'probe-failed',
          } satisfies DetectEvent);
          this.act(
            rt.cfg.name,
            'detect',
            `${p.cfg.type} probe failed ${p.fails}× in a row: ${r.detail}`,
            'engine',
            'info',
          );
        }
      }
      this.evaluate(rt, `${p.cfg.type} probe: ${r.detail}`);
    } finally {
      p.running = false;
      // while verifying a recovery, probe quickly so success is noticed at once
      const fast = rt.verifying ? Math.min(250, p.cfg.intervalSec * 1000) : p.cfg.intervalSec * 1000;
      this.scheduleProbe(rt, p, fast);
    }
  }

  // ───────────────────────── state ─────────────────────────

  private isActive(rt: Runtime): boolean {
    if (rt.cfg.kind === 'process') return rt.procPid > 0;
    return rt.snap?.activeState === 'active' || rt.snap?.activeState === 'reloading';
  }

  private probesHealthy(rt: Runtime, strict: boolean): boolean {
    return rt.probes.every((p) => (strict ? p.ok === true : p.fails < p.cfg.failureThreshold));
  }

  isHealthy(name: string): boolean {
    const rt = this.targets.get(name);
    if (!rt) return true;
    return this.isActive(rt) && this.probesHealthy(rt, false) && !rt.verifying;
  }

  private depsOf(rt: Runtime): string[] {
    const set = new Set<string>();
    for (const d of rt.cfg.dependsOn) {
      if (this.cyclic.has(d) && this.cyclic.has(rt.cfg.name)) continue;
      if (d !== rt.cfg.name && this.targets.has(d)) set.add(d);
    }
    if (rt.snap && !this.cyclic.has(rt.cfg.name)) {
      for (const d of [...rt.snap.requires, ...rt.snap.bindsTo])
        if (d !== rt.cfg.name && this.targets.has(d)) set.add(d);
    }
    return [...set];
  }

  private setPhase(rt: Runtime, phase: Phase, reason: string): void {
    rt.phase = phase;
    rt.reason = reason;
  }

  /** Records a decision once per distinct reason (signals repeat; the audit trail should not). */
  private noteOnce(rt: Runtime, kind: string, reason: string): void {
    const key = `${kind}:${reason}`;
    if (rt.lastNoted === key) return;
    rt.lastNoted = key;
    this.act(rt.cfg.name, kind, reason, 'engine', 'info');
  }

  // ───────────────────────── strategy ─────────────────────────

  private evaluate(rt: Runtime, why: string): void {
    if (this.disposed || rt.inFlight) return;
    const name = rt.cfg.name;
    const now = this.now();
    if (rt.cfg.kind === 'unit') {
      if (!this.systemd) return this.setPhase(rt, 'unknown', this.systemdWhy);
      if (!rt.snap) return this.setPhase(rt, 'unknown', 'no state read yet');
      if (rt.snap.loadState === 'not-found')
        return this.setPhase(rt, 'unknown', `unit ${name} not found (not installed or removed)`);
      if (rt.snap.loadState === 'masked') return this.setPhase(rt, 'stopped', 'unit is masked');
    }
    const active = this.isActive(rt);
    if (rt.snap?.activeState !== 'failed') rt.failedSince = 0;

    // verification of an action in progress
    if (rt.verifying) {
      const v = rt.verifying;
      if (v.verb === 'stop') {
        if (!active) return this.finishVerify(rt, true, 'stopped');
        if (now >= v.deadline) return this.finishVerify(rt, false, 'still running after stop');
        return this.setPhase(rt, 'recovering', 'stopping');
      }
      if (active && this.probesHealthy(rt, true)) {
        if (v.okSince === null) {
          v.okSince = now;
          this.emit('up', { target: rt.cfg.name, at: now, ms: now - v.since });
        }
        const stableMs = rt.cfg.policy.stableSec * 1000;
        if (now - v.okSince >= stableMs) return this.finishVerify(rt, true, 'active and probes pass');
        if (!v.stableTimer) {
          v.stableTimer = setTimeout(
            () => {
              v.stableTimer = null;
              this.evaluate(rt, 'stable check');
            },
            stableMs - (now - v.okSince) + 5,
          );
          v.stableTimer.unref?.();
        }
        return this.setPhase(rt, 'recovering', `up; confirming it stays up for ${rt.cfg.policy.stableSec}s`);
      }
      v.okSince = null;
      const st = rt.snap?.activeState ?? '';
      if (rt.signalsSinceAction > 0) v.sawProgress = true;
      // a stale read (before the job ran) must not count as "failed again"
      const failedAgain =
        rt.cfg.kind === 'unit' &&
        (v.sawProgress || now - v.since > 2000) &&
        (st === 'failed' || (st === 'inactive' && now - v.since > 1000));
      if (failedAgain || now >= v.deadline) {
        const detail = failedAgain
          ? `failed again (${rt.snap?.result ?? ''})`
          : !active
            ? 'not active in time'
            : `probe not passing: ${rt.probes.find((p) => p.ok !== true)?.detail ?? ''}`;
        this.finishVerify(rt, false, detail);
        // fall through: decide the next step now
      } else {
        return this.setPhase(rt, 'recovering', `verifying ${v.verb}: waiting for active + probes`);
      }
    }

    if (rt.gaveUp)
      return this.setPhase(
        rt,
        'gave-up',
        rt.reason.startsWith('gave up') ? rt.reason : `gave up: ${rt.reason}`,
      );
    if (rt.desired === 'stopped')
      return this.setPhase(rt, 'stopped', 'stopped by a person; healing leaves it stopped');

    const healthy = active && this.probesHealthy(rt, false);
    if (healthy) {
      if (rt.phase !== 'healthy') {
        rt.healthySince = now;
        rt.lastNoted = '';
      }
      rt.wasUp = true;
      rt.collateral = false;
      rt.unhealthySince = 0;
      if (rt.healthySince !== null && now - rt.healthySince >= rt.cfg.policy.backoffResetSec * 1000)
        rt.consecutiveFailed = 0;
      return this.setPhase(rt, 'healthy', active ? 'running; probes pass' : 'running');
    }
    rt.healthySince = null;

    // unhealthy: what is needed?
    let verb: Verb;
    let reason: string;
    const snap = rt.snap;
    if (rt.cfg.kind === 'unit' && snap) {
      if (snap.jobId !== 0 || ACTING_STATES.has(snap.activeState)) {
        const r =
          snap.subState === 'auto-restart'
            ? `systemd's own Restart=${snap.restart} is restarting it; waiting`
            : `systemd is ${snap.activeState} it (job ${snap.jobId}); waiting`;
        this.noteOnce(rt, 'wait', r);
        return this.setPhase(rt, 'waiting-systemd', r);
      }
      if (snap.activeState === 'failed') {
        this.captureFailure(rt);
        if (systemdWouldRestart(snap.restart, snap.result) || snap.result === 'start-limit-hit') {
          // 'failed' can be a passing state on the way to auto-restart: confirm before concluding
          if (rt.failedSince === 0) rt.failedSince = now;
          if (snap.result !== 'start-limit-hit' && now - rt.failedSince < 1500) {
            this.scheduleRetry(rt, 1500 - (now - rt.failedSince), true);
            return this.setPhase(
              rt,
              'waiting-systemd',
              `failed; checking whether systemd's Restart=${snap.restart} restarts it`,
            );
          }
          if (!rt.cfg.policy.resetFailed) {
            return this.giveUp(
              rt,
              `systemd's own Restart=${snap.restart} gave up (start limit); ${rt.lastFailure?.cause ?? ''} A person must look at it (or enable policy.resetFailed).`,
            );
          }
          verb = 'restart';
          reason = `systemd gave up (start limit); policy allows reset-failed + restart`;
        } else {
          verb = 'restart';
          reason = `unit failed: ${rt.lastFailure?.cause ?? snap.result}`;
        }
      } else if (snap.activeState === 'inactive') {
        if (!rt.collateral) {
          const r = 'inactive (stopped cleanly, not a failure); not restarting';
          return this.setPhase(rt, 'stopped', r);
        }
        verb = 'start';
        reason = 'stopped by systemd because a dependency went down';
      } else {
        const p = rt.probes.find((x) => x.fails >= x.cfg.failureThreshold);
        verb = 'restart';
        reason = `active but its ${p?.cfg.type ?? ''} probe failed ${p?.fails ?? 0}×: ${p?.detail ?? ''}`;
        if (p && !rt.lastFailure?.cause.startsWith('Probe')) {
          rt.lastFailure = {
            at: now,
            activeState: snap.activeState,
            result: 'probe',
            exitCode: null,
            signal: null,
            journal: [],
            cause: `Probe ${p.cfg.type} failed ${p.fails} times in a row: ${p.detail}.`,
          };
        }
      }
    } else if (rt.cfg.kind === 'process') {
      if (!active) {
        if (!rt.wasUp && rt.cfg.process.start.length === 0)
          return this.setPhase(rt, 'stopped', 'not running and no start command');
        verb = 'start';
        reason = 'process not running';
        if (!rt.lastFailure || rt.lastFailure.at < rt.lastAttemptAt)
          rt.lastFailure = {
            at: now,
            activeState: 'inactive',
            result: 'gone',
            exitCode: null,
            signal: null,
            journal: [],
            cause: 'The process is gone (exited or killed).',
          };
      } else {
        const p = rt.probes.find((x) => x.fails >= x.cfg.failureThreshold);
        verb = 'restart';
        reason = `its ${p?.cfg.type ?? ''} probe failed ${p?.fails ?? 0}×: ${p?.detail ?? ''}`;
      }
    } else {
      return this.setPhase(rt, 'unknown', 'no state');
    }

    if (this.paused || !this.opts.config.enabled) {
      return this.setPhase(rt, 'paused', `${reason} — healing is ${this.paused ? 'paused' : 'disabled'}`);
    }

    // dependencies first: hold this one while a dependency is unhealthy. Failures often come
    // together (one kill, one OOM): let correlated signals arrive and re-read the dependencies
    // before acting on a dependant.
    const deps = this.depsOf(rt);
    if (rt.unhealthySince === 0) rt.unhealthySince = now;
    if (deps.length > 0 && now - rt.unhealthySince < SETTLE_MS) {
      this.setPhase(rt, 'holding', `settling: re-reading ${deps.join(', ')} before acting`);
      if (!rt.retryTimer) {
        rt.retryTimer = setTimeout(
          () => {
            rt.retryTimer = null;
            void Promise.all(
              deps.map((d) => this.targets.get(d)).map((d) => (d ? this.refresh(d, 'settle') : undefined)),
            ).then(() => this.evaluate(rt, 'settled'));
          },
          SETTLE_MS - (now - rt.unhealthySince) + 5,
        );
        rt.retryTimer.unref?.();
      }
      return;
    }
    const badDep = deps.find((d) => !this.isHealthy(d));
    if (badDep) {
      const r = `holding: depends on ${badDep}, which is not healthy yet`;
      this.noteOnce(rt, 'hold', r);
      return this.setPhase(rt, 'holding', r);
    }

    if (now < rt.manualUntil) {
      this.scheduleRetry(rt, rt.manualUntil - now);
      return this.setPhase(rt, 'backoff', `cooldown after a manual action (${reason})`);
    }

    const pol = rt.cfg.policy;
    rt.attempts = rt.attempts.filter((t) => now - t < pol.windowSec * 1000);
    if (rt.attempts.length >= pol.maxRestarts) {
      return this.giveUp(
        rt,
        `${rt.attempts.length} automatic restarts within ${pol.windowSec}s (max ${pol.maxRestarts}); last: ${reason}`,
      );
    }
    const wait = backoffMs(rt.consecutiveFailed, pol.backoffInitialSec, pol.backoffMaxSec);
    const at = rt.lastAttemptAt + wait;
    if (now < at) {
      this.scheduleRetry(rt, at - now);
      this.noteOnce(
        rt,
        'backoff',
        `backoff ${Math.round(wait / 100) / 10}s before attempt ${rt.attempts.length + 1}: ${reason}`,
      );
      return this.setPhase(rt, 'backoff', `next attempt in ${Math.ceil((at - now) / 1000)}s: ${reason}`);
    }
    void this.recover(rt, verb, reason, why);
  }

  private scheduleRetry(rt: Runtime, ms: number, reread = false): void {
    rt.nextAttemptAt = this.now() + ms;
    if (rt.retryTimer) clearTimeout(rt.retryTimer);
    rt.retryTimer = setTimeout(() => {
      rt.retryTimer = null;
      rt.nextAttemptAt = null;
      if (reread) void this.refresh(rt, 'retry timer (re-read)');
      else this.evaluate(rt, 'retry timer');
    }, ms + 5);
    rt.retryTimer.unref?.();
  }

  private captureFailure(rt: Runtime): void {
    const s = rt.snap;
    if (!s) return;
    if (rt.lastFailure && rt.lastFailure.at >= rt.lastAttemptAt && rt.lastFailure.result === s.result) return;
    const facts = {
      activeState: s.activeState,
      result: s.result,
      execMainCode: s.execMainCode,
      execMainStatus: s.execMainStatus,
    };
    const { exitCode, signal } = exitFacts(facts);
    const lf = {
      at: this.now(),
      activeState: s.activeState,
      result: s.result,
      exitCode,
      signal,
      journal: [] as string[],
      cause: explainFailure(facts),
    };
    rt.lastFailure = lf;
    if (this.opts.journal) {
      this.opts
        .journal(rt.cfg.name)
        .then((lines) => {
          lf.journal = lines;
        })
        .catch(() => undefined);
    }
  }

  private giveUp(rt: Runtime, reason: string): void {
    if (!rt.gaveUp) {
      rt.gaveUp = true;
      rt.nextAttemptAt = null;
      if (rt.retryTimer) clearTimeout(rt.retryTimer);
      this.act(rt.cfg.name, 'gave-up', reason, 'engine', 'failed');
      this.emit('escalate', { target: rt.cfg.name, reason });
    }
    this.setPhase(rt, 'gave-up', `gave up: ${reason}`);
  }

  // ───────────────────────── recovery ─────────────────────────

  private async recover(rt: Runtime, verb: Verb, reason: string, why: string): Promise<void> {
    const now = this.now();
    rt.inFlight = true;
    rt.attempts.push(now);
    rt.lastAttemptAt = now;
    rt.nextAttemptAt = null;
    rt.lastNoted = '';
    this.setPhase(rt, 'recovering', `${verb}: ${reason}`);
    const attempt = rt.attempts.length;
    try {
      const needsReset =
        rt.cfg.kind === 'unit' &&
        rt.snap?.activeState === 'failed' &&
        rt.cfg.policy.resetFailed &&
        (systemdWouldRestart(rt.snap.restart, rt.snap.result) || rt.snap.result === 'start-limit-hit');
      if (needsReset) {
        await this.systemd?.resetFailed(rt.cfg.name);
        this.act(
          rt.cfg.name,
          'reset-failed',
          'explicit policy step before restarting (policy.resetFailed)',
          'engine',
          'ok',
        );
      }
      const how = await this.doVerb(rt, verb);
      this.act(
        rt.cfg.name,
        verb,
        `${reason} (attempt ${attempt}/${rt.cfg.policy.maxRestarts}; trigger: ${why})${how ? `; ${how}` : ''}`,
        'engine',
        'pending',
      );
      this.beginVerify(rt, verb, true);
    } catch (err) {
      rt.consecutiveFailed += 1;
      this.act(
        rt.cfg.name,
        verb,
        `${reason}: the ${verb} call failed: ${(err as Error).message}`,
        'engine',
        'failed',
      );
    } finally {
      rt.inFlight = false;
    }
    this.evaluate(rt, 'after action');
  }

  /** Runs the verb; returns how a plain process was started or stopped ('' for units). */
  private async doVerb(rt: Runtime, verb: Verb): Promise<string> {
    for (const p of rt.probes) {
      p.ok = null;
      p.fails = 0;
      p.detail = 'waiting for verification';
    }
    rt.lastStartedAt = this.now();
    if (rt.cfg.kind === 'unit') {
      if (!this.systemd) throw new Problem('unavailable', `not connected to systemd: ${this.systemdWhy}`);
      // optimistic state before the call: signals about the job may arrive before its reply is handled
      const before = rt.snap;
      rt.signalsSinceAction = 0;
      rt.changeSeq += 1; // a snapshot read in flight is older than this
      if (before)
        rt.snap = {
          ...before,
          activeState: verb === 'stop' ? 'deactivating' : 'activating',
          subState: 'job',
        };
      try {
        await this.systemd.job(verb, rt.cfg.name);
      } catch (err) {
        if (rt.snap && before && rt.snap.subState === 'job') rt.snap = before;
        throw err;
      }
      return '';
    }
    const how = await this.processVerb(rt, verb);
    rt.procPid = findProcess(rt.cfg.process);
    return how;
  }

  // ───────────────────────── plain processes: start and stop ─────────────────────────

  private async processVerb(rt: Runtime, verb: Verb): Promise<string> {
    const m = rt.cfg.process;
    if (verb === 'restart' && m.restart.length > 0) return this.launch(rt, m.restart, 'restart command');
    const how: string[] = [];
    if (verb !== 'start' && rt.procPid > 1) how.push(await this.stopProcess(rt, rt.procPid));
    if (verb !== 'stop') how.push(await this.launch(rt, m.start, 'start'));
    return how.join('; ');
  }

  /** Stops the unit when the PID runs in one of our transient units, else SIGTERM, then SIGKILL after 5 s. */
  private async stopProcess(rt: Runtime, pid: number): Promise<string> {
    const unit = transientUnitOfPid(pid);
    const sd = this.systemd;
    if (unit && sd) {
      try {
        const job = await sd.job('stop', unit);
        const { result } = await sd.waitJob(job, unit, 15_000);
        if (!pidAlive(pid)) return `stopped its transient unit ${unit} (StopUnit: ${result})`;
        this.opts.log?.('process outlived StopUnit; signalling it', { target: rt.cfg.name, unit, pid });
      } catch (err) {
        this.opts.log?.('StopUnit failed; signalling the process', {
          target: rt.cfg.name,
          unit,
          error: (err as Error).message,
        });
      }
    }
    return killProcess(pid);
  }

  /**
   * Starts argv as a transient service of its own (own cgroup, none of the helper's sandboxing,
   * independent of the helper's lifetime); without a systemd bus, a detached child instead.
   */
  private async launch(rt: Runtime, argv: string[], what: string): Promise<string> {
    const [cmd, ...args] = argv;
    if (!cmd) throw new Problem('invalid-input', `no ${what} command configured for ${rt.cfg.name}`);
    const m = rt.cfg.process;
    const sd = this.systemd;
    if (!sd) {
      await spawnDetached(argv, m);
      const how = `spawned detached in the engine's own cgroup (fallback: no systemd bus — ${this.systemdWhy})`;
      this.opts.log?.(`process target ${rt.cfg.name}: ${how}`);
      return how;
    }
    const path = resolveExecutable(cmd);
    for (let tries = 0; ; tries++) {
      const name = transientUnitName(rt.cfg.name, ++this.transientSeq);
      let job: string;
      try {
        job = await sd.startTransientService({
          name,
          path,
          argv: [cmd, ...args],
          description: `AI-Native Linux healing: ${what} of process target ${rt.cfg.name}`,
          user: m.user,
          group: m.group,
          workingDirectory: m.workingDirectory,
          environment: m.environment,
        });
      } catch (err) {
        // a unit of an earlier helper run still holds the name: take the next one
        if (isDbusError(err, 'org.freedesktop.systemd1.UnitExists') && tries < 50) continue;
        const msg = isDbusError(err) ? `${err.type}: ${err.text}` : (err as Error).message;
        throw new Problem('internal-error', `StartTransientUnit ${name} failed: ${msg}`);
      }
      const timeoutMs = Math.max(1000, rt.cfg.policy.verifyTimeoutSec * 1000);
      const { result } = await sd.waitJob(job, name, timeoutMs);
      if (result !== 'done')
        throw new Problem(
          'internal-error',
          `transient unit ${name} (${path}) did not start: job ${result}; see journalctl -u ${name}`,
        );
      return `started in transient unit ${name} (${path})`;
    }
  }

  private beginVerify(rt: Runtime, verb: Verb, auto: boolean): void {
    if (rt.verifying) clearTimeout(rt.verifying.timer);
    const now = this.now();
    const ms = rt.cfg.policy.verifyTimeoutSec * 1000;
    const timer = setTimeout(
      () => this.evaluate(rt, 'verify deadline'),
      ms + rt.cfg.policy.stableSec * 1000 + 10,
    );
    timer.unref?.();
    setTimeout(() => this.evaluate(rt, 'verify re-check'), 2050).unref?.();
    rt.verifying = {
      verb,
      since: now,
      okSince: null,
      sawProgress: false,
      stableTimer: null,
      deadline: now + ms + rt.cfg.policy.stableSec * 1000,
      auto,
      timer,
    };
    for (const p of rt.probes) this.scheduleProbe(rt, p, 50);
  }

  private finishVerify(rt: Runtime, ok: boolean, detail: string): void {
    const v = rt.verifying;
    if (!v) return;
    clearTimeout(v.timer);
    if (v.stableTimer) clearTimeout(v.stableTimer);
    rt.verifying = null;
    const ms = (ok && v.okSince !== null ? v.okSince : this.now()) - v.since;
    if (ok) {
      if (v.auto) rt.consecutiveFailed = 0;
      rt.healthySince = this.now();
      this.act(
        rt.cfg.name,
        'verify-ok',
        `${v.verb} verified: up ${ms} ms after the action, ${detail}, stable ${rt.cfg.policy.stableSec}s`,
        v.auto ? 'engine' : 'person',
        'ok',
      );
      this.emit('recovered', { target: rt.cfg.name, at: this.now(), verb: v.verb, ms });
      if (v.verb !== 'stop') {
        this.setPhase(rt, 'healthy', 'running; probes pass');
        // dependants held for this one may go now
        for (const other of this.targets.values())
          if (this.depsOf(other).includes(rt.cfg.name)) this.evaluate(other, `${rt.cfg.name} recovered`);
      } else this.setPhase(rt, 'stopped', 'stopped by a person; healing leaves it stopped');
    } else {
      if (v.auto) rt.consecutiveFailed += 1;
      this.act(
        rt.cfg.name,
        'verify-failed',
        `${v.verb} not verified after ${ms} ms: ${detail}`,
        v.auto ? 'engine' : 'person',
        'failed',
      );
    }
  }

  // ───────────────────────── commands ─────────────────────────

  private target(name: string): Runtime {
    const rt = this.targets.get(name);
    if (!rt) throw new Problem('not-found', `${name} is not a watched target`);
    return rt;
  }

  /** A person's start/stop/restart. Waits until verified (or the verify timeout). */
  async manual(verb: Verb, name: string, actor: string): Promise<{ ok: boolean; message: string }> {
    const rt = this.target(name);
    if (!rt.cfg.allowManual)
      throw new Problem('access-denied', `${name} is not allow-listed for manual ${verb}`);
    if (rt.inFlight) throw new Problem('unavailable', `an action on ${name} is already in progress`);
    if (rt.cfg.kind === 'unit' && !this.systemd)
      throw new Problem('unavailable', `not connected to systemd: ${this.systemdWhy}`);
    rt.inFlight = true;
    rt.desired = verb === 'stop' ? 'stopped' : 'running';
    rt.manualUntil = this.now() + rt.cfg.policy.cooldownSec * 1000;
    if (verb !== 'stop' && rt.gaveUp) {
      rt.gaveUp = false;
      rt.attempts = [];
      rt.consecutiveFailed = 0;
    }
    try {
      if (verb !== 'stop' && rt.cfg.kind === 'unit' && rt.snap?.activeState === 'failed') {
        await this.systemd?.resetFailed(name).catch(() => undefined);
      }
      const how = await this.doVerb(rt, verb);
      this.act(name, verb, `requested by ${actor}${how ? `; ${how}` : ''}`, actor, 'pending');
      this.beginVerify(rt, verb, false);
    } catch (err) {
      this.act(name, verb, `requested by ${actor}; failed: ${(err as Error).message}`, actor, 'failed');
      throw err instanceof Problem
        ? err
        : new Problem('internal-error', `${verb} ${name}: ${(err as Error).message}`);
    } finally {
      rt.inFlight = false;
    }
    this.evaluate(rt, `manual ${verb}`);
    const deadline = this.now() + rt.cfg.policy.verifyTimeoutSec * 1000 + 500;
    while (rt.verifying && this.now() < deadline && !this.disposed)
      await new Promise((r) => setTimeout(r, 50));
    const last = [...this.recent]
      .reverse()
      .find((a) => a.target === name && (a.kind === 'verify-ok' || a.kind === 'verify-failed'));
    if (last?.kind === 'verify-ok') return { ok: true, message: last.reason };
    return { ok: false, message: last?.reason ?? `${verb} ${name}: not verified` };
  }

  pause(actor: string): void {
    this.paused = true;
    this.act('*', 'pause', `automatic healing paused by ${actor}`, actor, 'ok');
    for (const rt of this.targets.values()) this.evaluate(rt, 'paused');
  }

  resume(actor: string): void {
    this.paused = false;
    this.act('*', 'resume', `automatic healing resumed by ${actor}`, actor, 'ok');
    for (const rt of this.targets.values()) this.evaluate(rt, 'resumed');
  }

  clear(name: string, actor: string): { ok: boolean; message: string } {
    const rt = this.target(name);
    if (!rt.gaveUp) return { ok: true, message: `${name} was not in gave-up` };
    rt.gaveUp = false;
    rt.attempts = [];
    rt.consecutiveFailed = 0;
    rt.lastAttemptAt = 0;
    rt.lastNoted = '';
    this.act(name, 'clear', `gave-up cleared by ${actor}; healing resumes`, actor, 'ok');
    this.evaluate(rt, 'cleared');
    return { ok: true, message: `${name}: gave-up cleared` };
  }

  // ───────────────────────── audit + status ─────────────────────────

  private act(
    target: string,
    kind: string,
    reason: string,
    actor: string,
    outcome: HealingAction['outcome'],
  ): void {
    const a: HealingAction = { id: ++this.actionId, ts: this.now(), target, kind, reason, actor, outcome };
    this.recent.push(a);
    while (this.recent.length > this.opts.config.historySize) this.recent.shift();
    this.emit('action', a);
  }

  /** Policy state worth keeping across a helper restart (systemd state is re-read, not kept). */
  exportState(): PersistedState {
    const targets: PersistedState['targets'] = {};
    for (const [n, rt] of this.targets) {
      targets[n] = {
        attempts: rt.attempts,
        consecutiveFailed: rt.consecutiveFailed,
        lastAttemptAt: rt.lastAttemptAt,
        gaveUp: rt.gaveUp,
        gaveUpReason: rt.gaveUp ? rt.reason : '',
        desired: rt.desired,
        lastFailure: rt.lastFailure,
      };
    }
    return {
      version: 1,
      savedAt: this.now(),
      paused: this.paused,
      actionId: this.actionId,
      recent: [...this.recent],
      targets,
    };
  }

  /** Restores exportState() output; unknown targets and malformed entries are ignored. */
  importState(raw: unknown): void {
    if (!raw || typeof raw !== 'object') return;
    const st = raw as Partial<PersistedState>;
    if (st.version !== 1) return;
    this.paused = st.paused === true;
    if (typeof st.actionId === 'number') this.actionId = Math.max(this.actionId, st.actionId);
    if (Array.isArray(st.recent))
      this.recent.splice(0, this.recent.length, ...st.recent.slice(-this.opts.config.historySize));
    for (const [n, t] of Object.entries(st.targets ?? {})) {
      const rt = this.targets.get(n);
      if (!rt || !t || typeof t !== 'object') continue;
      if (Array.isArray(t.attempts)) rt.attempts = t.attempts.filter((x) => typeof x === 'number');
      if (typeof t.consecutiveFailed === 'number') rt.consecutiveFailed = t.consecutiveFailed;
      if (typeof t.lastAttemptAt === 'number') rt.lastAttemptAt = t.lastAttemptAt;
      rt.gaveUp = t.gaveUp === true;
      if (rt.gaveUp) this.setPhase(rt, 'gave-up', t.gaveUpReason || 'gave up (before the helper restarted)');
      if (t.desired === 'stopped' || t.desired === 'running') rt.desired = t.desired;
      if (t.lastFailure && typeof t.lastFailure === 'object') rt.lastFailure = t.lastFailure;
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  actions(): HealingAction[] {
    return [...this.recent];
  }

  status(): Omit<HealingStatus, 'source' | 'readOnlyReason'> {
    const targets: TargetStatus[] = [...this.targets.values()].map((rt) => {
      const s = rt.snap;
      const unit = rt.cfg.kind === 'unit';
      return {
        name: rt.cfg.name,
        kind: rt.cfg.kind,
        state: unit ? (s ? cockpitState(s) : 'unknown') : rt.procPid > 0 ? 'running' : 'not-running',
        enabled: s?.unitFileState ?? '',
        activeState: unit ? (s?.activeState ?? '') : rt.procPid > 0 ? 'active' : 'inactive',
        subState: s?.subState ?? '',
        loadState: s?.loadState ?? '',
        mainPid: unit ? (s?.mainPid ?? 0) : rt.procPid,
        nRestarts: s?.nRestarts ?? 0,
        restartSetting: s?.restart ?? '',
        probes: rt.probes.map((p) => ({
          type: p.cfg.type,
          ok: p.ok,
          consecutiveFailures: p.fails,
          lastCheck: p.lastCheck,
          detail: p.detail,
        })),
        phase: rt.phase,
        reason: rt.reason,
        restartsInWindow: rt.attempts.filter((t) => this.now() - t < rt.cfg.policy.windowSec * 1000).length,
        nextAttemptAt: rt.nextAttemptAt,
        lastFailure: rt.lastFailure,
        dependsOn: this.depsOf(rt),
        allowManual: rt.cfg.allowManual,
      };
    });
    targets.sort(
      (a, b) =>
        (this.targets.get(b.name)?.cfg.policy.priority ?? 0) -
        (this.targets.get(a.name)?.cfg.policy.priority ?? 0),
    );
    return {
      paused: this.paused,
      enabled: this.opts.config.enabled,
      connected: this.systemd !== null,
      targets,
      recent: [...this.recent],
    };
  }
}

// ───────────────────────── plain processes ─────────────────────────

/** Finds a process by pidfile, exact comm or command-line substring; 0 if none. */
export function findProcess(m: TargetConfig['process']): number {
  if (m.pidfile) {
    try {
      const pid = Number.parseInt(readFileSync(m.pidfile, 'utf8').trim(), 10);
      return pidAlive(pid) ? pid : 0;
    } catch {
      return 0;
    }
  }
  if (!m.comm && !m.cmdline) return 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      if (m.comm && readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== m.comm) continue;
      if (m.cmdline && !readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(m.cmdline))
        continue;
      if (pidAlive(pid)) return pid;
    } catch {
      /* raced with exit */
    }
  }
  return 0;
}

/** A detached child with the target's user/group (uid/gid, never silently root), cwd and environment. */
function spawnDetached(argv: string[], m: TargetConfig['process']): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (!cmd) return reject(new Problem('invalid-input', 'no start command configured'));
    const creds = resolveCreds(m.user, m.group);
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (creds.name) Object.assign(env, { USER: creds.name, LOGNAME: creds.name });
    if (creds.home) env.HOME = creds.home;
    Object.assign(env, m.environment ?? {});
    const child = spawn(cmd, args, {
      detached: true,
      stdio: 'ignore',
      shell: false,
      cwd: m.workingDirectory || undefined,
      env,
      uid: creds.uid,
      gid: creds.gid,
    });
    child.once('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPERM' && creds.uid !== undefined)
        return reject(
          new Problem(
            'access-denied',
            `spawn ${cmd} as user ${m.user}: not allowed to switch users (${err.message}); not starting it as the engine's own user instead`,
          ),
        );
      reject(new Problem('internal-error', `spawn ${cmd}: ${err.message}`));
    });
    child.once('spawn', () => {
      child.unref();
      setTimeout(resolve, 100);
    });
  });
}

/** SIGTERM, then SIGKILL if it is still there after 5 s. */
async function killProcess(pid: number): Promise<string> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  for (let i = 0; i < 50 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (!pidAlive(pid)) return `pid ${pid} ended after SIGTERM`;
  process.kill(pid, 'SIGKILL');
  return `pid ${pid} killed with SIGKILL (SIGTERM was not enough)`;
}

/**
 * HelperClient: the unprivileged side. Talks to the root helper (org.ainl.Helper1) on the system
 * bus, forwards its HealingEvent signals, supervises it (detects absence, starts it through
 * systemd when installed, reconnects, reports health), and without it serves a read-only status
 * straight from systemd that says why.
 */
import { EventEmitter } from 'node:events';
import {
  connectSystemBus,
  onBusEnd,
  call,
  addMatch,
  nameHasOwner,
  isDbusError,
  type MessageBus,
  type DbusMessage,
} from './bus';
import { SystemdClient, cockpitState } from './systemd';
import { Problem, type ProblemCode } from '../../shared/problems';
import type { HealingConfig } from '../../shared/config/healing';
import {
  healingStatus,
  healingAction,
  type HealingAction,
  type HealingStatus,
  type HelperHealth,
  type TargetStatus,
} from '../../shared/contract/healing';

const HELPER_PATH = '/org/ainl/Helper1';
const HELPER_IFACE = 'org.ainl.Helper1';

const ERRORS: Record<string, ProblemCode> = {
  AccessDenied: 'access-denied',
  NotFound: 'not-found',
  InvalidArgs: 'invalid-input',
  Timeout: 'timeout',
  Unavailable: 'unavailable',
  Terminated: 'terminated',
  Failed: 'internal-error',
};

export interface HelperClientOptions {
  /** explicit bus address (tests); default: DBUS_SYSTEM_BUS_ADDRESS or the standard socket */
  busAddress?: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** re-check interval for helper health while it is absent (ms) */
  recheckMs?: number;
}

/** Emits 'action' (HealingAction) for every helper event, 'health' (HelperHealth) on changes. */
export class HelperClient extends EventEmitter {
  private bus: MessageBus | null = null;
  private systemd: SystemdClient | null = null;
  private busWhy = 'not connected yet';
  private healthCache: HelperHealth;
  private disposed = false;
  private lastStartAttempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopEnd: (() => void) | null = null;
  private readonly onMessage = (msg: DbusMessage): void => this.handle(msg);

  constructor(
    private readonly cfg: HealingConfig,
    private readonly opts: HelperClientOptions = {},
  ) {
    super();
    this.healthCache = this.mkHealth('unreachable', 'not checked yet');
  }

  private mkHealth(
    state: HelperHealth['state'],
    why: string,
    extra: Partial<HelperHealth> = {},
  ): HelperHealth {
    return {
      state,
      why,
      busName: this.cfg.helperBusName,
      unit: this.cfg.helperUnit,
      version: null,
      pid: null,
      ...extra,
    };
  }

  /** Connects (never throws: a missing bus becomes an 'unreachable' health with the reason). */
  async start(): Promise<void> {
    await this.connect();
    this.timer = setInterval(() => {
      if (!this.bus) void this.connect();
      else if (this.healthCache.state !== 'running') void this.health();
    }, this.opts.recheckMs ?? 15_000);
    this.timer.unref?.();
  }

  private async connect(): Promise<void> {
    if (this.disposed || this.bus) return;
    try {
      const bus = await connectSystemBus(3000, this.opts.busAddress);
      if (this.disposed) {
        bus.disconnect();
        return;
      }
      this.bus = bus;
      this.systemd = new SystemdClient(bus);
      bus.on('message', this.onMessage);
      await addMatch(
        bus,
        `type='signal',sender='${this.cfg.helperBusName}',path='${HELPER_PATH}',interface='${HELPER_IFACE}',member='HealingEvent'`,
      );
      await addMatch(
        bus,
        `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${this.cfg.helperBusName}'`,
      );
      this.busWhy = '';
      this.stopEnd = onBusEnd(bus, (why) => this.lost(why));
      await this.health();
    } catch (err) {
      this.busWhy = `no system bus: ${(err as Error).message}`;
      this.setHealth(this.mkHealth('unreachable', this.busWhy));
      this.dropBus();
    }
  }

  private lost(why: string): void {
    this.busWhy = `system bus connection lost (${why}); reconnecting`;
    this.setHealth(this.mkHealth('unreachable', this.busWhy));
    this.dropBus();
    setTimeout(() => void this.connect(), 1000).unref?.();
  }

  private dropBus(): void {
    this.stopEnd?.();
    this.stopEnd = null;
    if (this.bus) {
      this.bus.off('message', this.onMessage);
      try {
        this.bus.disconnect();
      } catch {
        /* gone */
      }
    }
    this.systemd?.dispose();
    this.systemd = null;
    this.bus = null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.dropBus();
    this.removeAllListeners();
  }

  private handle(msg: DbusMessage): void {
    if (msg.type !== 4) return;
    if (msg.interface === HELPER_IFACE && msg.member === 'HealingEvent') {
      try {
        const parsed = healingAction.safeParse(JSON.parse(String(msg.body[0])));
        if (parsed.success) this.emit('action', parsed.data satisfies HealingAction);
      } catch {
        /* malformed signal: ignore */
      }
    } else if (msg.member === 'NameOwnerChanged' && msg.body[0] === this.cfg.helperBusName) {
      void this.health();
    }
  }

  private setHealth(h: HelperHealth): void {
    const changed = h.state !== this.healthCache.state || h.why !== this.healthCache.why;
    this.healthCache = h;
    if (changed) this.emit('health', h);
  }

  /** Checks the helper now: running / installed / not-installed / unreachable, and why. */
  async health(): Promise<HelperHealth> {
    const bus = this.bus;
    if (!bus) {
      this.setHealth(this.mkHealth('unreachable', this.busWhy));
      return this.healthCache;
    }
    try {
      if (await nameHasOwner(bus, this.cfg.helperBusName)) {
        try {
          const [version] = await this.helperCall('Version', '', [], 3000);
          const [pid] = await call(bus, {
            destination: 'org.freedesktop.DBus',
            path: '/org/freedesktop/DBus',
            interface: 'org.freedesktop.DBus',
            member: 'GetConnectionUnixProcessID',
            signature: 's',
            body: [this.cfg.helperBusName],
          }).catch(() => [null]);
          this.setHealth(
            this.mkHealth('running', 'answering on the system bus', {
              version: String(version),
              pid: pid === null ? null : Number(pid),
            }),
          );
        } catch (err) {
          this.setHealth(
            this.mkHealth(
              'unreachable',
              `owns ${this.cfg.helperBusName} but does not answer: ${(err as Error).message}`,
            ),
          );
        }
        return this.healthCache;
      }
      const snap = await this.systemd?.snapshot(this.cfg.helperUnit);
      if (!snap || snap.loadState === 'not-found' || snap.loadState === '') {
        this.setHealth(
          this.mkHealth(
            'not-installed',
            `the helper unit ${this.cfg.helperUnit} is not installed (see docs/healing.md, "Installing the helper")`,
          ),
        );
        return this.healthCache;
      }
      let why = `installed but ${snap.activeState}${snap.result && snap.result !== 'success' ? ` (${snap.result})` : ''}`;
      if (
        this.cfg.startHelper &&
        Date.now() - this.lastStartAttempt > 30_000 &&
        snap.activeState !== 'activating'
      ) {
        this.lastStartAttempt = Date.now();
        try {
          await this.systemd?.job('start', this.cfg.helperUnit);
          why += '; start requested through systemd';
        } catch (err) {
          why += `; starting it was refused: ${isDbusError(err) ? err.text || err.type : (err as Error).message}`;
        }
      }
      this.setHealth(this.mkHealth('installed', why));
    } catch (err) {
      this.setHealth(this.mkHealth('unreachable', `cannot ask the bus: ${(err as Error).message}`));
    }
    return this.healthCache;
  }

  get currentHealth(): HelperHealth {
    return this.healthCache;
  }

  private async helperCall(
    member: string,
    signature = '',
    body: unknown[] = [],
    timeoutMs = 25_000,
  ): Promise<unknown[]> {
    const bus = this.bus;
    if (!bus) throw new Problem('unavailable', this.busWhy);
    try {
      return await call(
        bus,
        {
          destination: this.cfg.helperBusName,
          path: HELPER_PATH,
          interface: HELPER_IFACE,
          member,
          signature,
          body,
        },
        timeoutMs,
      );
    } catch (err) {
      if (isDbusError(err)) {
        const short = err.type.startsWith('org.ainl.Helper1.Error.')
          ? err.type.slice('org.ainl.Helper1.Error.'.length)
          : '';
        const code: ProblemCode =
          ERRORS[short] ?? (/AccessDenied/.test(err.type) ? 'access-denied' : 'unavailable');
        throw new Problem(code, err.text || err.type);
      }
      throw err;
    }
  }

  /** Full status from the helper, or a read-only one straight from systemd with the reason. */
  async status(): Promise<HealingStatus> {
    const h = this.healthCache.state === 'running' ? this.healthCache : await this.health();
    if (h.state === 'running') {
      try {
        const [json] = await this.helperCall('GetStatus');
        return healingStatus.parse(JSON.parse(String(json)));
      } catch (err) {
        void this.health();
        return this.readOnly(`the helper did not answer: ${(err as Error).message}`);
      }
    }
    return this.readOnly(`read-only: root helper ${h.state} — ${h.why}`);
  }

  private async readOnly(reason: string): Promise<HealingStatus> {
    const targets: TargetStatus[] = [];
    for (const t of this.cfg.targets) {
      const base: TargetStatus = {
        name: t.name,
        kind: t.kind,
        state: 'unknown',
        enabled: '',
        activeState: '',
        subState: '',
        loadState: '',
        mainPid: 0,
        nRestarts: 0,
        restartSetting: '',
        probes: [],
        phase: 'unknown',
        reason,
        restartsInWindow: 0,
        nextAttemptAt: null,
        lastFailure: null,
        dependsOn: t.dependsOn,
        allowManual: t.allowManual,
      };
      if (t.kind === 'unit' && this.systemd) {
        try {
          const s = await this.systemd.snapshot(t.name);
          Object.assign(base, {
            state: cockpitState(s),
            enabled: s.unitFileState,
            activeState: s.activeState,
            subState: s.subState,
            loadState: s.loadState,
            mainPid: s.mainPid,
            nRestarts: s.nRestarts,
            restartSetting: s.restart,
          });
        } catch (err) {
          base.reason = `${reason}; systemd: ${(err as Error).message}`;
        }
      }
      targets.push(base);
    }
    return {
      source: 'read-only',
      readOnlyReason: reason,
      paused: false,
      enabled: this.cfg.enabled,
      connected: this.bus !== null,
      targets,
      recent: [],
    };
  }

  private async verb(member: string, target?: string): Promise<{ ok: boolean; message: string }> {
    if (this.healthCache.state !== 'running') await this.health();
    if (this.healthCache.state !== 'running')
      throw new Problem(
        'unavailable',
        `read-only: root helper ${this.healthCache.state} — ${this.healthCache.why}`,
      );
    const out =
      target === undefined ? await this.helperCall(member) : await this.helperCall(member, 's', [target]);
    return { ok: out[0] === true, message: String(out[1] ?? '') };
  }

  restart(target: string) {
    return this.verb('Restart', target);
  }
  start_(target: string) {
    return this.verb('Start', target);
  }
  stop(target: string) {
    return this.verb('Stop', target);
  }
  clear(target: string) {
    return this.verb('Clear', target);
  }
  pause() {
    return this.verb('Pause');
  }
  resume() {
    return this.verb('Resume');
  }
}

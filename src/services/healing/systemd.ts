/**
 * SystemdClient: the one place that talks to systemd (org.freedesktop.systemd1) over D-Bus.
 * The engine sees unit snapshots and change callbacks, never systemctl text.
 */
import { EventEmitter } from 'node:events';
import {
  call,
  addMatch,
  unwrapDict,
  unwrap,
  isDbusError,
  Variant,
  type MessageBus,
  type DbusMessage,
} from './bus';
import { Problem } from '../../shared/problems';
import { isValidUnitName } from '../../shared/config/healing';

const SD = 'org.freedesktop.systemd1';
const SD_PATH = '/org/freedesktop/systemd1';
const MANAGER = 'org.freedesktop.systemd1.Manager';
const PROPS = 'org.freedesktop.DBus.Properties';
const UNIT_PREFIX = '/org/freedesktop/systemd1/unit/';

export interface UnitSnapshot {
  name: string;
  loadState: string;
  activeState: string;
  subState: string;
  unitFileState: string;
  /** Service.Result (success, exit-code, signal, core-dump, timeout, start-limit-hit …) or '' */
  result: string;
  mainPid: number;
  nRestarts: number;
  /** Service.Restart (no, on-failure, always …) or '' for non-services */
  restart: string;
  execMainCode: number;
  execMainStatus: number;
  requires: string[];
  bindsTo: string[];
  after: string[];
  /** Jobs queued for this unit (non-empty: systemd is acting). */
  jobId: number;
  activeEnterTimestamp: number;
}

/** systemd's object path escaping (sd_bus_path_encode). */
export function unitPath(name: string): string {
  if (name === '') return UNIT_PREFIX + '_';
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    const code = name.charCodeAt(i);
    if (/[A-Za-z]/.test(c) || (i > 0 && /[0-9]/.test(c))) out += c;
    else out += '_' + code.toString(16).padStart(2, '0');
  }
  return UNIT_PREFIX + out;
}

export function unitNameFromPath(path: string): string | null {
  if (!path.startsWith(UNIT_PREFIX)) return null;
  const enc = path.slice(UNIT_PREFIX.length);
  return enc.replace(/_([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A transient service to start (see startTransientService). */
export interface TransientService {
  /** unit name, e.g. ainl-heal-worker-1.service */
  name: string;
  /** absolute path of the program */
  path: string;
  /** argv including argv[0] */
  argv: string[];
  description: string;
  workingDirectory?: string;
  /** User=/Group=: a name or a numeric id */
  user?: string;
  group?: string;
  /** Environment=: NAME → value */
  environment?: Record<string, string>;
}

/** How a job ended: systemd's JobRemoved result (done, failed, canceled, timeout, dependency, skipped). */
export interface JobOutcome {
  job: string;
  result: string;
}

export interface UnitChange {
  unit: string;
  /** Only the properties that came with the signal. */
  changed: Record<string, unknown>;
  at: number;
}

/**
 * Emits 'change' (UnitChange) for PropertiesChanged of any unit, 'reloading' (boolean) for
 * daemon-reload/reexec, 'systemd-restarted' when systemd's bus name changes owner.
 */
export class SystemdClient extends EventEmitter {
  private subscribed = false;
  /** JobRemoved results seen lately (a job may end before its caller has the reply in hand) */
  private readonly jobsDone = new Map<string, string>();
  private readonly jobWaiters = new Map<string, (result: string) => void>();
  private readonly onMessage = (msg: DbusMessage): void => this.handle(msg);

  constructor(private readonly bus: MessageBus) {
    super();
    bus.on('message', this.onMessage);
  }

  /** Subscribe() + one match rule for every unit's PropertiesChanged. Call again after a reconnect or reexec. */
  async subscribe(): Promise<void> {
    await addMatch(
      this.bus,
      `type='signal',sender='${SD}',interface='${PROPS}',member='PropertiesChanged',path_namespace='/org/freedesktop/systemd1/unit'`,
    );
    await addMatch(this.bus, `type='signal',sender='${SD}',interface='${MANAGER}',member='Reloading'`);
    await addMatch(this.bus, `type='signal',sender='${SD}',interface='${MANAGER}',member='JobRemoved'`);
    await addMatch(
      this.bus,
      `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SD}'`,
    );
    await this.manager('Subscribe');
    this.subscribed = true;
  }

  /** Re-Subscribe after systemd came back (reexec keeps subscriptions in 252, but not always a restart). */
  async resubscribe(): Promise<void> {
    try {
      await this.manager('Subscribe');
    } catch (err) {
      // AlreadySubscribed is fine
      if (!isDbusError(err) || !/AlreadySubscribed|already/i.test(`${err.type} ${err.text}`)) throw err;
    }
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  dispose(): void {
    this.bus.off('message', this.onMessage);
    this.removeAllListeners();
  }

  private handle(msg: DbusMessage): void {
    if (msg.type !== 4 /* SIGNAL */) return;
    if (msg.interface === PROPS && msg.member === 'PropertiesChanged' && msg.path.startsWith(UNIT_PREFIX)) {
      const unit = unitNameFromPath(msg.path);
      if (!unit) return;
      const changed = unwrapDict(msg.body[1]);
      this.emit('change', { unit, changed, at: Date.now() } satisfies UnitChange);
    } else if (msg.interface === MANAGER && msg.member === 'JobRemoved') {
      // (u id, o job, s unit, s result)
      const job = String(msg.body[1] ?? '');
      const result = String(msg.body[3] ?? '');
      const waiter = this.jobWaiters.get(job);
      if (waiter) waiter(result);
      else {
        this.jobsDone.set(job, result);
        if (this.jobsDone.size > 256) this.jobsDone.delete(this.jobsDone.keys().next().value as string);
      }
    } else if (msg.interface === MANAGER && msg.member === 'Reloading') {
      this.emit('reloading', msg.body[0] === true);
    } else if (msg.member === 'NameOwnerChanged' && msg.body[0] === SD) {
      this.subscribed = false;
      this.emit('systemd-restarted', String(msg.body[2] ?? ''));
    }
  }

  private async manager(
    member: string,
    signature = '',
    body: unknown[] = [],
    timeoutMs = 5000,
  ): Promise<unknown[]> {
    return call(
      this.bus,
      { destination: SD, path: SD_PATH, interface: MANAGER, member, signature, body },
      timeoutMs,
    );
  }

  private static check(name: string): void {
    if (!isValidUnitName(name))
      throw new Problem('invalid-input', `not a valid unit name: ${JSON.stringify(name)}`);
  }

  /** LoadUnit: loads the unit if needed; a missing unit gives LoadState=not-found, not an error. */
  async snapshot(name: string): Promise<UnitSnapshot> {
    SystemdClient.check(name);
    const [path] = await this.manager('LoadUnit', 's', [name]);
    const p = String(path);
    const unitProps = await this.getAll(p, 'org.freedesktop.systemd1.Unit');
    let svc: Record<string, unknown> = {};
    if (name.endsWith('.service') && unitProps.LoadState === 'loaded') {
      svc = await this.getAll(p, 'org.freedesktop.systemd1.Service').catch(() => ({}));
    }
    const job = unitProps.Job;
    const jobId = Array.isArray(job) ? Number(job[0] ?? 0) : 0;
    return {
      name,
      loadState: String(unitProps.LoadState ?? ''),
      activeState: String(unitProps.ActiveState ?? ''),
      subState: String(unitProps.SubState ?? ''),
      unitFileState: String(unitProps.UnitFileState ?? ''),
      result: String(svc.Result ?? ''),
      mainPid: Number(svc.MainPID ?? 0),
      nRestarts: Number(svc.NRestarts ?? 0),
      restart: String(svc.Restart ?? ''),
      execMainCode: Number(svc.ExecMainCode ?? 0),
      execMainStatus: Number(svc.ExecMainStatus ?? 0),
      requires: asStrings(unitProps.Requires),
      bindsTo: asStrings(unitProps.BindsTo),
      after: asStrings(unitProps.After),
      jobId,
      activeEnterTimestamp: Number(unitProps.ActiveEnterTimestamp ?? 0),
    };
  }

  private async getAll(path: string, iface: string): Promise<Record<string, unknown>> {
    const [dict] = await call(this.bus, {
      destination: SD,
      path,
      interface: PROPS,
      member: 'GetAll',
      signature: 's',
      body: [iface],
    });
    return unwrapDict(dict);
  }

  /** StartUnit/RestartUnit/StopUnit with mode "replace"; returns the job path. */
  async job(verb: 'start' | 'restart' | 'stop', name: string): Promise<string> {
    SystemdClient.check(name);
    const member = verb === 'start' ? 'StartUnit' : verb === 'restart' ? 'RestartUnit' : 'StopUnit';
    const [job] = await this.manager(member, 'ss', [name, 'replace']);
    return String(job);
  }

  /**
   * Waits for a job to finish: its JobRemoved result, or (signal missed) once the job object is
   * gone, 'done' when the unit is active, else 'unit <state>'. Rejects with a 'timeout' Problem.
   */
  async waitJob(job: string, unit: string, timeoutMs: number): Promise<JobOutcome> {
    const seen = this.jobsDone.get(job);
    if (seen !== undefined) {
      this.jobsDone.delete(job);
      return { job, result: seen };
    }
    return new Promise<JobOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (result: string | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.jobWaiters.delete(job);
        if (result instanceof Error) reject(result);
        else resolve({ job, result });
      };
      this.jobWaiters.set(job, finish);
      const timer = setTimeout(
        () => finish(new Problem('timeout', `the job for ${unit} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      // safety net for a missed signal: once the job object is gone, the unit's state tells
      const poll = setInterval(() => {
        call(
          this.bus,
          {
            destination: SD,
            path: job,
            interface: PROPS,
            member: 'Get',
            signature: 'ss',
            body: ['org.freedesktop.systemd1.Job', 'State'],
          },
          2000,
        ).then(
          () => undefined,
          async (err: unknown) => {
            if (settled || !isDbusError(err)) return;
            const again = this.jobsDone.get(job);
            if (again !== undefined) return finish(again);
            try {
              const s = await this.activeState(unit);
              finish(s === 'active' ? 'done' : `unit ${s || 'gone'}`);
            } catch (e) {
              finish(`unit state unknown: ${(e as Error).message}`);
            }
          },
        );
      }, 500);
    });
  }

  /** ActiveState of a loaded unit ('' when systemd does not know it). */
  async activeState(name: string): Promise<string> {
    const [path] = await this.manager('GetUnit', 's', [name]).catch((err: unknown) => {
      if (isDbusError(err, 'org.freedesktop.systemd1.NoSuchUnit')) return [''];
      throw err;
    });
    if (!path) return '';
    const [v] = await call(this.bus, {
      destination: SD,
      path: String(path),
      interface: PROPS,
      member: 'Get',
      signature: 'ss',
      body: ['org.freedesktop.systemd1.Unit', 'ActiveState'],
    });
    return String(unwrap(v));
  }

  /**
   * StartTransientUnit (mode "fail") of a Type=exec service with ExitType=cgroup (a program that
   * forks into the background keeps its unit), collected once inactive or failed. Returns the job.
   */
  async startTransientService(svc: TransientService): Promise<string> {
    SystemdClient.check(svc.name);
    if (!svc.path.startsWith('/'))
      throw new Problem('invalid-input', `ExecStart needs an absolute path: ${svc.path}`);
    const props: [string, Variant][] = [
      ['Description', new Variant('s', svc.description)],
      ['Type', new Variant('s', 'exec')],
      ['ExitType', new Variant('s', 'cgroup')],
      ['ExecStart', new Variant('a(sasb)', [[svc.path, svc.argv, false]])],
      ['CollectMode', new Variant('s', 'inactive-or-failed')],
    ];
    if (svc.workingDirectory) props.push(['WorkingDirectory', new Variant('s', svc.workingDirectory)]);
    if (svc.user) props.push(['User', new Variant('s', svc.user)]);
    if (svc.group) props.push(['Group', new Variant('s', svc.group)]);
    const env = Object.entries(svc.environment ?? {}).map(([k, v]) => `${k}=${v}`);
    if (env.length > 0) props.push(['Environment', new Variant('as', env)]);
    const [job] = await this.manager('StartTransientUnit', 'ssa(sv)a(sa(sv))', [svc.name, 'fail', props, []]);
    return String(job);
  }

  async resetFailed(name: string): Promise<void> {
    SystemdClient.check(name);
    await this.manager('ResetFailedUnit', 's', [name]);
  }

  /** Names of all loaded units (for the reconcile poll). */
  async listUnitNames(): Promise<string[]> {
    const [list] = await this.manager('ListUnits');
    return Array.isArray(list) ? list.map((row) => String((unwrap(row) as unknown[])[0])) : [];
  }

  async version(): Promise<string> {
    const [v] = await call(this.bus, {
      destination: SD,
      path: SD_PATH,
      interface: PROPS,
      member: 'Get',
      signature: 'ss',
      body: [MANAGER, 'Version'],
    });
    return String(unwrap(v));
  }
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Cockpit's five states from a snapshot. */
export function cockpitState(
  s: UnitSnapshot,
): 'running' | 'not-running' | 'failed' | 'static' | 'masked' | 'unknown' {
  if (s.loadState === 'masked' || s.unitFileState.startsWith('masked')) return 'masked';
  if (s.loadState === 'not-found' || s.loadState === '') return 'unknown';
  if (s.activeState === 'failed') return 'failed';
  if (s.activeState === 'active' || s.activeState === 'reloading' || s.activeState === 'activating')
    return 'running';
  if (s.unitFileState === 'static') return 'static';
  return 'not-running';
}

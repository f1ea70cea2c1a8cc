/**
 * The root helper's D-Bus interface (org.ainl.Helper1 at /org/ainl/Helper1).
 *
 * Typed methods only; every call is checked for its exact signature, its arguments are validated
 * here (not only by clients), and polkit is asked with the caller's bus name as the subject.
 * Callers with uid 0 pass without polkit (as systemd does). Every call is audited.
 */
import {
  Message,
  Variant,
  call,
  connectionUnixUser,
  type MessageBus,
  type DbusMessage,
} from '../src/services/healing/bus';
import type { HealingEngine } from '../src/services/healing/engine';
import { Problem, type ProblemCode } from '../src/shared/problems';
import { TARGET_NAME_RE } from '../src/shared/config/healing';
import type { HealingAction } from '../src/shared/contract/healing';

export const HELPER_BUS_NAME = 'org.ainl.Helper1';
export const HELPER_PATH = '/org/ainl/Helper1';
export const HELPER_IFACE = 'org.ainl.Helper1';
export const HELPER_VERSION = '1';

/** polkit action ids, shipped in resources/polkit/org.ainl.helper.policy */
export const ACTIONS = {
  status: 'org.ainl.helper.read-status',
  manage: 'org.ainl.helper.manage-targets',
  control: 'org.ainl.helper.control-healing',
} as const;

interface MethodDef {
  in: string;
  out: string;
  action: keyof typeof ACTIONS;
  run: (args: unknown[], caller: Caller) => Promise<unknown[]>;
}

export interface Caller {
  sender: string;
  uid: number;
  pid: number;
}

export interface AuditRecord {
  ts: string;
  caller: string;
  uid: number;
  pid: number;
  method: string;
  target?: string;
  authorization: string;
  outcome: string;
  detail?: string;
}

export interface HelperOptions {
  busName?: string;
  audit: (rec: AuditRecord) => void;
  /** Ask polkit (default true). */
  usePolkit?: boolean;
}

const ERR_PREFIX = 'org.ainl.Helper1.Error.';
const PROBLEM_ERRORS: Record<ProblemCode, string> = {
  'access-denied': 'AccessDenied',
  'not-found': 'NotFound',
  'invalid-input': 'InvalidArgs',
  timeout: 'Timeout',
  unavailable: 'Unavailable',
  terminated: 'Terminated',
  'internal-error': 'Failed',
};

const INTROSPECT = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
 <interface name="${HELPER_IFACE}">
  <method name="Version"><arg type="s" direction="out"/></method>
  <method name="GetStatus"><arg type="s" name="status_json" direction="out"/></method>
  <method name="Restart"><arg type="s" name="target" direction="in"/><arg type="b" direction="out"/><arg type="s" direction="out"/></method>
  <method name="Start"><arg type="s" name="target" direction="in"/><arg type="b" direction="out"/><arg type="s" direction="out"/></method>
  <method name="Stop"><arg type="s" name="target" direction="in"/><arg type="b" direction="out"/><arg type="s" direction="out"/></method>
  <method name="Clear"><arg type="s" name="target" direction="in"/><arg type="b" direction="out"/><arg type="s" direction="out"/></method>
  <method name="Pause"><arg type="b" direction="out"/><arg type="s" direction="out"/></method>
  <method name="Resume"><arg type="b" direction="out"/><arg type="s" direction="out"/></method>
  <signal name="HealingEvent"><arg type="s" name="action_json"/></signal>
 </interface>
 <interface name="org.freedesktop.DBus.Introspectable">
  <method name="Introspect"><arg type="s" direction="out"/></method>
 </interface>
</node>`;

function target(args: unknown[]): string {
  const t = args[0];
  if (typeof t !== 'string' || !TARGET_NAME_RE.test(t) || t.includes('..'))
    throw new Problem('invalid-input', `not a valid target name: ${JSON.stringify(String(t).slice(0, 80))}`);
  return t;
}

export class HelperService {
  private readonly methods: Record<string, MethodDef>;
  private bus: MessageBus | null = null;
  private readonly handler = (msg: DbusMessage): boolean => this.onMessage(msg);
  private readonly onAction = (a: HealingAction): void => this.signal(a);

  constructor(
    private readonly engine: HealingEngine,
    private readonly opts: HelperOptions,
  ) {
    const verb = (v: 'start' | 'stop' | 'restart') => async (args: unknown[], c: Caller) => {
      const r = await this.engine.manual(v, target(args), `uid ${c.uid} (${c.sender})`);
      return [r.ok, r.message];
    };
    this.methods = {
      Version: { in: '', out: 's', action: 'status', run: async () => [HELPER_VERSION] },
      GetStatus: {
        in: '',
        out: 's',
        action: 'status',
        run: async () => [JSON.stringify({ source: 'helper', readOnlyReason: '', ...this.engine.status() })],
      },
      Restart: { in: 's', out: 'bs', action: 'manage', run: verb('restart') },
      Start: { in: 's', out: 'bs', action: 'manage', run: verb('start') },
      Stop: { in: 's', out: 'bs', action: 'manage', run: verb('stop') },
      Clear: {
        in: 's',
        out: 'bs',
        action: 'control',
        run: async (args, c) => {
          const r = this.engine.clear(target(args), `uid ${c.uid}`);
          return [r.ok, r.message];
        },
      },
      Pause: {
        in: '',
        out: 'bs',
        action: 'control',
        run: async (_a, c) => {
          this.engine.pause(`uid ${c.uid}`);
          return [true, 'healing paused'];
        },
      },
      Resume: {
        in: '',
        out: 'bs',
        action: 'control',
        run: async (_a, c) => {
          this.engine.resume(`uid ${c.uid}`);
          return [true, 'healing resumed'];
        },
      },
    };
  }

  /** Starts answering on `bus` (after the name was requested). Call again after a reconnect. */
  attach(bus: MessageBus): void {
    this.detach();
    this.bus = bus;
    bus.addMethodHandler(this.handler);
    this.engine.on('action', this.onAction);
  }

  detach(): void {
    if (this.bus) this.bus.removeMethodHandler(this.handler);
    this.engine.off('action', this.onAction);
    this.bus = null;
  }

  private signal(a: HealingAction): void {
    if (!this.bus) return;
    try {
      this.bus.send(Message.newSignal(HELPER_PATH, HELPER_IFACE, 'HealingEvent', 's', [JSON.stringify(a)]));
    } catch {
      /* bus going away; the reconnect path re-attaches */
    }
  }

  private onMessage(msg: DbusMessage): boolean {
    if (msg.path !== HELPER_PATH) return false;
    const bus = this.bus;
    if (!bus) return false;
    if (msg.interface === 'org.freedesktop.DBus.Introspectable' && msg.member === 'Introspect') {
      bus.send(Message.newMethodReturn(msg, 's', [INTROSPECT]));
      return true;
    }
    if (msg.interface !== HELPER_IFACE && msg.interface) return false;
    const def = Object.prototype.hasOwnProperty.call(this.methods, msg.member)
      ? this.methods[msg.member]
      : undefined;
    if (!def) {
      bus.send(Message.newError(msg, 'org.freedesktop.DBus.Error.UnknownMethod', `no method ${msg.member}`));
      return true;
    }
    void this.dispatch(bus, msg, def);
    return true;
  }

  private async dispatch(bus: MessageBus, msg: DbusMessage, def: MethodDef): Promise<void> {
    const sender = msg.sender;
    const rec: AuditRecord = {
      ts: new Date().toISOString(),
      caller: sender,
      uid: -1,
      pid: 0,
      method: msg.member,
      authorization: 'not-checked',
      outcome: 'error',
    };
    try {
      if ((msg.signature ?? '') !== def.in) {
        throw new Problem('invalid-input', `${msg.member} takes (${def.in}), got (${msg.signature ?? ''})`);
      }
      if (def.in === 's') rec.target = String(msg.body[0]).slice(0, 120);
      const ids = await connectionUnixUser(bus, sender);
      rec.uid = ids.uid;
      rec.pid = ids.pid;
      const caller: Caller = { sender, uid: ids.uid, pid: ids.pid };
      // validate before asking polkit: bad input never reaches the authorization dialog
      if (def.in === 's') target(msg.body);
      rec.authorization = await this.authorize(bus, caller, ACTIONS[def.action], msg.member, rec.target);
      if (rec.authorization !== 'yes' && rec.authorization !== 'root') {
        throw new Problem(
          'access-denied',
          `not authorized for ${ACTIONS[def.action]} (${rec.authorization})`,
        );
      }
      const out = await def.run(msg.body, caller);
      rec.outcome = 'ok';
      if (def.out === 'bs') {
        rec.outcome = out[0] ? 'ok' : 'failed';
        rec.detail = String(out[1]);
      }
      bus.send(Message.newMethodReturn(msg, def.out, out));
    } catch (err) {
      const p = err instanceof Problem ? err : new Problem('internal-error', (err as Error).message);
      rec.outcome =
        p.problem === 'access-denied' ? 'denied' : p.problem === 'invalid-input' ? 'rejected-input' : 'error';
      rec.detail = p.message;
      try {
        bus.send(Message.newError(msg, ERR_PREFIX + PROBLEM_ERRORS[p.problem], p.message));
      } catch {
        /* caller gone */
      }
    } finally {
      this.opts.audit(rec);
    }
  }

  /** 'root' | 'yes' | 'no' | 'challenge' | 'polkit-unavailable: …' */
  private async authorize(
    bus: MessageBus,
    c: Caller,
    action: string,
    verb: string,
    tgt?: string,
  ): Promise<string> {
    if (c.uid === 0) return 'root';
    if (this.opts.usePolkit === false) return 'no (polkit disabled)';
    const details: Record<string, string> = { verb: verb.toLowerCase() };
    if (tgt) details.target = tgt;
    try {
      const [result] = await call(
        bus,
        {
          destination: 'org.freedesktop.PolicyKit1',
          path: '/org/freedesktop/PolicyKit1/Authority',
          interface: 'org.freedesktop.PolicyKit1.Authority',
          member: 'CheckAuthorization',
          signature: '(sa{sv})sa{ss}us',
          body: [['system-bus-name', { name: new Variant('s', c.sender) }], action, details, 1, ''],
        },
        30_000,
      );
      const [ok, challenge] = (result as [boolean, boolean, unknown]) ?? [false, false];
      return ok ? 'yes' : challenge ? 'challenge' : 'no';
    } catch (err) {
      return `polkit-unavailable: ${(err as Error).message}`;
    }
  }
}

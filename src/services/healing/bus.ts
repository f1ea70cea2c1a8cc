/**
 * Thin helpers over @jellybrick/dbus-next's low-level API: method calls with a timeout, a
 * connection that reports its end, values unwrapped from Variants. No proxies (each one costs an
 * Introspect round trip and XML parsing).
 */
import { systemBus, sessionBus, Message, Variant, DBusError, type MessageBus } from '@jellybrick/dbus-next';
import { Problem } from '../../shared/problems';

export { Message, Variant, DBusError };
export type { MessageBus };
export type DbusMessage = Message;

export interface CallSpec {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}

/**
 * Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS honoured, or an explicit address) and waits
 * for Hello.
 */
export function connectSystemBus(timeoutMs = 3000, address?: string): Promise<MessageBus> {
  return new Promise((resolve, reject) => {
    let bus: MessageBus;
    try {
      bus = address ? sessionBus({ busAddress: address }) : systemBus();
    } catch (err) {
      reject(new Problem('unavailable', `system bus: ${(err as Error).message}`));
      return;
    }
    const timer = setTimeout(() => {
      cleanup();
      try {
        bus.disconnect();
      } catch {
        /* already gone */
      }
      reject(new Problem('timeout', 'system bus did not answer Hello in time'));
    }, timeoutMs);
    const onError = (err: Error): void => {
      cleanup();
      try {
        bus.disconnect();
      } catch {
        /* already gone */
      }
      reject(new Problem('unavailable', `system bus: ${err.message}`));
    };
    const onConnect = (): void => {
      cleanup();
      // a bus that drops later emits 'error'; without a listener that would crash the process
      (bus as unknown as NodeJS.EventEmitter).on('error', () => undefined);
      resolve(bus);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      (bus as unknown as NodeJS.EventEmitter).off('error', onError);
      bus.off('connect', onConnect);
    };
    (bus as unknown as NodeJS.EventEmitter).on('error', onError);
    bus.on('connect', onConnect);
  });
}

/** Calls `fn` once when the bus connection ends or errors. Returns a disposer. */
export function onBusEnd(bus: MessageBus, fn: (why: string) => void): () => void {
  let done = false;
  const fire = (why: string): void => {
    if (done) return;
    done = true;
    fn(why);
  };
  const onErr = (err: Error): void => fire(`bus error: ${err.message}`);
  const conn = (bus as unknown as { _connection: NodeJS.EventEmitter })._connection;
  const onEnd = (): void => fire('bus connection closed');
  const em = bus as unknown as NodeJS.EventEmitter;
  em.on('error', onErr);
  conn.on('end', onEnd);
  conn.on('close', onEnd);
  return () => {
    done = true;
    em.off('error', onErr);
    conn.off('end', onEnd);
    conn.off('close', onEnd);
  };
}

/** A method call with a timeout (dbus-next has none). D-Bus errors reject as DBusError. */
export async function call(bus: MessageBus, spec: CallSpec, timeoutMs = 5000): Promise<unknown[]> {
  const msg = new Message({
    destination: spec.destination,
    path: spec.path,
    interface: spec.interface,
    member: spec.member,
    signature: spec.signature ?? '',
    body: spec.body ?? [],
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Problem('timeout', `${spec.interface}.${spec.member} got no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const reply = await Promise.race([bus.call(msg), timeout]);
    return reply?.body ?? [];
  } catch (err) {
    // a timed-out call leaves its reply handler behind in dbus-next: drop it
    if (err instanceof Problem && err.problem === 'timeout' && msg.serial !== null) {
      const handlers = (bus as unknown as { _methodReturnHandlers?: Record<number, unknown> })
        ._methodReturnHandlers;
      if (handlers) delete handlers[msg.serial];
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Adds a match rule on the bus daemon. */
export async function addMatch(bus: MessageBus, rule: string): Promise<void> {
  await call(bus, {
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'AddMatch',
    signature: 's',
    body: [rule],
  });
}

export async function nameHasOwner(bus: MessageBus, name: string): Promise<boolean> {
  const [has] = await call(bus, {
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'NameHasOwner',
    signature: 's',
    body: [name],
  });
  return has === true;
}

export async function connectionUnixUser(
  bus: MessageBus,
  sender: string,
): Promise<{ uid: number; pid: number }> {
  const [uid] = await call(bus, {
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'GetConnectionUnixUser',
    signature: 's',
    body: [sender],
  });
  let pid = 0;
  try {
    const [p] = await call(bus, {
      destination: 'org.freedesktop.DBus',
      path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus',
      member: 'GetConnectionUnixProcessID',
      signature: 's',
      body: [sender],
    });
    pid = Number(p);
  } catch {
    /* not fatal: only for the audit record */
  }
  return { uid: Number(uid), pid };
}

/** Unwraps a{sv} (Variants) to plain values; bigint → number. */
export function unwrapDict(dict: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!dict || typeof dict !== 'object') return out;
  for (const [k, v] of Object.entries(dict as Record<string, unknown>)) out[k] = unwrap(v);
  return out;
}

export function unwrap(v: unknown): unknown {
  if (v instanceof Variant) return unwrap(v.value);
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(unwrap);
  return v;
}

export function isDbusError(err: unknown, name?: string): err is DBusError {
  return err instanceof DBusError && (name === undefined || err.type === name);
}

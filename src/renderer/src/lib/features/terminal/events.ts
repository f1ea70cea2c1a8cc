/**
 * One subscription to `terminal:data` / `terminal:exit` for all tabs, routed by session id.
 * Output that arrives before its tab registered (an event can overtake the create reply) is held
 * briefly and handed over on registration.
 */
import { api } from '../../api';

export interface SessionListener {
  data(data: string, seq: number): void;
  exit(exitCode: number, signal: number | null): void;
  /** the pty host went away with the session */
  lost(reason: string): void;
}

const listeners = new Map<string, SessionListener>();
const early = new Map<
  string,
  { at: number; items: Array<{ data: string; seq: number }>; exit?: [number, number | null] }
>();
let unsubscribe: (() => void) | null = null;
const EARLY_MS = 10_000;
const EARLY_MAX_CHARS = 2_000_000;

function ensureSubscribed(): void {
  if (unsubscribe) return;
  const offData = api.on('terminal:data', (p) => {
    const l = listeners.get(p.id);
    if (l) return l.data(p.data, p.seq);
    holdEarly(p.id).items.push({ data: p.data, seq: p.seq });
  });
  const offExit = api.on('terminal:exit', (p) => {
    const l = listeners.get(p.id);
    if (l) return l.exit(p.exitCode, p.signal);
    holdEarly(p.id).exit = [p.exitCode, p.signal];
  });
  // the pty host died or was stopped: its sessions are gone, so every tab learns it now
  const offHost = api.on('app:hostState', (h) => {
    if (h.name !== 'pty' || h.state === 'running' || h.state === 'starting') return;
    for (const [id, l] of [...listeners]) {
      listeners.delete(id);
      l.lost(h.lastError ?? h.state);
    }
  });
  unsubscribe = () => {
    offData();
    offExit();
    offHost();
  };
}

function holdEarly(id: string): {
  at: number;
  items: Array<{ data: string; seq: number }>;
  exit?: [number, number | null];
} {
  const now = Date.now();
  for (const [k, v] of early) if (now - v.at > EARLY_MS) early.delete(k);
  let e = early.get(id);
  if (!e) early.set(id, (e = { at: now, items: [] }));
  const size = e.items.reduce((n, x) => n + x.data.length, 0);
  if (size > EARLY_MAX_CHARS) e.items.splice(0, Math.ceil(e.items.length / 2));
  return e;
}

/** Subscribes before the session exists (call it before terminal:create). */
export function prepareTerminalEvents(): void {
  ensureSubscribed();
}

export function listenSession(id: string, l: SessionListener): () => void {
  ensureSubscribed();
  listeners.set(id, l);
  const held = early.get(id);
  if (held) {
    early.delete(id);
    for (const x of held.items) l.data(x.data, x.seq);
    if (held.exit) l.exit(held.exit[0], held.exit[1]);
  }
  return () => {
    if (listeners.get(id) === l) listeners.delete(id);
    if (listeners.size === 0 && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
  };
}

/**
 * The renderer's only door to the backend. Two transports, one contract:
 *  - Electron: the preload exposes `window.api` (one function per channel + `on`).
 *  - serve mode: a WebSocket to the loopback server that served this page (token from the URL).
 * Components import `api` from here and nothing else that talks to the backend.
 */
import type { Api, ChannelName, EventName, EventPayloadOf, RequestOf, ResponseOf } from '@shared/contract';
import type { ProblemCode } from '@shared/problems';

/** An error from the backend with its problem code. */
export class ApiError extends Error {
  constructor(
    readonly problem: ProblemCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = (payload: unknown) => void;

interface PreloadApi {
  [channel: string]: unknown;
  on(event: string, listener: Listener): () => void;
}

declare global {
  interface Window {
    api?: PreloadApi;
  }
}

type Reply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; problem: ProblemCode; message: string };
type Push = { event: string; payload: unknown };

export type ConnectionState = 'connecting' | 'open' | 'closed';

class WebSocketApi implements Api {
  private ws: WebSocket | null = null;
  private opened: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: ApiError) => void }
  >();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private retry = 0;

  constructor(private readonly url: string) {}

  onState(cb: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(cb);
    return () => this.stateListeners.delete(cb);
  }

  private setState(s: ConnectionState): void {
    for (const cb of this.stateListeners) cb(s);
  }

  private connect(): Promise<WebSocket> {
    if (this.opened) return this.opened;
    this.setState('connecting');
    this.opened = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.onopen = () => {
        // for the UI bench (test/bench/ui.ts): when the first connection opened
        if (performance.getEntriesByName('ainl:ws-open').length === 0) performance.mark('ainl:ws-open');
        this.ws = ws;
        this.retry = 0;
        this.setState('open');
        resolve(ws);
      };
      ws.onmessage = (e) => this.onMessage(String(e.data));
      ws.onclose = () => {
        this.ws = null;
        this.opened = null;
        this.setState('closed');
        for (const [, p] of this.pending)
          p.reject(new ApiError('unavailable', 'connection to the backend closed'));
        this.pending.clear();
        reject(new ApiError('unavailable', 'cannot reach the backend'));
        // reconnect while someone listens for events
        if (this.listeners.size > 0) {
          const delay = Math.min(10_000, 500 * 2 ** this.retry++);
          setTimeout(() => void this.connect().catch(() => undefined), delay);
        }
      };
    });
    return this.opened;
  }

  private onMessage(text: string): void {
    let msg: Reply | Push;
    try {
      msg = JSON.parse(text) as Reply | Push;
    } catch {
      return;
    }
    if ('event' in msg) {
      for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new ApiError(msg.problem, msg.message));
  }

  async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const ws = await this.connect();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, channel, payload: request }));
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    void this.connect().catch(() => undefined);
    return () => {
      set.delete(listener as Listener);
      if (set.size === 0) this.listeners.delete(event);
    };
  }
}

class ElectronApi implements Api {
  constructor(private readonly bridge: PreloadApi) {}

  async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const fn = this.bridge[channel];
    if (typeof fn !== 'function') throw new ApiError('not-found', `unknown channel: ${channel}`);
    const reply = (await (fn as (r: unknown) => Promise<Reply>)(request)) as Reply;
    if (reply.ok) return reply.value as ResponseOf<C>;
    throw new ApiError(reply.problem, reply.message);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    return this.bridge.on(event, listener as Listener);
  }
}

function createApi(): Api & { transport: 'electron' | 'websocket'; onState?: WebSocketApi['onState'] } {
  if (typeof window !== 'undefined' && window.api) {
    return Object.assign(new ElectronApi(window.api), { transport: 'electron' as const });
  }
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? sessionStorage.getItem('ainl-token') ?? '';
  if (token) sessionStorage.setItem('ainl-token', token);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocketApi(`${proto}//${location.host}/api?token=${encodeURIComponent(token)}`);
  return Object.assign(ws, { transport: 'websocket' as const, onState: ws.onState.bind(ws) });
}

export const api = createApi();

import { loadConfig } from '../services/config/loader';
import { Dispatcher, type Emit } from '../services/core/dispatcher';
import type { EventRecorder, ServiceContext, ServiceFactory, ServiceModule } from '../services/core/module';
import { createLogger } from '../services/core/logger';
import { connectParent } from './parentPort';
import type { FromHost } from '../shared/hostProtocol';

/** What composes services into a running set; shared by host processes, serve mode and CLIs. */
export interface ComposedServices {
  dispatcher: Dispatcher;
  modules: ServiceModule[];
  ctx: ServiceContext;
  dispose(): Promise<void>;
}

const noRecorder: EventRecorder = { record: () => undefined };

/**
 * Starts each factory in order; a factory that throws is logged and skipped (its channels then
 * answer `unavailable`), so one broken service never takes the others down.
 */
export async function composeServices(
  name: string,
  factories: Array<[string, ServiceFactory]>,
  emit: Emit,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ComposedServices> {
  const log = createLogger(name);
  const loaded = loadConfig(env);
  for (const p of loaded.problems) log.warn(`config: ${p.source}: ${p.path}: ${p.message}`);
  const dispatcher = new Dispatcher();
  let recorder: EventRecorder = noRecorder;
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();
  const fanOut: Emit = (event, payload) => {
    for (const l of subscribers.get(event) ?? []) {
      try {
        l(payload);
      } catch (err) {
        log.warn(`listener of ${event} failed: ${(err as Error).message}`);
      }
    }
    emit(event, payload);
  };
  const ctx: ServiceContext = {
    config: loaded.config,
    configProblems: loaded.problems,
    paths: loaded.paths,
    emit: fanOut,
    log,
    // delegates, so a module started before the Quest Log still reaches its recorder later
    events: { record: (e) => recorder.record(e) },
    call: ((channel: string, request: unknown) =>
      dispatcher.call(channel, request, { transport: 'internal' })) as ServiceContext['call'],
    subscribe: ((event: string, listener: (payload: unknown) => void) => {
      let set = subscribers.get(event);
      if (!set) subscribers.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    }) as ServiceContext['subscribe'],
  };
  const modules: ServiceModule[] = [];
  for (const [label, factory] of factories) {
    try {
      const mod = await factory({ ...ctx, log: log.child(label) });
      dispatcher.register(mod.handlers);
      if (mod.recorder) recorder = mod.recorder;
      modules.push(mod);
    } catch (err) {
      log.error(`service ${label} failed to start: ${(err as Error).message}`);
    }
  }
  return {
    dispatcher,
    modules,
    ctx,
    dispose: async () => {
      for (const m of [...modules].reverse()) {
        try {
          await m.dispose();
        } catch (err) {
          log.warn(`service ${m.name} dispose failed: ${(err as Error).message}`);
        }
      }
    },
  };
}

/** Runs a host process: composes services and serves the host protocol to its parent. */
export async function runHost(name: string, factories: Array<[string, ServiceFactory]>): Promise<void> {
  const parent = connectParent();
  const post = (m: FromHost): void => parent.post(m);
  const emit: Emit = (event, payload) => post({ t: 'event', name: event, payload });
  const composed = await composeServices(name, factories, emit);
  let shuttingDown = false;
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    await composed.dispose();
    process.exit(code);
  };
  parent.onMessage((msg) => {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.t) {
      case 'ping':
        post({ t: 'pong', n: msg.n });
        break;
      case 'invoke':
        void composed.dispatcher
          .invoke(msg.channel, msg.payload, { transport: 'internal' })
          .then((r) =>
            post(
              r.ok
                ? { t: 'result', id: msg.id, ok: true, value: r.value }
                : { t: 'result', id: msg.id, ...r },
            ),
          );
        break;
      case 'shutdown':
        void shutdown(0);
        break;
    }
  });
  process.on('SIGTERM', () => void shutdown(0));
  process.on('disconnect', () => void shutdown(0));
  process.on('uncaughtException', (err) => {
    composed.ctx.log.error(`uncaught: ${err.stack ?? err.message}`);
  });
  process.on('unhandledRejection', (err) => {
    composed.ctx.log.error(`unhandled rejection: ${String(err)}`);
  });
  const channelsServed = composed.modules.flatMap((m) => Object.keys(m.handlers));
  post({ t: 'ready', channels: channelsServed });
}

import type { AppConfig } from '../../shared/config/schema';
import type { ChannelName, EventName, EventPayloadOf, RequestOf, ResponseOf } from '../../shared/contract';
import type { ConfigProblem } from '../../shared/contract/system';
import type { AppPaths } from '../config/paths';
import type { Emit, HandlerMap } from './dispatcher';
import type { Logger } from './logger';

/** A system event any component records in the Quest Log (alerts, healing actions, suggestions …). */
export interface RecordedEvent {
  /** e.g. 'alert.fired', 'alert.resolved', 'healing.restart', 'assistant.suggestion', 'unit.failed' */
  type: string;
  /** the component that wrote it: 'monitor', 'healing', 'assistant', 'journald' … */
  source: string;
  severity: 'debug' | 'info' | 'warning' | 'error' | 'critical';
  message: string;
  data?: Record<string, unknown>;
  /** epoch milliseconds; defaults to now */
  ts?: number;
}

/** The one `events` API other components write through (implemented by the Quest Log). */
export interface EventRecorder {
  record(event: RecordedEvent): void;
}

export interface ServiceContext {
  config: AppConfig;
  configProblems: ConfigProblem[];
  paths: AppPaths;
  emit: Emit;
  log: Logger;
  /** Set once the Quest Log has started; a no-op recorder before that or without it. */
  events: EventRecorder;
  /** Calls another service's channel in the same process (validated like any call). */
  call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Listens to push events of the services in the same process; returns the disposer. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}

/** A domain service as the background host (or serve mode, or a CLI) composes it. */
export interface ServiceModule {
  name: string;
  handlers: HandlerMap;
  /** Optional: offered to later modules as ctx.events (the Quest Log provides it). */
  recorder?: EventRecorder;
  dispose(): void | Promise<void>;
}

export type ServiceFactory = (ctx: ServiceContext) => ServiceModule | Promise<ServiceModule>;

/**
 * The one typed API between the renderer (or any client) and the backend.
 *
 * Every channel is `domain:verb` with a zod schema for its request and its response; every push
 * event is `domain:event` with a schema for its payload. Both transports (Electron IPC through the
 * preload, and the loopback WebSocket of `serve` mode) carry exactly this contract, and every
 * receiving side validates with these schemas.
 */
import type { z } from 'zod';
import type { ChannelDef, EventDef } from './define';
import { systemChannels, systemEvents } from './system';
import { questlogChannels, questlogEvents } from './questlog';
import { monitorChannels, monitorEvents } from './monitor';
import { healingChannels, healingEvents } from './healing';
import { assistantChannels, assistantEvents } from './assistant';
import { terminalChannels, terminalEvents } from './terminal';
import { installChannels, installEvents } from './install';
import { fleetChannels, fleetEvents } from './fleet';

export const channels = {
  ...systemChannels,
  ...questlogChannels,
  ...monitorChannels,
  ...healingChannels,
  ...assistantChannels,
  ...terminalChannels,
  ...installChannels,
  ...fleetChannels,
} satisfies Record<string, ChannelDef>;

export const events = {
  ...systemEvents,
  ...questlogEvents,
  ...monitorEvents,
  ...healingEvents,
  ...assistantEvents,
  ...terminalEvents,
  ...installEvents,
  ...fleetEvents,
} satisfies Record<string, EventDef>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels & string;
export type Events = typeof events;
export type EventName = keyof Events & string;

/** What a caller passes (schema input: defaults may be omitted). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What a handler receives after validation (schema output). */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

const NAME_RE = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** Every name must be `domain:verb`; checked by a unit test so a typo never ships. */
export function contractNameProblems(): string[] {
  return [...CHANNEL_NAMES, ...EVENT_NAMES].filter((n) => !NAME_RE.test(n));
}

/** The whole client-side API: one async function per channel, one subscription per event. */
export type Api = {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
};

export { channel, event } from './define';
export type { ChannelDef, EventDef } from './define';

import {
  channels,
  isChannelName,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/contract';
import { Problem, toProblem, type ProblemShape } from '../../shared/problems';
import { formatZodError } from '../../shared/validation';

/** Who is calling: used for logs and for channels that care (never trusted for authorization). */
export interface CallContext {
  transport: 'electron' | 'websocket' | 'cli' | 'internal';
  signal?: AbortSignal;
}

export type Handler<C extends ChannelName> = (
  request: ParsedRequestOf<C>,
  ctx: CallContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type HandlerMap = { [C in ChannelName]?: Handler<C> };

export type Emit = <E extends EventName>(event: E, payload: EventPayloadOf<E>) => void;

export type InvokeResult = { ok: true; value: unknown } | ({ ok: false } & ProblemShape);

/**
 * Validates and routes contract calls to registered handlers. Transport-independent: the
 * background host, serve mode and tests all use it, so validation happens the same way everywhere.
 */
export class Dispatcher {
  private readonly handlers = new Map<ChannelName, Handler<ChannelName>>();

  register(map: HandlerMap): () => void {
    const names = Object.keys(map) as ChannelName[];
    for (const name of names) {
      if (!isChannelName(name)) throw new Error(`not a contract channel: ${name}`);
      if (this.handlers.has(name)) throw new Error(`channel registered twice: ${name}`);
      this.handlers.set(name, map[name] as Handler<ChannelName>);
    }
    return () => names.forEach((n) => this.handlers.delete(n));
  }

  has(channel: string): boolean {
    return isChannelName(channel) && this.handlers.has(channel);
  }

  /** Validates the raw payload, runs the handler, validates the response. Never throws. */
  async invoke(channel: unknown, payload: unknown, ctx: CallContext): Promise<InvokeResult> {
    try {
      const value = await this.call(channel, payload, ctx);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, ...toProblem(err) };
    }
  }

  /** Like invoke, but throws a Problem. */
  async call(channel: unknown, payload: unknown, ctx: CallContext): Promise<unknown> {
    if (!isChannelName(channel))
      throw new Problem('not-found', `unknown channel: ${String(channel).slice(0, 80)}`);
    const def = channels[channel];
    const parsed = def.request.safeParse(payload ?? {});
    if (!parsed.success) {
      throw new Problem('invalid-input', `${channel}: ${formatZodError(parsed.error)}`);
    }
    const handler = this.handlers.get(channel);
    if (!handler) throw new Problem('unavailable', `${channel} is not served by this process`);
    const result = await handler(parsed.data as never, ctx);
    const checked = def.response.safeParse(result);
    if (!checked.success) {
      throw new Problem(
        'internal-error',
        `${channel} produced an invalid response: ${formatZodError(checked.error)}`,
      );
    }
    return checked.data;
  }
}

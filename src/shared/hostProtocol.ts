/** Messages between a supervisor (main or serve) and a host process (background host, pty host). */
import type { ProblemCode } from './problems';

export type ToHost =
  | { t: 'invoke'; id: number; channel: string; payload: unknown }
  | { t: 'ping'; n: number }
  | { t: 'shutdown' };

export type FromHost =
  | { t: 'ready'; channels: string[] }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; problem: ProblemCode; message: string }
  | { t: 'event'; name: string; payload: unknown }
  | { t: 'pong'; n: number }
  | { t: 'fatal'; message: string };

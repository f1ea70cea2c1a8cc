// Channels and push events of the terminal domain (served by the pty host). See contract/index.ts.
import { z } from 'zod';
import { channel, event } from './define';

/** Limits shared by the pty host (enforced) and the renderer (respected). */
export const TERMINAL_LIMITS = {
  minCols: 2,
  maxCols: 1000,
  minRows: 1,
  maxRows: 500,
  /** one terminal:write carries at most this many UTF-16 code units */
  maxWriteChars: 64 * 1024,
  /** sessions one pty host keeps at once */
  maxSessions: 64,
  /** flow control: the host pauses a pty above this many unacknowledged chars ... */
  highWatermarkChars: 100_000,
  /** ... and resumes it below this many */
  lowWatermarkChars: 5_000,
  /** the renderer acks after this many chars have been written to xterm */
  ackBatchChars: 5_000,
} as const;

/** Session ids are short opaque tokens made by the host (e.g. `t1-k3x9`). */
export const TerminalId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'a terminal id is letters, digits, "-" or "_"');

const Cols = z.number().int().min(TERMINAL_LIMITS.minCols).max(TERMINAL_LIMITS.maxCols);
const Rows = z.number().int().min(TERMINAL_LIMITS.minRows).max(TERMINAL_LIMITS.maxRows);

export const TerminalInfo = z.object({
  id: TerminalId,
  /** absolute path of the shell that runs in the session */
  shell: z.string(),
  pid: z.number().int(),
  cols: z.number().int(),
  rows: z.number().int(),
  /** the shell's current directory (read from /proc; the start directory if unreadable) */
  cwd: z.string(),
  /** name of the foreground process (e.g. `bash`, `vim`) */
  process: z.string(),
  /** true when the Quest Log shell hook was loaded into this session */
  questlogHook: z.boolean(),
  /** true while output is held back waiting for acks (flow control) */
  paused: z.boolean(),
  /** chars sent as terminal:data and not yet acknowledged */
  unackedChars: z.number().int(),
  createdAt: z.number(),
});
export type TerminalInfo = z.infer<typeof TerminalInfo>;

const Empty = z.object({}).strict();

export const terminalChannels = {
  'terminal:create': channel(
    z
      .object({
        cols: Cols,
        rows: Rows,
        /** absolute path of an existing directory; default $HOME */
        cwd: z.string().min(1).max(4096).optional(),
        /** absolute path of a shell listed in /etc/shells (or `bash` / `zsh`); default $SHELL, else /bin/bash */
        shell: z.string().min(1).max(4096).optional(),
        /** disable flow control for clients that never ack (CLIs, tests); default true */
        flowControl: z.boolean().optional(),
      })
      .strict(),
    z.object({
      id: TerminalId,
      shell: z.string(),
      pid: z.number().int(),
      cwd: z.string(),
      questlogHook: z.boolean(),
    }),
    'Starts a shell in a new pseudo-terminal; its output arrives as terminal:data events.',
  ),
  'terminal:write': channel(
    z
      .object({
        id: TerminalId,
        data: z
          .string()
          .max(TERMINAL_LIMITS.maxWriteChars, `at most ${TERMINAL_LIMITS.maxWriteChars} chars per write`),
      })
      .strict(),
    Empty,
    'Writes keyboard input (or pasted text) to a session.',
  ),
  'terminal:resize': channel(
    z.object({ id: TerminalId, cols: Cols, rows: Rows }).strict(),
    Empty,
    'Changes the size of a session (the shell gets SIGWINCH).',
  ),
  'terminal:close': channel(
    z.object({ id: TerminalId }).strict(),
    Empty,
    'Ends a session (SIGHUP to its shell); a terminal:exit event follows.',
  ),
  'terminal:ack': channel(
    z.object({ id: TerminalId, chars: z.number().int().min(0).max(100_000_000) }).strict(),
    Empty,
    'Flow control: the client has written this many more chars of terminal:data to its screen.',
  ),
  'terminal:list': channel(Empty, z.object({ sessions: z.array(TerminalInfo) }), 'The running sessions.'),
};

export const terminalEvents = {
  'terminal:data': event(
    z.object({
      id: TerminalId,
      /** whole UTF-8 characters only; at most ~100 KB per event */
      data: z.string(),
      /** 1, 2, 3 … per session: a gap means lost output */
      seq: z.number().int(),
    }),
    'Output of a session, batched (~16 ms or ~100 KB).',
  ),
  'terminal:exit': event(
    z.object({ id: TerminalId, exitCode: z.number().int(), signal: z.number().int().nullable() }),
    'A session ended; all of its output has been sent before this event.',
  ),
};

/**
 * Natural-language lines typed into the AI terminal: `?? how big is this folder` or
 * `# list open ports`. Returns the request text, or null for an ordinary shell line.
 * A `#` line needs a space after the hash and at least two words, so `#!`, `#comment` and
 * a lone `# x` stay shell comments.
 */
export function naturalLanguageRequest(line: string): string | null {
  const m = /^\s*(\?\?|#)\s+(\S.*)$/s.exec(line);
  if (!m) return null;
  const text = (m[2] ?? '').trim();
  if (!text) return null;
  if (m[1] === '#' && text.split(/\s+/).length < 2) return null;
  return text;
}

/**
 * A small structured logger writing one line per record to stderr (stdout stays clean for
 * `--json` output). Values under keys that look secret are replaced before anything is written.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /(pass(word)?|secret|token|api[_-]?key|authorization|cookie|credential)/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEY.test(k)) out[k] = '[redacted]';
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out[k] = redactFields(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

export function createLogger(
  scope: string,
  opts: { level?: Level; write?: (line: string) => void } = {},
): Logger {
  const min = ORDER[opts.level ?? ((process.env.AINL_LOG_LEVEL as Level) || 'info')] ?? ORDER.info;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return;
    const extra = fields ? ' ' + JSON.stringify(redactFields(fields)) : '';
    write(`${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${msg}${extra}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (s) => createLogger(`${scope}:${s}`, opts),
  };
}

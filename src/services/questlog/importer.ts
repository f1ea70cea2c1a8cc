/**
 * Importers for existing shell histories: bash (plain or with HISTTIMEFORMAT `#<epoch>` lines),
 * zsh (plain or EXTENDED_HISTORY `: <epoch>:<elapsed>;<command>`, metafied bytes) and fish
 * (`- cmd:` / `when:`). Entries keep their order; untimed entries get synthetic times 1 ms apart
 * ending at the file's modification time (or before the first timed entry). Imported rows get
 * the session `import:<shell>:<file>`, exit -1 and duration -1; a unique index on
 * (session, ts, command) makes a re-run of an unchanged file import nothing twice.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Problem } from '../../shared/problems';
import { MAX_COMMAND_CHARS } from './spool';
import type { NewCommand, QuestlogStore } from './store';

export type HistoryFormat = 'bash' | 'zsh' | 'fish';

export interface HistoryEntry {
  command: string;
  /** epoch ms, or null when the file has no time for it */
  ts: number | null;
  duration?: number;
}

export interface ParseResult {
  entries: HistoryEntry[];
  warnings: string[];
}

const MAX_FILE = 512 * 1024 * 1024;

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  let nul = 0;
  for (let i = 0; i < n; i++) if (buf[i] === 0) nul++;
  return nul > 0;
}

function cap(text: string, warnings: string[], line: number): string {
  if (text.length <= MAX_COMMAND_CHARS) return text;
  warnings.push(`line ${line}: a ${text.length} character command was cut to ${MAX_COMMAND_CHARS}`);
  return `${text.slice(0, MAX_COMMAND_CHARS)} …[truncated ${text.length - MAX_COMMAND_CHARS} characters]`;
}

function decode(buf: Buffer, warnings: string[]): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad) warnings.push(`${bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD`);
  return text;
}

export function parseBash(buf: Buffer): ParseResult {
  const warnings: string[] = [];
  const lines = decode(buf, warnings).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const entries: HistoryEntry[] = [];
  let ts: number | null = null;
  let lastTs = 0;
  lines.forEach((line, i) => {
    const m = /^#(\d{9,11})$/.exec(line.trimEnd());
    if (m) {
      ts = Number(m[1]) * 1000;
      if (ts < lastTs) warnings.push(`line ${i + 1}: timestamp goes back in time`);
      lastTs = ts;
      return;
    }
    if (line.trim() === '') return;
    entries.push({ command: cap(line, warnings, i + 1), ts });
    ts = null;
  });
  return { entries, warnings };
}

/** zsh stores some bytes "metafied": 0x83 followed by the byte XOR 0x20. */
function unmetafy(buf: Buffer): Buffer {
  if (!buf.includes(0x83)) return buf;
  const out = Buffer.alloc(buf.length);
  let j = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] as number;
    if (b === 0x83 && i + 1 < buf.length) out[j++] = (buf[++i] as number) ^ 0x20;
    else out[j++] = b;
  }
  return out.subarray(0, j);
}

export function parseZsh(raw: Buffer): ParseResult {
  const warnings: string[] = [];
  const lines = decode(unmetafy(raw), warnings).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const entries: HistoryEntry[] = [];
  let cur: { text: string; ts: number | null; duration?: number; line: number } | null = null;
  const push = (): void => {
    if (cur && cur.text.trim() !== '') {
      entries.push({ command: cap(cur.text, warnings, cur.line), ts: cur.ts, duration: cur.duration });
    }
    cur = null;
  };
  lines.forEach((line, i) => {
    if (cur && cur.text.endsWith('\\')) {
      cur.text = `${cur.text.slice(0, -1)}\n${line}`;
      return;
    }
    push();
    const m = /^: ?(\d{9,11}):(\d+);([\s\S]*)$/.exec(line);
    if (m) cur = { text: m[3] ?? '', ts: Number(m[1]) * 1000, duration: Number(m[2]) * 1000, line: i + 1 };
    else cur = { text: line, ts: null, line: i + 1 };
  });
  push();
  return { entries, warnings };
}

function unescapeFish(s: string): string {
  return s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export function parseFish(buf: Buffer): ParseResult {
  const warnings: string[] = [];
  const lines = decode(buf, warnings).split('\n');
  const entries: HistoryEntry[] = [];
  let lastTs: number | null = null;
  lines.forEach((line, i) => {
    const cmd = /^- cmd: (.*)$/.exec(line);
    if (cmd) {
      entries.push({ command: cap(unescapeFish(cmd[1] ?? ''), warnings, i + 1), ts: null });
      return;
    }
    const when = /^ {2}when: (.*)$/.exec(line);
    if (when) {
      const last = entries.at(-1);
      const t = Number(when[1]);
      if (!Number.isFinite(t) || t <= 0 || !/^\d+$/.test((when[1] ?? '').trim())) {
        warnings.push(`line ${i + 1}: bad "when:" value; keeping the previous time`);
        if (last) last.ts = lastTs;
      } else if (last) {
        last.ts = t * 1000;
        lastTs = last.ts;
      }
      return;
    }
    if (line.trim() && !/^ {2}(paths:|- )/.test(line))
      warnings.push(`line ${i + 1}: not fish history syntax; skipped`);
  });
  return { entries: entries.filter((e) => e.command.trim() !== ''), warnings };
}

/** Default history file for a shell (as the shells themselves choose it). */
export function defaultHistoryFile(format: HistoryFormat, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  if (format === 'bash') return env.HISTFILE || join(home, '.bash_history');
  if (format === 'zsh') {
    if (env.HISTFILE) return env.HISTFILE;
    for (const f of ['.zsh_history', '.zhistory', '.histfile']) {
      try {
        statSync(join(home, f));
        return join(home, f);
      } catch {
        // next
      }
    }
    return join(home, '.zsh_history');
  }
  const data =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(home, '.local', 'share');
  return join(data, 'fish', 'fish_history');
}

/** Guesses the format from the content. */
export function detectFormat(buf: Buffer): HistoryFormat {
  const head = buf.subarray(0, 4096).toString('latin1');
  if (/^- cmd: /m.test(head)) return 'fish';
  if (/^: \d{9,11}:\d+;/m.test(head)) return 'zsh';
  return 'bash';
}

/** Assigns times to untimed entries: 1 ms apart, before the next timed entry or ending at `endMs`. */
export function assignTimes(entries: HistoryEntry[], endMs: number): number[] {
  const out = new Array<number>(entries.length);
  let next = endMs;
  for (let i = entries.length - 1; i >= 0; i--) {
    const t = entries[i]?.ts ?? null;
    if (t !== null) {
      out[i] = t;
      next = t;
    } else {
      next -= 1;
      out[i] = next;
    }
  }
  return out;
}

export interface ImportOptions {
  format?: HistoryFormat;
  file?: string;
  user?: string;
  host?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportResult {
  file: string;
  format: HistoryFormat;
  entries: number;
  imported: number;
  skipped: number;
  warnings: string[];
}

export function importHistory(store: QuestlogStore, opts: ImportOptions): ImportResult {
  const file = resolve(opts.file ?? defaultHistoryFile(opts.format ?? 'bash'));
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Problem(
      code === 'EACCES' ? 'access-denied' : 'not-found',
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}`,
    );
  }
  if (!st.isFile()) throw new Problem('invalid-input', `${file} is not a regular file`);
  if (st.size > MAX_FILE)
    throw new Problem('invalid-input', `${file} is larger than ${MAX_FILE} bytes; not a history file?`);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new Problem(
      'access-denied',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  if (looksBinary(buf))
    throw new Problem('invalid-input', `${file} looks binary (contains NUL bytes); not a shell history file`);
  const format = opts.format ?? detectFormat(buf);
  const parsed = format === 'fish' ? parseFish(buf) : format === 'zsh' ? parseZsh(buf) : parseBash(buf);
  // Files only grow between imports (shells append): remember how many entries were imported and
  // a hash of them, and import only what follows when that prefix is unchanged. Untimed entries
  // get synthetic times, so this (not the unique index) is what keeps re-runs idempotent.
  const stateKey = `import:${format}:${file}`;
  const hashOf = (n: number): string => {
    const h = createHash('sha256');
    for (let i = 0; i < n; i++) {
      const e = parsed.entries[i] as HistoryEntry;
      h.update(`${e.ts ?? ''}\x1f${e.command}\x1e`);
    }
    return h.digest('hex');
  };
  let already = 0;
  const saved = store.readonly ? null : store.getMeta(stateKey);
  if (saved) {
    try {
      const st0 = JSON.parse(saved) as { entries?: number; hash?: string };
      const n = Number(st0.entries);
      if (Number.isInteger(n) && n > 0 && n <= parsed.entries.length && hashOf(n) === st0.hash) already = n;
      else
        parsed.warnings.push(
          'the file changed since the last import (rewritten or truncated); importing all entries again, timed ones are not duplicated',
        );
    } catch {
      already = 0;
    }
  }
  const todo = parsed.entries.slice(already);
  const times = assignTimes(todo, Math.floor(st.mtimeMs));
  const session = `import:${format}:${file}`;
  let imported = 0;
  const BATCH = 5000;
  for (let i = 0; i < todo.length; i += BATCH) {
    const rows: NewCommand[] = [];
    for (let j = i; j < Math.min(i + BATCH, todo.length); j++) {
      const e = todo[j] as HistoryEntry;
      rows.push({
        ts: times[j] as number,
        duration: e.duration ?? -1,
        exit: -1,
        command: e.command,
        cwd: '',
        user: opts.user ?? '',
        host: opts.host ?? '',
        session,
        shell: format,
      });
    }
    imported += store.insertCommands(rows).inserted;
    opts.onProgress?.(already + Math.min(i + BATCH, todo.length), parsed.entries.length);
  }
  store.setMeta(
    stateKey,
    JSON.stringify({ entries: parsed.entries.length, hash: hashOf(parsed.entries.length), at: Date.now() }),
  );
  return {
    file,
    format,
    entries: parsed.entries.length,
    imported,
    skipped: parsed.entries.length - imported,
    warnings: parsed.warnings,
  };
}

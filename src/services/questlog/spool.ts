/**
 * Spool ingestion. Every shell appends records to its own file `<dir>/<shell>-<pid>-<session>.spool`:
 *   H US shell US session US user US host US tty US pid RS          (header, once)
 *   h|c US exit US start US end US cwd US text RS                    (one per command)
 * (US = 0x1f, RS = 0x1e). Times are integer microseconds (bash) or seconds with a fraction (zsh).
 * Kind `h` carries `history 1` output: the history number decides whether bash kept the line
 * (an unchanged number means the line was deliberately left out of history: not recorded).
 *
 * Reading a file, inserting its records and saving the new offset happen in one write
 * transaction, with the offset read inside it: a crash at any point neither loses nor repeats a
 * record, and two ingesters (daemon and CLI) never ingest the same bytes twice.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { NewCommand, QuestlogStore } from './store';

const US = 0x1f;
const RS = 0x1e;
/** Longest command text stored; longer ones are cut and marked. */
export const MAX_COMMAND_CHARS = 65_536;
/** Bytes read from one spool per transaction (bounds lock time with a big backlog). */
const CHUNK = 4 * 1024 * 1024;
/** A single record larger than this is skipped as corrupt. */
const MAX_RECORD = 2 * 1024 * 1024;

export interface SpoolHeader {
  shell: string;
  session: string;
  user: string;
  host: string;
  tty: string;
  pid: number;
}

export interface IngestResult {
  files: number;
  commands: number;
  /** Records skipped: private (leading space, history-ignored) or while incognito. */
  skipped: number;
  /** Records that could not be parsed, or a partial last record of a shell that died. */
  corrupt: number;
  lastId: number | null;
  removed: number;
  problems: string[];
}

export interface IngestOptions {
  incognito?: boolean;
  /** Treat a file as finished when its shell is gone (default: check the pid). */
  isAlive?: (h: SpoolHeader | null, file: string) => boolean;
  now?: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function parseTime(s: string): number | null {
  if (!s) return null;
  if (/^\d+$/.test(s)) {
    const us = Number(s);
    // bash gives microseconds; tolerate seconds or milliseconds from a hand-written spool
    if (us > 1e14) return us / 1000;
    if (us > 1e11) return us;
    return us * 1000;
  }
  const f = Number(s.replace(',', '.'));
  return Number.isFinite(f) && f > 0 ? f * 1000 : null;
}

export function parseHeader(rec: Buffer): SpoolHeader | null {
  const parts = decoder.decode(rec).split('\x1f');
  if (parts[0] !== 'H' || parts.length < 7) return null;
  return {
    shell: parts[1] ?? '',
    session: parts[2] ?? '',
    user: parts[3] ?? '',
    host: parts[4] ?? '',
    tty: parts[5] ?? '',
    pid: Number(parts[6]) || 0,
  };
}

export interface ParsedRecord {
  kind: 'h' | 'c';
  exit: number;
  start: number | null;
  end: number | null;
  cwd: string;
  text: string;
  hist: number | null;
}

/** Value of an all-digit ASCII field buf[a, b), or -1 when it is empty, too long or not all digits. */
function digitsAt(buf: Buffer, a: number, b: number): number {
  if (b <= a || b - a > 16) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = (buf[i] as number) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function timeAt(buf: Buffer, a: number, b: number): number | null {
  const v = digitsAt(buf, a, b);
  if (v < 0) return parseTime(buf.toString('latin1', a, b)); // fractional seconds (zsh), empty, odd
  if (v > 1e14) return v / 1000;
  if (v > 1e11) return v;
  return v * 1000;
}

export function parseRecord(rec: Buffer): ParsedRecord | null {
  return parseRecordAt(rec, 0, rec.length);
}

/**
 * Parses the record buf[start, end) (without its RS). Works on the bytes: only the directory and
 * the text are decoded (UTF-8, invalid bytes become U+FFFD); this runs once per command ingested.
 */
export function parseRecordAt(buf: Buffer, start: number, end: number): ParsedRecord | null {
  // the first five fields end at US; the rest (the text) may contain anything but RS
  let i0 = -1;
  let i1 = -1;
  let i2 = -1;
  let i3 = -1;
  let i4 = -1;
  for (let i = start, k = 0; i < end; i++) {
    if (buf[i] !== US) continue;
    if (k === 0) i0 = i;
    else if (k === 1) i1 = i;
    else if (k === 2) i2 = i;
    else if (k === 3) i3 = i;
    else {
      i4 = i;
      break;
    }
    k++;
  }
  if (i4 < 0) return null;
  const k0 = buf[start];
  if (i0 !== start + 1 || (k0 !== 0x68 /* h */ && k0 !== 0x63) /* c */) return null;
  const kind = k0 === 0x68 ? 'h' : 'c';
  const e = i1 - i0 - 1 <= 3 ? digitsAt(buf, i0 + 1, i1) : -1;
  const exit = e;
  const startT = timeAt(buf, i1 + 1, i2);
  const endT = timeAt(buf, i2 + 1, i3);
  const cwd = i4 > i3 + 1 ? buf.toString('utf8', i3 + 1, i4) : '';
  let t = i4 + 1;
  let hist: number | null = null;
  if (kind === 'h') {
    // `history 1` output: spaces, the number, '*' (modified) or ' ', a space, the line, a newline
    while (t < end && buf[t] === 0x20) t++;
    const d = t;
    while (t < end && (buf[t] as number) >= 0x30 && (buf[t] as number) <= 0x39) t++;
    if (t === d || t + 2 > end) return null;
    if ((buf[t] !== 0x2a && buf[t] !== 0x20) || buf[t + 1] !== 0x20) return null;
    hist = t - d > 16 ? Number(buf.toString('latin1', d, t)) : digitsAt(buf, d, t);
    t += 2;
  }
  let textEnd = end;
  if (kind === 'h' && textEnd > t && buf[textEnd - 1] === 0x0a) textEnd--;
  const text = textEnd > t ? buf.toString('utf8', t, textEnd) : '';
  return { kind, exit, start: startT, end: endT, cwd, text, hist };
}

function pidAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const thisHost = hostname();

function defaultAlive(h: SpoolHeader | null, file: string, now: number): boolean {
  let mtime: number;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return false;
  }
  if (!h) return now - mtime < 60_000; // no header yet: give the shell a minute
  if (h.host && h.host !== thisHost && h.host.split('.')[0] !== thisHost.split('.')[0]) {
    return now - mtime < 7 * 86_400_000; // another machine's shell (shared home)
  }
  return pidAlive(h.pid);
}

function readHeader(fd: number): { header: SpoolHeader | null; end: number } {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, 0);
  const rs = buf.subarray(0, n).indexOf(RS);
  if (rs < 0) return { header: null, end: -1 };
  return { header: parseHeader(buf.subarray(0, rs)), end: rs + 1 };
}

export function listSpools(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.spool'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function toCommand(r: ParsedRecord, h: SpoolHeader | null, fileShell: string): NewCommand {
  let text = r.text;
  if (text.length > MAX_COMMAND_CHARS) {
    text = `${text.slice(0, MAX_COMMAND_CHARS)} …[truncated ${text.length - MAX_COMMAND_CHARS} characters]`;
  }
  const start = r.start ?? r.end ?? Date.now();
  const duration = r.start !== null && r.end !== null ? Math.max(0, Math.round(r.end - r.start)) : -1;
  return {
    ts: Math.round(start),
    duration,
    exit: r.exit,
    command: text,
    cwd: r.cwd,
    user: h?.user ?? '',
    host: h?.host ?? '',
    tty: h?.tty ?? '',
    session: h?.session ?? '',
    shell: h?.shell ?? fileShell,
  };
}

/** Ingests one spool file completely (in chunks, one transaction each). */
export function ingestFile(store: QuestlogStore, file: string, opts: IngestOptions, out: IngestResult): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      out.problems.push(`cannot read ${file}: ${(err as Error).message}`);
    return;
  }
  const fileShell = /\/(bash|zsh)-[^/]*$/.exec(file)?.[1] ?? '';
  try {
    const { header, end: headerEnd } = readHeader(fd);
    out.files++;
    // reads every complete record past the saved offset, a chunk per transaction
    const readChunk = (): boolean => {
      const saved = store.getOffset(file);
      let offset = saved?.offset ?? 0;
      let lastHist = saved?.lastHist ?? null;
      if (offset === 0 && headerEnd > 0) offset = headerEnd;
      const size = fstatSync(fd).size;
      if (size < offset) {
        // the file was truncated or replaced: start over from its beginning
        out.problems.push(`${file} shrank below its saved offset; reading it again from the start`);
        offset = headerEnd > 0 ? headerEnd : 0;
        lastHist = null;
      }
      if (size <= offset) return true;
      const want = Math.min(size - offset, CHUNK);
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, want, offset);
      let pos = 0;
      const rows: NewCommand[] = [];
      for (;;) {
        const rs = buf.indexOf(RS, pos);
        if (rs < 0 || rs >= n) break;
        const recStart = pos;
        pos = rs + 1;
        if (rs === recStart) continue;
        if (buf[recStart] === 0x48 /* H */) continue; // a second header (should not happen)
        const r = parseRecordAt(buf, recStart, rs);
        if (!r) {
          out.corrupt++;
          continue;
        }
        if (r.hist !== null) {
          const same = lastHist !== null && r.hist === lastHist;
          lastHist = r.hist;
          if (same) {
            out.skipped++;
            continue;
          }
        }
        if (/^\s/.test(r.text) || r.text.trim() === '' || opts.incognito) {
          out.skipped++;
          continue;
        }
        rows.push(toCommand(r, header, fileShell));
      }
      if (pos === 0) {
        if (offset !== saved?.offset) store.setOffset(file, offset, lastHist);
        if (want < CHUNK) return true; // only an incomplete record so far: wait for its end
        // one record bigger than a chunk: skip it
        const rest = Buffer.alloc(MAX_RECORD);
        const m = readSync(fd, rest, 0, rest.length, offset);
        const rs = rest.subarray(0, m).indexOf(RS);
        if (rs >= 0) {
          out.corrupt++;
          out.problems.push(`${file}: skipped a ${rs} byte record (too large)`);
          store.setOffset(file, offset + rs + 1, lastHist);
          return false;
        }
        if (m === rest.length) {
          out.corrupt++;
          out.problems.push(`${file}: no record end within ${MAX_RECORD} bytes; skipped`);
          store.setOffset(file, offset + m, lastHist);
          return false;
        }
        return true;
      }
      if (rows.length) {
        const r = store.insertCommandsRaw(rows);
        out.commands += r.inserted;
        if (r.lastId !== null) out.lastId = r.lastId;
      }
      store.setOffset(file, offset + pos, lastHist);
      return offset + pos >= size;
    };
    const drain = (): void => {
      while (!store.tx(readChunk)) {
        /* next chunk */
      }
    };
    drain();
    // a finished shell: drop a partial last record, then remove the file
    const now = opts.now ?? Date.now();
    const alive = opts.isAlive ? opts.isAlive(header, file) : defaultAlive(header, file, now);
    if (!alive) {
      // the shell may have written its last records after the read above and then exited: read
      // again, so only a record it never finished counts as incomplete
      drain();
      const saved = store.getOffset(file);
      const size = fstatSync(fd).size;
      const offset = saved?.offset ?? (headerEnd > 0 ? headerEnd : 0);
      if (size > offset) {
        out.corrupt++;
        out.problems.push(
          `${file}: dropped an incomplete last record (${size - offset} bytes) from a shell that exited`,
        );
      }
      try {
        unlinkSync(file);
        out.removed++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
          out.problems.push(`cannot remove ${file}: ${(err as Error).message}`);
      }
      store.dropOffset(file);
    }
  } finally {
    closeSync(fd);
  }
}

/** Ingests every spool in the directory; forgets offsets of files that no longer exist. */
export function ingestSpools(store: QuestlogStore, dir: string, opts: IngestOptions = {}): IngestResult {
  const out: IngestResult = {
    files: 0,
    commands: 0,
    skipped: 0,
    corrupt: 0,
    lastId: null,
    removed: 0,
    problems: [],
  };
  const files = listSpools(dir);
  for (const f of files) {
    try {
      ingestFile(store, f, opts, out);
    } catch (err) {
      out.problems.push(`${f}: ${(err as Error).message}`);
    }
  }
  const present = new Set(files);
  for (const f of store.offsetFiles()) {
    if (f.startsWith(dir) && !present.has(f)) {
      try {
        statSync(f);
      } catch {
        store.dropOffset(f);
      }
    }
  }
  return out;
}

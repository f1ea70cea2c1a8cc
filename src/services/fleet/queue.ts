/**
 * A bounded on-disk FIFO for at-least-once delivery.
 *
 * Layout in `dir`: `queue.jsonl` holds one `{"s":seq,"d":payload}` line per message, appended
 * before a delivery is attempted; `state.json` holds the highest acknowledged seq and counters.
 * A message leaves the queue only when the receiver acknowledged it (ack) or when the queue is
 * over its bounds (the oldest are dropped and counted). After a crash, everything above the
 * acknowledged seq is delivered again: duplicates are possible, losses are not. A torn last line
 * (crash mid-write) is skipped. The file is compacted once acknowledged lines dominate it.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';

export interface QueueItem<T> {
  seq: number;
  data: T;
  bytes: number;
  /** the stored line (kept so that compaction does not serialize again) */
  line: string;
}

export interface QueueLimits {
  maxItems: number;
  maxBytes: number;
}

interface PersistedState {
  acked: number;
  dropped: number;
  delivered: number;
  rejected: number;
}

/** compaction rewrites the file once this many acknowledged bytes are in it (and they outweigh the rest) */
const COMPACT_MIN_BYTES = 8 << 20;

export class DiskQueue<T> {
  private items: Array<QueueItem<T>> = [];
  private head = 0;
  private pendingBytes = 0;
  private fileBytes = 0;
  private nextSeq = 1;
  private fd: number;
  private state: PersistedState = { acked: 0, dropped: 0, delivered: 0, rejected: 0 };
  private closed = false;
  readonly file: string;
  private readonly stateFile: string;
  /** lines that could not be read at start (torn writes, foreign content) */
  readonly skippedLines: number = 0;

  constructor(
    readonly dir: string,
    private limits: QueueLimits,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, 'queue.jsonl');
    this.stateFile = join(dir, 'state.json');
    try {
      const s = JSON.parse(readFileSync(this.stateFile, 'utf8')) as Partial<PersistedState>;
      for (const k of ['acked', 'dropped', 'delivered', 'rejected'] as const) {
        const v = s[k];
        if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) this.state[k] = v;
      }
    } catch {
      /* first start or unreadable: start from zero */
    }
    let skipped = 0;
    let maxSeq = this.state.acked;
    if (existsSync(this.file)) {
      const text = readFileSync(this.file, 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const o = JSON.parse(line) as { s?: unknown; d?: unknown };
          if (typeof o.s !== 'number' || !Number.isSafeInteger(o.s) || !('d' in o))
            throw new Error('bad line');
          maxSeq = Math.max(maxSeq, o.s);
          if (o.s <= this.state.acked) continue;
          const bytes = Buffer.byteLength(line) + 1;
          this.items.push({ seq: o.s, data: o.d as T, bytes, line });
          this.pendingBytes += bytes;
        } catch {
          skipped++;
        }
      }
      this.items.sort((a, b) => a.seq - b.seq);
    }
    this.skippedLines = skipped;
    this.nextSeq = maxSeq + 1;
    // rewrite to drop acknowledged and torn lines, then append from here
    this.rewrite();
    this.fd = openSync(this.file, 'a', 0o600);
    this.enforceLimits();
  }

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  get counters(): Readonly<PersistedState> {
    return this.state;
  }

  setLimits(limits: QueueLimits): void {
    this.limits = limits;
    this.enforceLimits();
  }

  /** Appends messages durably (one write); returns how many were dropped to stay within bounds. */
  push(data: T[]): number {
    if (!data.length) return 0;
    if (this.closed) throw new Error(`the queue in ${this.dir} is closed`);
    const lines: string[] = [];
    for (const d of data) {
      const seq = this.nextSeq++;
      const line = JSON.stringify({ s: seq, d });
      const bytes = Buffer.byteLength(line) + 1;
      lines.push(line);
      this.items.push({ seq, data: d, bytes, line });
      this.pendingBytes += bytes;
      this.fileBytes += bytes;
    }
    writeSync(this.fd, lines.join('\n') + '\n');
    return this.enforceLimits();
  }

  /** The oldest `n` messages, not removed. */
  peek(n: number): Array<QueueItem<T>> {
    return this.items.slice(this.head, this.head + n);
  }

  /** Removes every message up to and including `seq` (delivered, or `rejected` for good). */
  ack(seq: number, outcome: 'delivered' | 'rejected' = 'delivered'): void {
    if (this.closed) return;
    let n = 0;
    while (this.head < this.items.length) {
      const it = this.items[this.head];
      if (!it || it.seq > seq) break;
      this.pendingBytes -= it.bytes;
      this.head++;
      n++;
    }
    if (!n) return;
    this.state[outcome] += n;
    this.state.acked = Math.max(this.state.acked, seq);
    this.saveState();
    this.maybeCompact();
  }

  close(): void {
    this.closed = true;
    this.closeFd();
  }

  private closeFd(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  private enforceLimits(): number {
    let dropped = 0;
    while (
      this.length > 0 &&
      (this.length > this.limits.maxItems || this.pendingBytes > this.limits.maxBytes)
    ) {
      const it = this.items[this.head];
      if (!it) break;
      this.pendingBytes -= it.bytes;
      this.state.acked = Math.max(this.state.acked, it.seq);
      this.head++;
      dropped++;
    }
    if (dropped) {
      this.state.dropped += dropped;
      this.saveState();
      this.maybeCompact();
    }
    return dropped;
  }

  private saveState(): void {
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  private maybeCompact(): void {
    const dead = this.fileBytes - this.pendingBytes;
    // an empty queue is the common case: start the file over (cheap, and keeps it small)
    if (this.length === 0 && this.fileBytes > 0) {
      this.closeFd();
      this.items = [];
      this.head = 0;
      this.fd = openSync(this.file, 'w', 0o600);
      this.fileBytes = 0;
      return;
    }
    if (dead < COMPACT_MIN_BYTES || dead < 2 * this.pendingBytes) {
      if (this.head > 4096 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return;
    }
    this.closeFd();
    this.rewrite();
    this.fd = openSync(this.file, 'a', 0o600);
  }

  /** Writes the pending messages to a new file and renames it over the old one. */
  private rewrite(): void {
    this.items = this.items.slice(this.head);
    this.head = 0;
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      const chunk: string[] = [];
      for (const it of this.items) {
        chunk.push(it.line);
        if (chunk.length >= 1000) {
          writeSync(fd, chunk.join('\n') + '\n');
          chunk.length = 0;
        }
      }
      if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.fileBytes = this.pendingBytes;
    this.saveState();
  }
}

/** Reads a queue directory without changing it (for `ainl fleet status` next to a running daemon). */
export function inspectQueue(dir: string): { queued: number; queuedBytes: number } & PersistedState {
  const state: PersistedState = { acked: 0, dropped: 0, delivered: 0, rejected: 0 };
  try {
    const s = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as Partial<PersistedState>;
    for (const k of ['acked', 'dropped', 'delivered', 'rejected'] as const) {
      const v = s[k];
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) state[k] = v;
    }
  } catch {
    /* none yet */
  }
  let queued = 0;
  let queuedBytes = 0;
  try {
    for (const line of readFileSync(join(dir, 'queue.jsonl'), 'utf8').split('\n')) {
      const m = /^\{"s":(\d+),/.exec(line);
      if (m && Number(m[1]) > state.acked) {
        queued++;
        queuedBytes += Buffer.byteLength(line) + 1;
      }
    }
  } catch {
    /* no queue file */
  }
  return { ...state, queued, queuedBytes };
}

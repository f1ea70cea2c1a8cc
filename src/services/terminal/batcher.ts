import { completeLength, Utf8Splitter } from './utf8';

export interface BatcherOptions {
  /** how long output may wait to be batched with more output */
  intervalMs?: number;
  /** a batch is sent as soon as it reaches this many bytes (and never exceeds it) */
  maxBytes?: number;
}

/**
 * Collects pty output for ~16 ms (or until ~100 KB) and hands it on as whole-character strings,
 * so the IPC path sees a few large messages instead of thousands of tiny ones. The first output
 * after a quiet interval is sent at once, so typing feels immediate.
 */
export class DataBatcher {
  private readonly splitter = new Utf8Splitter();
  private parts: Buffer[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastSent = 0;
  private readonly intervalMs: number;
  private readonly maxBytes: number;

  constructor(
    private readonly sink: (data: string) => void,
    opts: BatcherOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 16;
    this.maxBytes = Math.max(8, opts.maxBytes ?? 100 * 1024);
  }

  push(chunk: Buffer | string): void {
    let buf = this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    while (buf.length > 0) {
      const room = this.maxBytes - this.size;
      if (buf.length <= room) {
        this.parts.push(buf);
        this.size += buf.length;
        buf = Buffer.alloc(0);
      } else {
        // fill this batch up to a character boundary, send it, go on with the rest
        let cut = completeLength(buf, room);
        if (cut === 0 && this.size === 0) cut = buf.length; // never loops forever (cannot happen with maxBytes ≥ 8)
        if (cut > 0) {
          this.parts.push(buf.subarray(0, cut));
          this.size += cut;
        }
        buf = buf.subarray(cut);
        this.flush();
      }
    }
    if (this.size >= this.maxBytes) this.flush();
    else if (this.size > 0 && !this.timer) {
      // leading edge: output after a quiet spell (a keystroke's echo) goes out at once;
      // output that keeps coming is batched
      if (Date.now() - this.lastSent >= this.intervalMs) return this.flush();
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Sends what is pending now. With `end`, also sends an incomplete trailing character. */
  flush(end = false): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (end) {
      const rest = this.splitter.flush();
      if (rest.length) {
        this.parts.push(rest);
        this.size += rest.length;
      }
    }
    if (this.size === 0) return;
    const data = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.lastSent = Date.now();
    this.sink(data.toString('utf8'));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.parts = [];
    this.size = 0;
  }
}

import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { IPty } from 'node-pty';
import { DataBatcher, type BatcherOptions } from './batcher';

export interface FlowControlOptions {
  enabled: boolean;
  highWatermark: number;
  lowWatermark: number;
}

export interface SessionSinks {
  data(data: string, seq: number): void;
  exit(exitCode: number, signal: number | null): void;
}

export interface SessionInfoBase {
  id: string;
  shell: string;
  startCwd: string;
  questlogHook: boolean;
}

/**
 * One pty with its output batcher and flow control. Output is counted in chars sent; once more
 * than `highWatermark` chars are unacknowledged the pty is paused (the kernel buffer then fills
 * and the program writing blocks: nothing is dropped) and it resumes below `lowWatermark`.
 */
export class TerminalSession {
  private readonly batcher: DataBatcher;
  private seq = 0;
  private unacked = 0;
  private isPaused = false;
  private exited = false;
  private killTimer: NodeJS.Timeout | null = null;
  readonly createdAt = Date.now();
  cols: number;
  rows: number;
  /** how often flow control paused this session (for tests and the bench) */
  pauseCount = 0;
  /** when the current pause began (0 while flowing) */
  pausedSince = 0;

  constructor(
    readonly info: SessionInfoBase,
    private readonly pty: IPty,
    private readonly sinks: SessionSinks,
    private readonly flow: FlowControlOptions,
    batch: BatcherOptions = {},
    private readonly onGone: () => void = () => undefined,
  ) {
    this.cols = pty.cols;
    this.rows = pty.rows;
    this.batcher = new DataBatcher((data) => this.send(data), batch);
    // encoding: null → Buffers, so characters are reassembled by our own splitter
    pty.onData((chunk) => this.batcher.push(chunk as unknown as Buffer | string));
    pty.onExit(({ exitCode, signal }) => this.onExit(exitCode, signal ?? null));
  }

  get id(): string {
    return this.info.id;
  }
  get pid(): number {
    return this.pty.pid;
  }
  get paused(): boolean {
    return this.isPaused;
  }
  get unackedChars(): number {
    return this.unacked;
  }
  get hasExited(): boolean {
    return this.exited;
  }

  /** The shell's current directory, read from /proc (start directory if unreadable). */
  cwd(): string {
    try {
      return readlinkSync(`/proc/${this.pty.pid}/cwd`);
    } catch {
      return this.info.startCwd;
    }
  }

  foregroundProcess(): string {
    try {
      return basename(this.pty.process || '');
    } catch {
      return '';
    }
  }

  write(data: string): void {
    if (this.exited) return;
    this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.exited) return;
    this.pty.resize(cols, rows);
    this.cols = cols;
    this.rows = rows;
  }

  ack(chars: number): void {
    this.unacked = Math.max(0, this.unacked - chars);
    if (this.isPaused && this.unacked < this.flow.lowWatermark) {
      this.isPaused = false;
      this.pausedSince = 0;
      this.pty.resume();
    }
  }

  /** SIGHUP (what closing a terminal window sends), SIGKILL if the shell is still there after `graceMs`. */
  kill(graceMs = 2_000): void {
    if (this.exited) return;
    // a paused pty never reports its exit: let the last output drain
    if (this.isPaused) {
      this.isPaused = false;
      this.pty.resume();
    }
    try {
      this.pty.kill('SIGHUP');
    } catch {
      // already gone
    }
    if (!this.killTimer) {
      this.killTimer = setTimeout(() => {
        try {
          if (!this.exited) this.pty.kill('SIGKILL');
        } catch {
          // already gone
        }
      }, graceMs);
      this.killTimer.unref?.();
    }
  }

  private send(data: string): void {
    this.seq++;
    this.sinks.data(data, this.seq);
    if (!this.flow.enabled) return;
    this.unacked += data.length;
    if (!this.isPaused && this.unacked > this.flow.highWatermark && !this.exited) {
      this.isPaused = true;
      this.pausedSince = Date.now();
      this.pauseCount++;
      this.pty.pause();
    }
  }

  private onExit(exitCode: number, signal: number | null): void {
    if (this.exited) return;
    this.exited = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    // node-pty reports exit after the pty's output stream closed: everything is in the batcher
    this.batcher.flush(true);
    this.batcher.dispose();
    this.sinks.exit(exitCode, signal && signal > 0 ? signal : null);
    this.onGone();
  }
}

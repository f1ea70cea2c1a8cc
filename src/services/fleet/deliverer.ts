/**
 * Drains a DiskQueue into a receiver: batches in order, acknowledges only what the receiver
 * accepted, and retries failures with exponential backoff (±20 % jitter) for as long as it takes.
 * A receiver may refuse a batch for good (PermanentError): it is then counted as rejected and
 * skipped so one bad message never blocks the queue.
 */
import type { FleetDelivery } from '../../shared/contract/fleet';
import type { DiskQueue, QueueItem } from './queue';

export class PermanentError extends Error {}

export interface DelivererOptions<T> {
  queue: DiskQueue<T>;
  /** delivers a batch in order; resolves when the receiver accepted all of it */
  send(batch: Array<QueueItem<T>>): Promise<void>;
  /** how many messages go into one send */
  batchSize: number | ((items: Array<QueueItem<T>>) => number);
  retry: { minMs: number; maxMs: number };
  target: string;
  onError?(message: string): void;
  onRecover?(): void;
}

export class Deliverer<T> {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private failures = 0;
  private lastSuccessAt: number | null = null;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private nextAttemptAt: number | null = null;

  constructor(private readonly opts: DelivererOptions<T>) {}

  /** Call after pushing to the queue; a no-op while a send or a backoff wait is under way. */
  kick(): void {
    if (this.stopped || this.running || this.timer) return;
    this.running = true;
    queueMicrotask(() => void this.drain());
  }

  /** Retry now instead of waiting for the backoff (e.g. from the CLI). */
  retryNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.nextAttemptAt = null;
    }
    this.kick();
  }

  /** Resolves once the queue is empty (or after timeoutMs); for tests and the bench. */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.opts.queue.length === 0 && !this.running) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  status(enabled: boolean): FleetDelivery {
    const q = this.opts.queue;
    const c = q.counters;
    return {
      enabled,
      target: this.opts.target,
      state: !enabled ? 'disabled' : this.nextAttemptAt ? 'retrying' : q.length ? 'delivering' : 'idle',
      queued: q.length,
      queuedBytes: q.bytes,
      delivered: c.delivered,
      dropped: c.dropped,
      rejected: c.rejected,
      consecutiveFailures: this.failures,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      nextAttemptAt: this.nextAttemptAt,
      queueDir: q.dir,
    };
  }

  private async drain(): Promise<void> {
    const { queue } = this.opts;
    try {
      while (!this.stopped && queue.length) {
        const head = queue.peek(typeof this.opts.batchSize === 'number' ? this.opts.batchSize : 1000);
        const n =
          typeof this.opts.batchSize === 'number' ? head.length : Math.max(1, this.opts.batchSize(head));
        const batch = head.slice(0, n);
        const last = batch[batch.length - 1];
        if (!last) break;
        try {
          await this.opts.send(batch);
          // stopped meanwhile: the queue may belong to a new instance now; it sends this again
          if (this.stopped) return;
          queue.ack(last.seq, 'delivered');
          if (this.failures) this.opts.onRecover?.();
          this.failures = 0;
          this.lastSuccessAt = Date.now();
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.lastError = message;
          this.lastErrorAt = Date.now();
          if (err instanceof PermanentError) {
            queue.ack(last.seq, 'rejected');
            this.opts.onError?.(`rejected for good: ${message}`);
            continue;
          }
          this.failures++;
          if (this.failures === 1 || this.failures % 10 === 0) this.opts.onError?.(message);
          this.scheduleRetry();
          return;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const { minMs, maxMs } = this.opts.retry;
    const base = Math.min(maxMs, minMs * 2 ** Math.min(30, this.failures - 1));
    const delay = Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
    this.nextAttemptAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAttemptAt = null;
      this.kick();
    }, delay);
    this.timer.unref?.();
  }
}

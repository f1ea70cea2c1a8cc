import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue, inspectQueue } from './queue';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ainl-queue-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const limits = { maxItems: 1000, maxBytes: 1 << 20 };

describe('DiskQueue', () => {
  it('keeps unacknowledged messages across a reopen, in order', () => {
    const d = dir();
    const q = new DiskQueue<{ n: number }>(d, limits);
    q.push([{ n: 1 }, { n: 2 }, { n: 3 }]);
    q.ack(q.peek(1)[0]!.seq);
    q.close();
    const q2 = new DiskQueue<{ n: number }>(d, limits);
    expect(q2.peek(10).map((i) => i.data.n)).toEqual([2, 3]);
    expect(q2.counters.delivered).toBe(1);
    // new messages continue after the old sequence numbers
    q2.push([{ n: 4 }]);
    const seqs = q2.peek(10).map((i) => i.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
    q2.close();
  });

  it('skips a torn last line after a crash mid-write', () => {
    const d = dir();
    const q = new DiskQueue<string>(d, limits);
    q.push(['a', 'b']);
    q.close();
    appendFileSync(join(d, 'queue.jsonl'), '{"s":3,"d":"c');
    const q2 = new DiskQueue<string>(d, limits);
    expect(q2.peek(10).map((i) => i.data)).toEqual(['a', 'b']);
    expect(q2.skippedLines).toBe(1);
    q2.close();
  });

  it('drops the oldest beyond maxItems and counts them', () => {
    const q = new DiskQueue<number>(dir(), { maxItems: 10, maxBytes: 1 << 20 });
    expect(q.push(Array.from({ length: 15 }, (_, i) => i))).toBe(5);
    expect(q.length).toBe(10);
    expect(q.peek(1)[0]!.data).toBe(5);
    expect(q.counters.dropped).toBe(5);
    q.close();
  });

  it('honours maxBytes', () => {
    const q = new DiskQueue<string>(dir(), { maxItems: 1000, maxBytes: 4096 });
    q.push(Array.from({ length: 100 }, () => 'x'.repeat(100)));
    expect(q.bytes).toBeLessThanOrEqual(4096);
    expect(q.length).toBeGreaterThan(10);
    q.close();
  });

  it('starts the file over once everything is acknowledged', () => {
    const d = dir();
    const q = new DiskQueue<string>(d, limits);
    q.push(['a', 'b', 'c']);
    q.ack(q.peek(3)[2]!.seq);
    expect(statSync(join(d, 'queue.jsonl')).size).toBe(0);
    q.push(['d']);
    expect(readFileSync(join(d, 'queue.jsonl'), 'utf8')).toMatch(/"d":"d"/);
    expect(inspectQueue(d)).toMatchObject({ queued: 1, delivered: 3 });
    q.close();
  });

  it('counts rejected messages apart from delivered ones', () => {
    const q = new DiskQueue<string>(dir(), limits);
    q.push(['a', 'b']);
    q.ack(q.peek(1)[0]!.seq, 'rejected');
    q.ack(q.peek(1)[0]!.seq);
    expect(q.counters).toMatchObject({ rejected: 1, delivered: 1 });
    q.close();
  });
});

import { describe, expect, it } from 'vitest';
import { DataBatcher } from './batcher';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('DataBatcher', () => {
  it('joins small chunks into one batch after the interval', async () => {
    const out: string[] = [];
    const b = new DataBatcher((d) => out.push(d), { intervalMs: 10 });
    b.push(Buffer.from('a'));
    b.push('b');
    b.push(Buffer.from('c'));
    expect(out).toEqual([]);
    await tick(30);
    expect(out).toEqual(['abc']);
  });

  it('sends at the size limit and never exceeds it, splitting on character boundaries', () => {
    const out: string[] = [];
    const b = new DataBatcher((d) => out.push(d), { intervalMs: 1_000, maxBytes: 10 });
    const text = '€€€€€€€€€€😀😀😀x'; // 3-byte and 4-byte characters
    b.push(Buffer.from(text));
    b.flush();
    expect(out.join('')).toBe(text);
    for (const d of out) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(10);
    expect(out.length).toBeGreaterThan(3);
    b.dispose();
  });

  it('flush(end) emits a dangling partial character rather than dropping it', () => {
    const out: string[] = [];
    const b = new DataBatcher((d) => out.push(d));
    b.push(Buffer.from([0x41, 0xe2, 0x82]));
    b.flush();
    expect(out).toEqual(['A']);
    b.flush(true);
    expect(out[1]).toBe('\uFFFD');
  });
});

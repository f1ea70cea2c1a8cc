import { describe, expect, it } from 'vitest';
import { DataBatcher } from './batcher';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('DataBatcher', () => {
  it('sends output after a quiet spell at once, then batches what keeps coming', async () => {
    const out: string[] = [];
    // generous interval: the assertions must hold on a busy 2-core machine too
    const b = new DataBatcher((d) => out.push(d), { intervalMs: 200 });
    b.push(Buffer.from('a'));
    expect(out).toEqual(['a']); // an echo is not delayed
    b.push('b');
    b.push(Buffer.from('c'));
    expect(out).toEqual(['a']);
    await tick(400);
    expect(out).toEqual(['a', 'bc']);
    await tick(300);
    b.push('d');
    expect(out).toEqual(['a', 'bc', 'd']);
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

import { describe, expect, it } from 'vitest';
import { History, MetricRing } from './history';

describe('history', () => {
  it('keeps the newest points of a bounded ring', () => {
    const r = new MetricRing(5);
    for (let i = 0; i < 8; i++) r.push(i, i * 10);
    expect(r.length).toBe(5);
    expect(r.range(0, 100, 100)).toEqual({ t: [3, 4, 5, 6, 7], v: [30, 40, 50, 60, 70] });
    expect(r.range(5, 6, 100).t).toEqual([5, 6]);
  });

  it('decimates to maxPoints and keeps a spike', () => {
    const r = new MetricRing(10_000);
    for (let i = 0; i < 10_000; i++) r.push(i, i === 4321 ? 999 : 1);
    const d = r.range(0, 1e9, 100);
    expect(d.t.length).toBeLessThanOrEqual(100);
    expect(d.v).toContain(999);
    expect([...d.t].sort((a, b) => a - b)).toEqual(d.t);
  });

  it('drops points after a backwards clock step so time stays ordered', () => {
    const r = new MetricRing(10);
    [10, 20, 30].forEach((t) => r.push(t, t));
    r.push(15, 15);
    expect(r.range(0, 100, 10).t).toEqual([10, 15]);
  });

  it('ignores non-finite values and caps the number of metrics', () => {
    const h = new History(10, 2);
    h.add(1, { a: 1, b: Number.NaN, c: 2, d: 3 });
    expect(h.names()).toEqual(['a', 'c']);
  });
});

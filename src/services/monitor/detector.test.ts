import { describe, expect, it } from 'vitest';
import { StreamingDetector } from './detector';
import { mulberry32 } from './isolationForest';

function noisy(n: number, seed = 1): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => 50 + 5 * Math.sin(i / 20) + 2 * (r() - 0.5));
}

describe('StreamingDetector', () => {
  it('flags a level shift once (repeat suppression), not on every sample', () => {
    const d = new StreamingDetector({ window: 500, refitEvery: 50, minTrain: 100, suppress: 100 });
    const data = noisy(900);
    for (let i = 700; i < 900; i++) data[i] = data[i]! + 60;
    const hits: number[] = [];
    data.forEach((v, i) => {
      if (d.push(v).anomaly) hits.push(i);
    });
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits[0]).toBeGreaterThanOrEqual(700);
    expect(hits[0]).toBeLessThan(715);
    // the refits absorb the new level: a few detections at most, never a stream
    expect(hits.length).toBeLessThanOrEqual(3);
  });

  it('stays mostly quiet on stationary noise (under 1 % of samples flagged)', () => {
    const d = new StreamingDetector({ window: 500, refitEvery: 50, minTrain: 100, suppress: 100 });
    const hits = noisy(1500, 3).filter((v) => d.push(v).anomaly).length;
    expect(hits).toBeLessThan(12);
  });

  it('skips NaN and Infinity without breaking the stream', () => {
    const d = new StreamingDetector({ window: 200, refitEvery: 50, minTrain: 50 });
    for (const v of noisy(300)) d.push(v);
    expect(d.push(Number.NaN)).toEqual({ score: 0, calibrated: 0, raw: 0, anomaly: false });
    expect(d.push(Number.POSITIVE_INFINITY).score).toBe(0);
    expect(d.skipped).toBe(2);
    const r = d.push(50);
    expect(Number.isFinite(r.raw)).toBe(true);
    expect(r.raw).toBeGreaterThan(0);
  });

  it('defers refits when inlineRefit is false', () => {
    const d = new StreamingDetector({ window: 200, refitEvery: 50, minTrain: 50, inlineRefit: false });
    for (const v of noisy(100)) d.push(v);
    expect(d.isFitted).toBe(false);
    expect(d.refitDue).toBe(true);
    expect(d.refitIfDue()).toBe(true);
    expect(d.isFitted).toBe(true);
    expect(d.refitDue).toBe(false);
  });

  it('rejects impossible options', () => {
    expect(() => new StreamingDetector({ window: 4 })).toThrow(/window/);
    expect(() => new StreamingDetector({ window: 100, minTrain: 500 })).toThrow(/minTrain/);
  });
});

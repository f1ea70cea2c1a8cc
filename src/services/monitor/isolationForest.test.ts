import { describe, expect, it } from 'vitest';
import { IsolationForest, averagePathLength, mulberry32 } from './isolationForest';

function cloud(n: number, dim: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const d = new Float64Array(n * dim);
  for (let i = 0; i < d.length; i++) d[i] = r() + r() + r() - 1.5; // roughly normal around 0
  return d;
}

describe('IsolationForest', () => {
  it('c(n) matches the closed form for small n', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(10.24, 1);
  });

  it('scores an outlier far above inliers', () => {
    const f = new IsolationForest({ seed: 7 });
    f.fit(cloud(1000, 3, 1), 1000, 3);
    const inlier = f.score([0, 0, 0]);
    const outlier = f.score([6, -6, 6]);
    expect(inlier).toBeLessThan(0.5);
    expect(outlier).toBeGreaterThan(0.65);
    expect(outlier).toBeGreaterThan(inlier + 0.2);
  });

  it('is deterministic for a seed', () => {
    const data = cloud(500, 2, 3);
    const a = new IsolationForest({ seed: 11 });
    const b = new IsolationForest({ seed: 11 });
    a.fit(data, 500, 2);
    b.fit(data, 500, 2);
    expect(a.score([1, 1])).toBe(b.score([1, 1]));
  });

  it('subsamples: fitting 20,000 vectors stays fast', () => {
    const f = new IsolationForest();
    const data = cloud(20_000, 6, 5);
    const t0 = performance.now();
    f.fit(data, 20_000, 6);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('handles constant data and non-finite values without throwing', () => {
    const f = new IsolationForest();
    const data = new Float64Array(200).fill(3);
    data[5] = Number.NaN;
    f.fit(data, 100, 2);
    expect(Number.isFinite(f.score([3, 3]))).toBe(true);
    expect(Number.isFinite(f.score([Number.POSITIVE_INFINITY, 3]))).toBe(true);
  });

  it('rejects bad input with clear errors', () => {
    const f = new IsolationForest();
    expect(() => f.score([1])).toThrow(/fit\(\) before scoring/);
    expect(() => f.fit(new Float64Array(2), 1, 2)).toThrow(/at least 2 vectors/);
    expect(() => f.fit(new Float64Array(4), 4, 2)).toThrow(/shorter/);
    expect(() => f.fit(new Float64Array(4), 2, 0)).toThrow(/dimension/);
  });
});

import { describe, expect, it } from 'vitest';
import { ETA_NEVER_H, TrendTracker, linearFit } from './trends';

describe('trends', () => {
  it('fits a line', () => {
    const fit = linearFit([0, 1, 2, 3], [10, 8, 6, 4])!;
    expect(fit.slope).toBeCloseTo(-2, 12);
    expect(fit.last).toBeCloseTo(4, 12);
    expect(linearFit([1], [1])).toBeNull();
  });

  it('predicts the time to full of a shrinking file system', () => {
    const tr = new TrendTracker({ windowS: 3600, minSpanS: 60, stepS: 10 });
    let eta: number | undefined;
    // 1 GB free, losing 1 MB per 10 s → 1000 × 10 s ≈ 2.8 h
    for (let i = 0; i <= 30; i++) {
      const m: Record<string, number> = { 'fs[/data].avail_bytes': 1e9 - i * 1e6 };
      tr.update(m, i * 10_000);
      eta = m['fs[/data].eta_h'];
    }
    expect(eta).toBeDefined();
    expect(eta!).toBeCloseTo((1e9 - 30e6) / 1e5 / 3600, 1);
  });

  it('reports "never" for a stable or growing quantity, nothing before minSpan', () => {
    const tr = new TrendTracker({ windowS: 3600, minSpanS: 60, stepS: 10 });
    const early: Record<string, number> = { 'mem.available_bytes': 5e9 };
    tr.update(early, 0);
    expect(early['mem.eta_h']).toBeUndefined();
    let m: Record<string, number> = {};
    for (let i = 1; i <= 10; i++) {
      m = { 'mem.available_bytes': 5e9 + i };
      tr.update(m, i * 10_000);
    }
    expect(m['mem.eta_h']).toBe(ETA_NEVER_H);
  });

  it('starts over when the clock goes backwards', () => {
    const tr = new TrendTracker({ windowS: 3600, minSpanS: 20, stepS: 10 });
    for (let i = 0; i < 10; i++) tr.update({ 'fs[/].inodes_free': 1000 - i }, 1e6 + i * 10_000);
    const m: Record<string, number> = { 'fs[/].inodes_free': 990 };
    tr.update(m, 0);
    expect(m['fs[/].inodes_eta_h']).toBeUndefined();
  });
});

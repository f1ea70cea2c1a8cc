import { describe, expect, it } from 'vitest';
import {
  NAB_PROFILES,
  parseNabCsv,
  parseNabTime,
  probationaryLength,
  scaledSigmoid,
  scoreAtThreshold,
  scoreCorpus,
  windowsToRows,
  type NabFile,
} from './nabScorer';

const standard = NAB_PROFILES[0]!;
const lowFp = NAB_PROFILES[1]!;
const lowFn = NAB_PROFILES[2]!;

/** 1000 rows (probation 150), two windows of 50 rows. */
function file(detections: number[], score = 1): NabFile {
  const scores = new Float64Array(1000);
  for (const d of detections) scores[d] = score;
  return {
    name: 'f.csv',
    scores,
    windows: [
      [300, 349],
      [700, 749],
    ],
  };
}

describe('NAB scorer', () => {
  it('sigmoid and probation follow the published rules', () => {
    expect(scaledSigmoid(0)).toBeCloseTo(0, 12);
    expect(scaledSigmoid(-1)).toBeCloseTo(2 / (1 + Math.exp(-5)) - 1, 12);
    expect(scaledSigmoid(3.5)).toBe(-1);
    expect(probationaryLength(1000)).toBe(150);
    expect(probationaryLength(10_000)).toBe(750);
  });

  it('a detector firing exactly at every window start scores 100', () => {
    for (const p of NAB_PROFILES) expect(scoreCorpus([file([300, 700])], p).score).toBeCloseTo(100, 6);
  });

  it('a detector that never fires scores 0', () => {
    for (const p of NAB_PROFILES) expect(scoreCorpus([file([])], p).score).toBeCloseTo(0, 9);
  });

  it('one window caught at its start, the other missed: 50', () => {
    expect(scoreCorpus([file([300])], standard).score).toBeCloseTo(50, 6);
  });

  it('only the earliest detection in a window counts; late detections are worth less', () => {
    const early = scoreCorpus([file([300, 301, 340, 700])], standard);
    expect(early.score).toBeCloseTo(100, 6);
    // detection at the right edge: y = -1/50, value σ(-0.02)/σ(-1)
    const late = scoreCorpus([file([349, 700])], standard);
    const v = scaledSigmoid(-1 / 50) / scaledSigmoid(-1);
    expect(late.raw).toBeCloseTo(1 + v, 9);
  });

  it('a false positive before any window costs fpWeight; one right after a window costs less', () => {
    const before = scoreAtThreshold([file([200, 300, 700])], standard, 0.5);
    expect(before.raw).toBeCloseTo(2 - 0.11, 9);
    expect(before.fp).toBe(1);
    // just after the first window (i = 350 → y = 1/49) the sigmoid is slightly negative
    const after = scoreAtThreshold([file([300, 350, 700])], standard, 0.5);
    expect(after.raw).toBeCloseTo(2 + 0.11 * scaledSigmoid(1 / 49), 9);
    const lowFpRaw = scoreAtThreshold([file([200, 300, 700])], lowFp, 0.5).raw;
    expect(lowFpRaw).toBeCloseTo(2 - 0.22, 9);
  });

  it('detections in the probationary period are ignored', () => {
    expect(scoreCorpus([file([10, 300, 700])], standard).score).toBeCloseTo(100, 6);
  });

  it('the low-FN profile doubles the cost of a miss', () => {
    const r = scoreAtThreshold([file([300])], lowFn, 0.5);
    expect(r.raw).toBeCloseTo(1 - 2, 9);
    expect(r.score).toBeCloseTo(50, 6);
  });

  it('the sweep picks the threshold that excludes low-scored false positives', () => {
    const f = file([300, 700], 0.9);
    const scores = f.scores as Float64Array;
    for (const i of [200, 400, 500, 600]) scores[i] = 0.3;
    const r = scoreCorpus([f], standard);
    expect(r.threshold).toBe(0.9);
    expect(r.score).toBeCloseTo(100, 6);
    expect(r.fp).toBe(0);
  });

  it('maps window timestamps to rows', () => {
    const ts = [0, 10, 20, 30, 40];
    expect(windowsToRows(ts, [[10, 30]])).toEqual([[1, 3]]);
    expect(windowsToRows(ts, [[100, 200]])).toEqual([]);
  });

  it('parses NAB CSVs and rejects bad ones with a clear message', () => {
    const s = parseNabCsv('timestamp,value\n2014-02-14 14:30:00,1.5\n2014-02-14 14:35:00,2\n');
    expect(s.values).toEqual([1.5, 2]);
    expect(s.timestamps[1]! - s.timestamps[0]!).toBe(300_000);
    expect(parseNabTime('2014-02-26 13:45:00.000000')).toBe(Date.UTC(2014, 1, 26, 13, 45, 0));
    expect(() => parseNabCsv('')).toThrow(/empty file/);
    expect(() => parseNabCsv('a,b\n1,2')).toThrow(/header/);
    expect(() => parseNabCsv('timestamp,value\n')).toThrow(/no data rows/);
    expect(() => parseNabCsv('timestamp,value\nyesterday,1')).toThrow(/line 2: bad timestamp/);
    expect(() => parseNabCsv('timestamp,value\n2014-02-14 14:30:00,abc')).toThrow(/line 2: bad value/);
    expect(() => parseNabCsv('timestamp,value\n2014-02-14 14:30:00,')).toThrow(/bad value/);
  });
});

/**
 * Ring buffers per metric (timestamps + values in typed arrays) and server-side min/max
 * decimation for charts: a range of N points becomes at most maxPoints points that keep every
 * bucket's extremes, so a spike never disappears from a sparkline.
 */

export class MetricRing {
  readonly t: Float64Array;
  readonly v: Float64Array;
  private start = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    // a clock that went backwards would break the time order: drop the points after t
    while (this.length > 0 && this.tAt(this.length - 1) > t) this.length--;
    const at = (this.start + this.length) % this.capacity;
    this.t[at] = t;
    this.v[at] = v;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
  }

  tAt(i: number): number {
    return this.t[(this.start + i) % this.capacity]!;
  }

  vAt(i: number): number {
    return this.v[(this.start + i) % this.capacity]!;
  }

  /** Index of the first point with t ≥ ts (binary search). */
  lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tAt(mid) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Points in [since, until], decimated to at most maxPoints (min and max per bucket). */
  range(since: number, until: number, maxPoints: number): { t: number[]; v: number[] } {
    const from = this.lowerBound(since);
    const to = this.lowerBound(until + 1e-9); // exclusive
    const n = Math.max(0, to - from);
    const t: number[] = [];
    const v: number[] = [];
    if (n <= maxPoints) {
      for (let i = from; i < to; i++) {
        t.push(this.tAt(i));
        v.push(this.vAt(i));
      }
      return { t, v };
    }
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    for (let b = 0; b < buckets; b++) {
      const s = from + Math.floor((b * n) / buckets);
      const e = from + Math.floor(((b + 1) * n) / buckets);
      if (e <= s) continue;
      let iMin = s;
      let iMax = s;
      for (let i = s + 1; i < e; i++) {
        const x = this.vAt(i);
        if (x < this.vAt(iMin)) iMin = i;
        if (x > this.vAt(iMax)) iMax = i;
      }
      const first = Math.min(iMin, iMax);
      const second = Math.max(iMin, iMax);
      t.push(this.tAt(first));
      v.push(this.vAt(first));
      if (second !== first) {
        t.push(this.tAt(second));
        v.push(this.vAt(second));
      }
    }
    return { t, v };
  }
}

export class History {
  private rings = new Map<string, MetricRing>();

  constructor(
    readonly capacity: number,
    private readonly maxMetrics = 1000,
  ) {}

  add(ts: number, metrics: Record<string, number>): void {
    for (const [name, value] of Object.entries(metrics)) {
      if (!Number.isFinite(value)) continue;
      let r = this.rings.get(name);
      if (!r) {
        if (this.rings.size >= this.maxMetrics) continue;
        r = new MetricRing(this.capacity);
        this.rings.set(name, r);
      }
      r.push(ts, value);
    }
  }

  names(): string[] {
    return [...this.rings.keys()].sort();
  }

  get(name: string): MetricRing | undefined {
    return this.rings.get(name);
  }
}

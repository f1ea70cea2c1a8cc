/**
 * Time-to-full predictions: a least-squares line through the recent history of a "free" quantity
 * (available bytes of every file system, free inodes, available memory), like Prometheus'
 * predict_linear. Produces `<family>[entity].eta_h` metrics that the trend rules read.
 */

/** Hours reported when the quantity is not shrinking (10 years: "never"). */
export const ETA_NEVER_H = 87_600;

export interface TrendOptions {
  windowS: number;
  minSpanS: number;
  stepS: number;
}

interface Series {
  t: number[];
  v: number[];
  lastAt: number;
}

/** Least-squares slope (per ms) and the fitted value at the last point. */
export function linearFit(t: number[], v: number[]): { slope: number; last: number } | null {
  const n = t.length;
  if (n < 2) return null;
  const t0 = t[0]!;
  let st = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    st += t[i]! - t0;
    sv += v[i]!;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = t[i]! - t0 - mt;
    num += dt * (v[i]! - mv);
    den += dt * dt;
  }
  if (den === 0) return null;
  const slope = num / den;
  return { slope, last: mv + slope * (t[n - 1]! - t0 - mt) };
}

/** The source metric of each prediction: `fs[/x].avail_bytes` → `fs[/x].eta_h`. */
const SOURCES: Array<[RegExp, string]> = [
  [/^(fs\[.*\])\.avail_bytes$/, '$1.eta_h'],
  [/^(fs\[.*\])\.inodes_free$/, '$1.inodes_eta_h'],
  [/^mem\.available_bytes$/, 'mem.eta_h'],
];

export class TrendTracker {
  private series = new Map<string, Series>();

  constructor(private readonly opts: TrendOptions) {}

  /** Adds the sample's free quantities and writes the predictions into `metrics`. */
  update(metrics: Record<string, number>, now: number): void {
    const seen = new Set<string>();
    for (const [name, value] of Object.entries(metrics)) {
      for (const [re, target] of SOURCES) {
        if (!re.test(name)) continue;
        const out = name.replace(re, target);
        seen.add(name);
        let s = this.series.get(name);
        if (!s) {
          s = { t: [], v: [], lastAt: -Infinity };
          this.series.set(name, s);
        }
        if (now < s.lastAt) {
          // the clock went backwards: the history no longer lines up, start again
          s.t.length = 0;
          s.v.length = 0;
          s.lastAt = -Infinity;
        }
        if (now - s.lastAt >= this.opts.stepS * 1000) {
          s.t.push(now);
          s.v.push(value);
          s.lastAt = now;
          const cutoff = now - this.opts.windowS * 1000;
          let drop = 0;
          while (drop < s.t.length && s.t[drop]! < cutoff) drop++;
          if (drop) {
            s.t.splice(0, drop);
            s.v.splice(0, drop);
          }
        }
        const eta = this.eta(s, value);
        if (eta !== null) metrics[out] = eta;
      }
    }
    for (const k of this.series.keys()) if (!seen.has(k)) this.series.delete(k);
  }

  private eta(s: Series, current: number): number | null {
    if (s.t.length < 3) return null;
    const span = s.t[s.t.length - 1]! - s.t[0]!;
    if (span < this.opts.minSpanS * 1000) return null;
    const fit = linearFit(s.t, s.v);
    if (!fit) return null;
    if (fit.slope >= 0 || current <= 0) return ETA_NEVER_H;
    const hours = current / -fit.slope / 3_600_000;
    return Math.min(ETA_NEVER_H, hours);
  }
}

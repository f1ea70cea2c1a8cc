/**
 * The streaming per-metric anomaly detector used by the monitor and by the NAB evaluation (one
 * code path). For each new value it builds a feature vector (level, smoothed level and lagged
 * smoothed differences), scores it with an Isolation Forest retrained on a sliding window, turns
 * the raw forest score into a calibrated [0,1] score against the scores of the training window,
 * and suppresses repeats: a score only counts when it beats every score of the previous
 * `suppress` samples, so one anomaly gives one detection rather than a stream.
 */
import { IsolationForest } from './isolationForest';

export interface DetectorOptions {
  /** trees per forest (default 100) */
  trees: number;
  /** subsample size ψ (default 256) */
  sampleSize: number;
  seed: number;
  /** training window in samples (default 2000) */
  window: number;
  /** refit every N samples (default 100) */
  refitEvery: number;
  /** samples needed before the first fit (default 150) */
  minTrain: number;
  /** lagged smoothed differences in the feature vector (default 4) */
  lags: number;
  /** smoothing length of level and differences (default 3) */
  smooth: number;
  /** training vectors scored to calibrate the score (default 1000, evenly spaced over the window) */
  calibrationSample: number;
  /** no detection before this many samples (the first fits have seen little history; default 300) */
  warmup: number;
  /** repeat suppression: a detection must beat every score of the previous N samples (default 150) */
  suppress: number;
  /** final score ≥ threshold is an anomaly (default 0.75: beyond the 99.5th percentile of training) */
  threshold: number;
  /** refit inside push() (true) or leave it to refitIfDue() off the hot path (false) */
  inlineRefit: boolean;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  trees: 100,
  sampleSize: 256,
  seed: 42,
  window: 2000,
  refitEvery: 100,
  minTrain: 150,
  warmup: 300,
  calibrationSample: 1000,
  lags: 4,
  smooth: 3,
  suppress: 150,
  threshold: 0.75,
  inlineRefit: true,
};

export interface DetectorResult {
  /** final score in [0,1] after calibration and repeat suppression */
  score: number;
  /** calibrated score before suppression */
  calibrated: number;
  /** raw Isolation Forest score (0 before the first fit) */
  raw: number;
  anomaly: boolean;
}

/** A fixed-capacity ring of numbers. */
class Ring {
  private readonly buf: Float64Array;
  private start = 0;
  length = 0;
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(Math.max(1, capacity));
  }
  push(v: number): void {
    if (this.length < this.capacity) {
      this.buf[(this.start + this.length) % this.capacity] = v;
      this.length++;
    } else {
      this.buf[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }
  /** i-th from the oldest */
  at(i: number): number {
    return this.buf[(this.start + i) % this.capacity]!;
  }
  /** i-th from the newest (0 = newest) */
  back(i: number): number {
    return this.buf[(this.start + this.length - 1 - i) % this.capacity]!;
  }
}

export class StreamingDetector {
  readonly opts: DetectorOptions;
  private readonly forest: IsolationForest;
  private readonly dim: number;
  /** recent values (enough for features) */
  private readonly values: Ring;
  /** feature vectors of the training window, row-major */
  private readonly features: Float64Array;
  private featStart = 0;
  private featCount = 0;
  /** recent final-candidate scores for repeat suppression */
  private readonly recent: Ring;
  private sinceFit = 0;
  private calLow = 0.5;
  private calHigh = 1;
  private fitted = false;
  private readonly vec: Float64Array;
  /** count of samples pushed (finite) */
  samples = 0;
  /** count of non-finite values skipped */
  skipped = 0;
  /** milliseconds spent in the last fit */
  lastFitMs = 0;

  constructor(opts: Partial<DetectorOptions> = {}) {
    this.opts = { ...DEFAULT_DETECTOR, ...opts };
    const o = this.opts;
    if (o.window < 16) throw new RangeError('detector window must be ≥ 16 samples');
    if (o.minTrain < 8 || o.minTrain > o.window) throw new RangeError('minTrain must be 8..window');
    this.forest = new IsolationForest({ trees: o.trees, sampleSize: o.sampleSize, seed: o.seed });
    this.dim = 2 + o.lags;
    this.values = new Ring(o.smooth * (o.lags + 1) + 2);
    this.features = new Float64Array(o.window * this.dim);
    this.recent = new Ring(Math.max(1, o.suppress));
    this.vec = new Float64Array(this.dim);
  }

  get isFitted(): boolean {
    return this.fitted;
  }

  /** true when a refit is due (only meaningful with inlineRefit = false) */
  get refitDue(): boolean {
    return this.featCount >= this.opts.minTrain && (!this.fitted || this.sinceFit >= this.opts.refitEvery);
  }

  private mean(fromBack: number, len: number): number {
    let s = 0;
    for (let i = 0; i < len; i++) s += this.values.back(fromBack + i);
    return s / len;
  }

  /** Builds the feature vector of the newest value into this.vec; false while history is short. */
  private buildFeatures(): boolean {
    const { smooth, lags } = this.opts;
    const need = smooth * (lags + 1) + 1;
    if (this.values.length < need) return false;
    const v = this.vec;
    v[0] = this.values.back(0);
    const m0 = this.mean(0, smooth);
    v[1] = m0;
    // smoothed differences at lag k: mean of block k − mean of block k+1 (blocks of `smooth`)
    for (let k = 0; k < lags; k++)
      v[2 + k] = this.mean(k * smooth, smooth) - this.mean((k + 1) * smooth, smooth);
    return true;
  }

  private storeFeatures(): void {
    const w = this.opts.window;
    const slot = (this.featStart + this.featCount) % w;
    if (this.featCount < w) this.featCount++;
    else this.featStart = (this.featStart + 1) % w;
    this.features.set(this.vec, slot * this.dim);
  }

  /** Refits the forest on the training window and recalibrates. */
  refit(): void {
    if (this.featCount < this.opts.minTrain) return;
    const t0 = performance.now();
    const w = this.opts.window;
    const n = this.featCount;
    const data = new Float64Array(n * this.dim);
    for (let i = 0; i < n; i++) {
      const slot = (this.featStart + i) % w;
      data.set(this.features.subarray(slot * this.dim, slot * this.dim + this.dim), i * this.dim);
    }
    this.forest.fit(data, n, this.dim);
    // calibration: the median and the 99.5th percentile of the training scores (scoring every
    // training vector dominates the fit, so at most `calibrationSample` evenly spaced ones)
    const m = Math.min(n, this.opts.calibrationSample);
    const scores = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const i = m === n ? k : Math.floor(((k + 1) * n) / m) - 1;
      scores[k] = this.forest.score(data, i * this.dim);
    }
    scores.sort();
    this.calLow = scores[Math.floor(m * 0.5)]!;
    this.calHigh = Math.max(scores[Math.min(m - 1, Math.floor(m * 0.995))]!, this.calLow + 1e-6);
    this.fitted = true;
    this.sinceFit = 0;
    this.lastFitMs = performance.now() - t0;
  }

  refitIfDue(): boolean {
    if (!this.refitDue) return false;
    this.refit();
    return true;
  }

  /** Feeds one value; returns the scores for it. Non-finite values are skipped (score 0). */
  push(value: number): DetectorResult {
    if (!Number.isFinite(value)) {
      this.skipped++;
      return { score: 0, calibrated: 0, raw: 0, anomaly: false };
    }
    this.samples++;
    this.values.push(value);
    if (!this.buildFeatures()) return { score: 0, calibrated: 0, raw: 0, anomaly: false };
    let raw = 0;
    let calibrated = 0;
    if (this.fitted) {
      raw = this.forest.score(this.vec);
      calibrated = squash((raw - this.calLow) / (this.calHigh - this.calLow));
    }
    this.storeFeatures();
    this.sinceFit++;
    if (this.opts.inlineRefit) this.refitIfDue();
    // repeat suppression: count only if it beats every score of the previous `suppress` samples
    let beats = true;
    for (let i = 0; i < this.recent.length; i++) {
      if (this.recent.at(i) >= calibrated) {
        beats = false;
        break;
      }
    }
    this.recent.push(calibrated);
    const score = beats && this.samples > this.opts.warmup ? calibrated : 0;
    return { score, calibrated, raw, anomaly: score >= this.opts.threshold && score > 0 };
  }
}

/** Maps a calibrated distance (0 = median training score, 1 = highest training score) to [0,1), order-preserving. */
function squash(v: number): number {
  if (!(v > 0)) return 0;
  return 1 - Math.pow(2, -2 * v);
}

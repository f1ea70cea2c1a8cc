/**
 * Isolation Forest (Liu, Ting & Zhou 2008) on flat typed arrays, seeded, with subsampling.
 *
 * Each tree is stored in preallocated arrays indexed by node: `feature` (-1 = leaf), `split` (the
 * split value, or at a leaf the path-length adjustment c(size)), and `left` (the left child; the
 * right child is always left + 1). A forest of 100 trees with ψ = 256 takes 100 × 511 nodes ×
 * 13 bytes ≈ 0.66 MB and fits in ~10 ms.
 */

import { mulberry32 } from '../../shared/random';

export { mulberry32 };

const EULER_GAMMA = 0.5772156649015329;

/** Average path length of an unsuccessful BST search among n points: c(n) = 2H(n−1) − 2(n−1)/n. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export interface IsolationForestOptions {
  /** number of trees (default 100) */
  trees?: number;
  /** subsample size ψ per tree (default 256) */
  sampleSize?: number;
  /** PRNG seed (default 1) */
  seed?: number;
}

export class IsolationForest {
  readonly trees: number;
  readonly sampleSize: number;
  private readonly rand: () => number;
  private dim = 0;
  private psi = 0;
  private maxNodes = 0;
  private cPsi = 1;
  private feature: Int8Array = new Int8Array(0);
  private split: Float64Array = new Float64Array(0);
  private left: Int32Array = new Int32Array(0);
  private fitted = false;

  constructor(opts: IsolationForestOptions = {}) {
    this.trees = Math.max(1, Math.floor(opts.trees ?? 100));
    this.sampleSize = Math.max(2, Math.floor(opts.sampleSize ?? 256));
    this.rand = mulberry32(opts.seed ?? 1);
  }

  get isFitted(): boolean {
    return this.fitted;
  }

  get dimensions(): number {
    return this.dim;
  }

  /**
   * Fits on `n` row-major vectors of `dim` values each (`data.length >= n * dim`). Non-finite
   * values must be removed by the caller (they are treated as 0 here so a fit never throws).
   */
  fit(data: Float64Array, n: number, dim: number): void {
    if (dim < 1 || dim > 127) throw new RangeError(`dimension must be 1..127, got ${dim}`);
    if (n < 2) throw new RangeError(`need at least 2 vectors to fit, got ${n}`);
    if (data.length < n * dim) throw new RangeError('data is shorter than n × dim');
    this.dim = dim;
    this.psi = Math.min(this.sampleSize, n);
    this.cPsi = averagePathLength(this.psi) || 1;
    const maxDepth = Math.ceil(Math.log2(this.psi));
    this.maxNodes = 2 * this.psi - 1;
    const total = this.trees * this.maxNodes;
    if (this.feature.length !== total) {
      this.feature = new Int8Array(total);
      this.split = new Float64Array(total);
      this.left = new Int32Array(total);
    }
    const pool = new Int32Array(n);
    const idx = new Int32Array(this.psi);
    const lo = new Float64Array(dim);
    const hi = new Float64Array(dim);
    const candidates = new Int32Array(dim);
    for (let t = 0; t < this.trees; t++) {
      // partial Fisher–Yates: the first psi entries of pool become a sample without replacement
      for (let i = 0; i < n; i++) pool[i] = i;
      for (let i = 0; i < this.psi; i++) {
        const j = i + Math.floor(this.rand() * (n - i));
        const tmp = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = tmp;
        idx[i] = pool[i]!;
      }
      this.buildTree(t * this.maxNodes, data, idx, maxDepth, lo, hi, candidates);
    }
    this.fitted = true;
  }

  /** Builds one tree iteratively (explicit stack) over idx, partitioning idx in place. */
  private buildTree(
    base: number,
    data: Float64Array,
    idx: Int32Array,
    maxDepth: number,
    lo: Float64Array,
    hi: Float64Array,
    candidates: Int32Array,
  ): void {
    const dim = this.dim;
    let next = 1; // node 0 is the root
    // stack of [node, start, end, depth]
    const stack: number[] = [0, 0, idx.length, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const node = stack.pop()!;
      const at = base + node;
      const count = end - start;
      if (depth >= maxDepth || count <= 1) {
        this.makeLeaf(at, count);
        continue;
      }
      for (let d = 0; d < dim; d++) {
        lo[d] = Infinity;
        hi[d] = -Infinity;
      }
      for (let i = start; i < end; i++) {
        const row = idx[i]! * dim;
        for (let d = 0; d < dim; d++) {
          const v = finite(data[row + d]!);
          if (v < lo[d]!) lo[d] = v;
          if (v > hi[d]!) hi[d] = v;
        }
      }
      let nc = 0;
      for (let d = 0; d < dim; d++) if (hi[d]! > lo[d]!) candidates[nc++] = d;
      if (nc === 0) {
        this.makeLeaf(at, count);
        continue;
      }
      const f = candidates[Math.floor(this.rand() * nc)]!;
      const s = lo[f]! + this.rand() * (hi[f]! - lo[f]!);
      // partition: values < s to the left
      let i = start;
      let j = end - 1;
      while (i <= j) {
        if (finite(data[idx[i]! * dim + f]!) < s) i++;
        else {
          const tmp = idx[i]!;
          idx[i] = idx[j]!;
          idx[j] = tmp;
          j--;
        }
      }
      const l = next++;
      const r = next++;
      this.feature[at] = f;
      this.split[at] = s;
      this.left[at] = l;
      stack.push(l, start, i, depth + 1, r, i, end, depth + 1);
    }
  }

  private makeLeaf(at: number, count: number): void {
    this.feature[at] = -1;
    this.split[at] = averagePathLength(count); // a leaf stores its c(size) adjustment
  }

  /** Mean path length E[h(x)] of one vector (adjusted by c(size) at leaves). */
  pathLength(x: ArrayLike<number>, offset = 0): number {
    if (!this.fitted) throw new Error('IsolationForest: fit() before scoring');
    let sum = 0;
    for (let t = 0; t < this.trees; t++) {
      const base = t * this.maxNodes;
      let node = 0;
      let depth = 0;
      for (;;) {
        const at = base + node;
        const f = this.feature[at]!;
        if (f < 0) {
          sum += depth + this.split[at]!;
          break;
        }
        node = finite(x[offset + f]!) < this.split[at]! ? this.left[at]! : this.left[at]! + 1;
        depth++;
      }
    }
    return sum / this.trees;
  }

  /** Anomaly score s(x) = 2^(−E[h(x)]/c(ψ)) in (0, 1]; ≈0.5 or below is normal, near 1 is anomalous. */
  score(x: ArrayLike<number>, offset = 0): number {
    return Math.pow(2, -this.pathLength(x, offset) / this.cPsi);
  }
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

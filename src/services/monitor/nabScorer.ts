/**
 * The Numenta Anomaly Benchmark scoring rules (see ../shared/data/nab/README.md), written from the
 * published description: probationary period, scaled-sigmoid window weights, earliest detection per
 * window, FP weights by distance past the preceding window, one corpus-wide threshold chosen by a
 * sweep over every distinct score, and normalisation against the null and perfect detectors.
 */

export interface NabProfile {
  name: string;
  tp: number;
  fn: number;
  fp: number;
}

export const NAB_PROFILES: readonly NabProfile[] = [
  { name: 'standard', tp: 1, fn: 1, fp: 0.11 },
  { name: 'reward_low_FP_rate', tp: 1, fn: 1, fp: 0.22 },
  { name: 'reward_low_FN_rate', tp: 1, fn: 2, fp: 0.11 },
];

/** σ(y) = 2/(1+e^{5y}) − 1, and −1 when y > 3. */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

export function probationaryLength(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}

/** One file to score: per-row anomaly scores and windows as inclusive row-index ranges. */
export interface NabFile {
  name: string;
  scores: ArrayLike<number>;
  /** [leftRow, rightRow] inclusive, sorted, non-overlapping */
  windows: Array<[number, number]>;
}

/** A scored row: its anomaly score, its window (or -1) and its unweighted value. */
interface ScoredRow {
  score: number;
  /** global window id, -1 outside windows */
  window: number;
  /** σ-based value: for a window row σ(y)/σ(−1) (TP before weight), outside σ(y) (FP before weight) */
  unweighted: number;
}

export interface NabResult {
  profile: string;
  /** normalised score: 100 = perfect, 0 = null detector */
  score: number;
  raw: number;
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
}

/** Converts window timestamps to row indices (rows whose timestamp lies in [start, end]). */
export function windowsToRows(
  timestamps: number[],
  windows: Array<[number, number]>,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [start, end] of windows) {
    let l = -1;
    let r = -1;
    for (let i = 0; i < timestamps.length; i++) {
      const t = timestamps[i]!;
      if (t >= start && t <= end) {
        if (l < 0) l = i;
        r = i;
      }
    }
    if (l >= 0) out.push([l, r]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function scoredRows(file: NabFile, windowBase: number): ScoredRow[] {
  const n = file.scores.length;
  const prob = probationaryLength(n);
  const maxTp = scaledSigmoid(-1);
  const rows: ScoredRow[] = [];
  let w = 0; // index of the next window that starts at or after i
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    while (w < file.windows.length && file.windows[w]![1] < i) {
      prevRight = file.windows[w]![1];
      prevWidth = file.windows[w]![1] - file.windows[w]![0] + 1;
      w++;
    }
    const cur = file.windows[w];
    let window = -1;
    let unweighted: number;
    if (cur && i >= cur[0] && i <= cur[1]) {
      const width = cur[1] - cur[0] + 1;
      window = windowBase + w;
      unweighted = scaledSigmoid(-(cur[1] - i + 1) / width) / maxTp;
    } else if (prevRight < 0) {
      unweighted = -1;
    } else {
      unweighted = scaledSigmoid(Math.abs(i - prevRight) / Math.max(1, prevWidth - 1));
    }
    if (i < prob) continue;
    const s = Number(file.scores[i]);
    rows.push({ score: Number.isFinite(s) ? s : 0, window, unweighted });
  }
  return rows;
}

/**
 * Scores a corpus for one profile: sweeps every distinct score as the threshold (detection =
 * score ≥ threshold) and returns the best, normalised. Runs in O(R log R) for R scored rows.
 */
export function scoreCorpus(files: NabFile[], profile: NabProfile): NabResult {
  let totalWindows = 0;
  const all: ScoredRow[] = [];
  for (const f of files) {
    for (const r of scoredRows(f, totalWindows)) all.push(r);
    totalWindows += f.windows.length;
  }
  all.sort((a, b) => b.score - a.score);
  const best = new Float64Array(totalWindows).fill(Number.NaN); // best TP value per window
  let fpSum = 0;
  let tpSum = 0;
  let detectedWindows = 0;
  let fpCount = 0;
  const nullRaw = -profile.fn * totalWindows;
  let bestRaw = nullRaw;
  let bestThreshold = Infinity;
  let bestTp = 0;
  let bestFp = 0;
  for (let i = 0; i < all.length;) {
    const thr = all[i]!.score;
    while (i < all.length && all[i]!.score === thr) {
      const r = all[i]!;
      if (r.window >= 0) {
        const v = profile.tp * r.unweighted;
        const prev = best[r.window]!;
        if (Number.isNaN(prev)) {
          best[r.window] = v;
          tpSum += v;
          detectedWindows++;
        } else if (v > prev) {
          best[r.window] = v;
          tpSum += v - prev;
        }
      } else {
        fpSum += profile.fp * r.unweighted;
        fpCount++;
      }
      i++;
    }
    const raw = tpSum + fpSum - profile.fn * (totalWindows - detectedWindows);
    if (raw > bestRaw + 1e-12) {
      bestRaw = raw;
      bestThreshold = thr;
      bestTp = detectedWindows;
      bestFp = fpCount;
    }
  }
  const perfect = profile.tp * totalWindows;
  const score = perfect === nullRaw ? 0 : (100 * (bestRaw - nullRaw)) / (perfect - nullRaw);
  return {
    profile: profile.name,
    score,
    raw: bestRaw,
    threshold: bestThreshold,
    tp: bestTp,
    fp: bestFp,
    fn: totalWindows - bestTp,
  };
}

/** Scores a corpus at a fixed threshold (no sweep), e.g. the production alert threshold. */
export function scoreAtThreshold(files: NabFile[], profile: NabProfile, threshold: number): NabResult {
  const clipped = files.map((f) => ({
    ...f,
    scores: Array.from(f.scores, (s) => (Number(s) >= threshold ? 1 : 0)),
  }));
  const r = scoreCorpus(clipped, profile);
  // the sweep over {0,1} may pick "detect nothing"; report the fixed threshold's own figure
  const forced = scoreForced(clipped, profile);
  return { ...forced, threshold, profile: r.profile };
}

function scoreForced(files: NabFile[], profile: NabProfile): NabResult {
  let totalWindows = 0;
  let raw = 0;
  let tp = 0;
  let fp = 0;
  for (const f of files) {
    const rows = scoredRows(f, 0);
    const best = new Map<number, number>();
    for (const r of rows) {
      if (r.score < 1) continue;
      if (r.window >= 0)
        best.set(r.window, Math.max(best.get(r.window) ?? -Infinity, profile.tp * r.unweighted));
      else {
        raw += profile.fp * r.unweighted;
        fp++;
      }
    }
    for (const v of best.values()) raw += v;
    tp += best.size;
    raw -= profile.fn * (f.windows.length - best.size);
    totalWindows += f.windows.length;
  }
  const nullRaw = -profile.fn * totalWindows;
  const perfect = profile.tp * totalWindows;
  const score = perfect === nullRaw ? 0 : (100 * (raw - nullRaw)) / (perfect - nullRaw);
  return { profile: profile.name, score, raw, threshold: 1, tp, fp, fn: totalWindows - tp };
}

/** Parses NAB's "YYYY-MM-DD HH:MM:SS[.ffffff]" timestamps as UTC epoch milliseconds (NaN if bad). */
export function parseNabTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export interface NabSeries {
  timestamps: number[];
  /** the timestamp text as in the file, echoed into the output CSV */
  timeText: string[];
  values: number[];
}

/**
 * Parses a NAB CSV (`timestamp,value` header, one row per line). Throws an Error with a clear
 * message (file-relative line number) for an empty file, a missing header or a malformed row.
 */
export function parseNabCsv(text: string): NabSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('empty file');
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  const ti = header.indexOf('timestamp');
  const vi = header.indexOf('value');
  if (ti < 0 || vi < 0)
    throw new Error(`line 1: expected a "timestamp,value" header, got "${lines[0]!.slice(0, 60)}"`);
  if (lines.length < 2) throw new Error('no data rows');
  const out: NabSeries = { timestamps: [], timeText: [], values: [] };
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    const tText = (cells[ti] ?? '').trim();
    const t = parseNabTime(tText);
    const vText = (cells[vi] ?? '').trim();
    const v = vText === '' ? Number.NaN : Number(vText);
    if (!Number.isFinite(t)) throw new Error(`line ${i + 1}: bad timestamp "${tText.slice(0, 40)}"`);
    if (!Number.isFinite(v)) throw new Error(`line ${i + 1}: bad value "${vText.slice(0, 40)}"`);
    out.timestamps.push(t);
    out.timeText.push(tText);
    out.values.push(v);
  }
  return out;
}

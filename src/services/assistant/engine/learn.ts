/**
 * The learned part of the offline engine: a multinomial logistic regression that predicts a
 * request's utility sequence (`find|xargs|grep`) and one logistic regression per (utility, flag)
 * that predicts the flags, both over sparse text features. A third part, one logistic regression
 * per utility that predicts whether the command uses it at all, re-weights the sequences: it is
 * trained on every example (also those whose sequence is too rare to be a class) and shares what it
 * learns about a utility among all the sequences containing it. Trained by `trainModel` on the
 * knowledge base (NL2Bash *train* pairs only; `npm run train:assistant`), shipped as
 * resources/assistant/nl2bash-model.json, and used at run time by `LearnedModel`.
 */
import { mulberry32 } from '../../../shared/random';
import { decodeUtilities, type KbEntry } from './kb';
import { tokenize } from './text';

export const MODEL_FILE = 'nl2bash-model.json';
export const MODEL_VERSION = 2;

/** Stemmed unigrams and bigrams, bigrams of the raw words, and a bias feature. */
export function textFeatures(nl: string): string[] {
  const t = tokenize(nl);
  const f = new Set<string>(t);
  for (let i = 0; i + 1 < t.length; i++) f.add(`${t[i]}_${t[i + 1]}`);
  const raw = nl
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
  for (let i = 0; i + 1 < raw.length; i++) f.add(`r:${raw[i]}_${raw[i + 1]}`);
  f.add('BIAS');
  return [...f];
}

/** The utility sequence of an encoded structure (`find:-name|xargs:` → `find|xargs`). */
export function sequenceOf(encoded: string): string {
  if (!encoded) return '';
  return encoded
    .split('|')
    .map((p) => p.slice(0, p.indexOf(':')))
    .join('|');
}

/** Seeded PRNG, so training and sampling are reproducible. */
export const rng = mulberry32;

function shuffle(order: number[], rand: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const a = order[i] as number;
    order[i] = order[j] as number;
    order[j] = a;
  }
}

/** Sparse rows, flattened `[index, weight×100, index, weight×100, …]` (weights rounded to 0.01). */
type Packed = number[];

export interface ModelData {
  version: number;
  source: string;
  vocab: string[];
  classes: string[];
  /** per feature: packed (class, weight) pairs; weights are relative to the row's median */
  weights: Packed[];
  /** utility-presence models: per feature, packed (utility, weight) pairs; a class's score gains
   *  `beta` × the sum of its utilities' logits */
  presence: { utilities: string[]; beta: number; weights: Packed[] };
  /** per utility: its flag models */
  flags: Record<string, Array<{ flag: string; bias: number; weights: Packed }>>;
}

export interface TrainOptions {
  /** minimum number of examples for a feature / a sequence class / a flag */
  minFeature?: number;
  minClass?: number;
  minFlag?: number;
  epochs?: number;
  flagEpochs?: number;
  rate?: number;
  l2?: number;
  flagL2?: number;
  flagRate?: number;
  /** weights smaller than this (after centring) are dropped */
  prune?: number;
  flagPrune?: number;
  seed?: number;
  /** AdaGrad's initial squared-gradient sum for the sequence / flag models: larger values keep
   *  weights that only ever see small gradients small (and so prunable) */
  adagradInit?: number;
  flagAdagradInit?: number;
  /** utility-presence models: epochs, rate, L2, prune threshold, weight of their logits, and the
   *  minimum number of examples for a utility */
  presenceEpochs?: number;
  presenceRate?: number;
  presenceL2?: number;
  presencePrune?: number;
  presenceBeta?: number;
  minPresence?: number;
  progress?: (stage: string, done: number, total: number) => void;
}

const round2 = (x: number): number => Math.round(x * 100);

/** Trains the sequence classifier and the flag models on knowledge-base entries. */
export function trainModel(entries: KbEntry[], opts: TrainOptions = {}): ModelData {
  const minFeature = opts.minFeature ?? 2;
  const minClass = opts.minClass ?? 2;
  const minFlag = opts.minFlag ?? 2;
  const epochs = opts.epochs ?? 12;
  const rate = opts.rate ?? 0.3;
  const l2 = opts.l2 ?? 1e-5;
  const prune = opts.prune ?? 0.3;
  const rand = rng(opts.seed ?? 1);

  const featureCount = new Map<string, number>();
  const raw = entries.map((e) => textFeatures(e.nl));
  for (const fs of raw) for (const f of fs) featureCount.set(f, (featureCount.get(f) ?? 0) + 1);
  const vocab: string[] = [];
  const vidx = new Map<string, number>();
  const X = raw.map((fs) =>
    fs
      .filter((f) => (featureCount.get(f) ?? 0) >= minFeature)
      .map((f) => {
        let i = vidx.get(f);
        if (i === undefined) {
          i = vocab.length;
          vocab.push(f);
          vidx.set(f, i);
        }
        return i;
      }),
  );
  const V = vocab.length;

  const seqCount = new Map<string, number>();
  for (const e of entries) seqCount.set(sequenceOf(e.u), (seqCount.get(sequenceOf(e.u)) ?? 0) + 1);
  const classes = [...seqCount]
    .filter(([s, n]) => s && n >= minClass)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([s]) => s);
  const cidx = new Map(classes.map((s, i) => [s, i]));
  const C = classes.length;
  const rows: number[] = [];
  entries.forEach((e, i) => {
    if (cidx.has(sequenceOf(e.u))) rows.push(i);
  });

  // multinomial logistic regression, AdaGrad, L2
  const W = new Float32Array(V * C);
  const G = new Float32Array(V * C).fill(opts.adagradInit ?? 1e-8);
  const p = new Float64Array(C);
  for (let ep = 0; ep < epochs; ep++) {
    shuffle(rows, rand);
    for (const n of rows) {
      const x = X[n] as number[];
      const y = cidx.get(sequenceOf((entries[n] as KbEntry).u)) as number;
      p.fill(0);
      for (const f of x) {
        const o = f * C;
        for (let c = 0; c < C; c++) p[c] = (p[c] as number) + (W[o + c] as number);
      }
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, p[c] as number);
      let z = 0;
      for (let c = 0; c < C; c++) {
        p[c] = Math.exp((p[c] as number) - m);
        z += p[c] as number;
      }
      for (const f of x) {
        const o = f * C;
        for (let c = 0; c < C; c++) {
          const g = (p[c] as number) / z - (c === y ? 1 : 0) + l2 * (W[o + c] as number);
          G[o + c] = (G[o + c] as number) + g * g;
          W[o + c] = (W[o + c] as number) - (rate * g) / Math.sqrt(G[o + c] as number);
        }
      }
    }
    opts.progress?.('sequences', ep + 1, epochs);
  }
  // centre each feature's row on its median (softmax is unchanged) and keep the large weights
  const weights: Packed[] = [];
  for (let f = 0; f < V; f++) {
    const row = Array.from(W.subarray(f * C, f * C + C));
    const med = [...row].sort((a, b) => a - b)[C >> 1] ?? 0;
    const packed: Packed = [];
    row.forEach((w, c) => {
      if (Math.abs(w - med) >= prune) packed.push(c, round2(w - med));
    });
    weights.push(packed);
  }

  const utils = entries.map((e) => decodeUtilities(e.u));
  // its own generator, so that adding it left the flag models' training unchanged
  const presence = trainPresence(X, utils, V, opts, rng((opts.seed ?? 1) + 1));

  // flag models: for each utility, a binary model per frequent flag over the examples using it
  const byUtility = new Map<string, number[]>();
  utils.forEach((us, i) => {
    for (const name of new Set(us.map((u) => u.name))) {
      let l = byUtility.get(name);
      if (!l) byUtility.set(name, (l = []));
      l.push(i);
    }
  });
  const flags: ModelData['flags'] = {};
  const names = [...byUtility.keys()].sort();
  names.forEach((name, done) => {
    const idx = byUtility.get(name) as number[];
    if (idx.length < 3) return;
    const count = new Map<string, number>();
    for (const i of idx) {
      const set = new Set<string>();
      for (const u of utils[i] ?? []) if (u.name === name) for (const f of u.flags) set.add(f);
      for (const f of set) count.set(f, (count.get(f) ?? 0) + 1);
    }
    const models: ModelData['flags'][string] = [];
    for (const [flag, n] of [...count].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (n < minFlag) continue;
      const y = idx.map((i) => ((utils[i] ?? []).some((u) => u.name === name && u.flags.has(flag)) ? 1 : 0));
      const { bias, w } = trainBinary(
        idx.map((i) => X[i] as number[]),
        y,
        opts.flagEpochs ?? 8,
        opts.flagRate ?? 0.6,
        opts.flagL2 ?? 1e-4,
        rand,
        opts.flagAdagradInit ?? 1,
      );
      const packed: Packed = [];
      for (const [k, v] of [...w].sort((a, b) => a[0] - b[0]))
        if (Math.abs(v) >= (opts.flagPrune ?? 0.15)) packed.push(k, round2(v));
      models.push({ flag, bias: Math.round(bias * 100) / 100, weights: packed });
    }
    if (models.length) flags[name] = models;
    opts.progress?.('flags', done + 1, names.length);
  });
  return {
    version: MODEL_VERSION,
    source: 'trained on the NL2Bash train split only (resources/assistant/nl2bash-kb.json)',
    vocab,
    classes,
    weights,
    presence,
    flags,
  };
}

/** One logistic regression per frequent utility: does the command use it at all? All examples. */
function trainPresence(
  X: number[][],
  utils: Array<Array<{ name: string }>>,
  V: number,
  opts: TrainOptions,
  rand: () => number,
): ModelData['presence'] {
  const epochs = opts.presenceEpochs ?? 8;
  const rate = opts.presenceRate ?? 0.5;
  const l2 = opts.presenceL2 ?? 1e-4;
  const prune = opts.presencePrune ?? 0.1;
  const count = new Map<string, number>();
  for (const us of utils)
    for (const n of new Set(us.map((u) => u.name))) count.set(n, (count.get(n) ?? 0) + 1);
  const utilities = [...count]
    .filter(([, n]) => n >= (opts.minPresence ?? 3))
    .map(([u]) => u)
    .sort();
  const uidx = new Map(utilities.map((u, i) => [u, i]));
  const U = utilities.length;
  const Y = utils.map((us) => new Set(us.map((u) => uidx.get(u.name)).filter((i) => i !== undefined)));
  const W = new Float32Array(V * U);
  const G = new Float32Array(V * U).fill(1);
  const z = new Float64Array(U);
  const order = X.map((_, i) => i);
  for (let ep = 0; ep < epochs; ep++) {
    shuffle(order, rand);
    for (const n of order) {
      const x = X[n] as number[];
      const y = Y[n] as Set<number>;
      z.fill(0);
      for (const f of x) {
        const o = f * U;
        for (let u = 0; u < U; u++) z[u] = (z[u] as number) + (W[o + u] as number);
      }
      for (let u = 0; u < U; u++) z[u] = 1 / (1 + Math.exp(-(z[u] as number))) - (y.has(u) ? 1 : 0);
      for (const f of x) {
        const o = f * U;
        for (let u = 0; u < U; u++) {
          const g = (z[u] as number) + l2 * (W[o + u] as number);
          G[o + u] = (G[o + u] as number) + g * g;
          W[o + u] = (W[o + u] as number) - (rate * g) / Math.sqrt(G[o + u] as number);
        }
      }
    }
    opts.progress?.('presence', ep + 1, epochs);
  }
  const weights: Packed[] = [];
  for (let f = 0; f < V; f++) {
    const packed: Packed = [];
    for (let u = 0; u < U; u++) {
      const w = W[f * U + u] as number;
      if (Math.abs(w) >= prune) packed.push(u, round2(w));
    }
    weights.push(packed);
  }
  return { utilities, beta: opts.presenceBeta ?? 1, weights };
}

function trainBinary(
  X: number[][],
  y: number[],
  epochs: number,
  rate: number,
  l2: number,
  rand: () => number,
  init: number,
): { bias: number; w: Map<number, number> } {
  const w = new Map<number, number>();
  const g2 = new Map<number, number>();
  let bias = 0;
  let gb = init;
  const order = X.map((_, i) => i);
  for (let ep = 0; ep < epochs; ep++) {
    shuffle(order, rand);
    for (const n of order) {
      const x = X[n] as number[];
      let z = bias;
      for (const f of x) z += w.get(f) ?? 0;
      const g0 = 1 / (1 + Math.exp(-z)) - (y[n] as number);
      gb += g0 * g0;
      bias -= (rate * g0) / Math.sqrt(gb);
      for (const f of x) {
        const old = w.get(f) ?? 0;
        const g = g0 + l2 * old;
        const acc = (g2.get(f) ?? init) + g * g;
        g2.set(f, acc);
        w.set(f, old - (rate * g) / Math.sqrt(acc));
      }
    }
  }
  return { bias, w };
}

/** Run-time view of a trained model. */
export class LearnedModel {
  private readonly vidx: Map<string, number>;
  /** per class: the indices of its (distinct) utilities that have a presence model */
  private readonly classUtilities: number[][];
  /** per utility: its flags, their biases, and feature → packed (flag index, weight) postings */
  private readonly flagModels: Map<
    string,
    { flags: string[]; bias: Float64Array; postings: Map<number, number[]> }
  >;

  constructor(private readonly data: ModelData) {
    if (data?.version !== MODEL_VERSION)
      throw new Error(`assistant model version ${String(data?.version)} is not supported`);
    const ok =
      Array.isArray(data.vocab) &&
      Array.isArray(data.classes) &&
      Array.isArray(data.weights) &&
      data.weights.length === data.vocab.length &&
      Array.isArray(data.presence?.utilities) &&
      Array.isArray(data.presence?.weights) &&
      typeof data.flags === 'object' &&
      data.flags !== null;
    if (!ok) throw new Error('assistant model is malformed (vocabulary, classes, weights or flags missing)');
    this.vidx = new Map(data.vocab.map((v, i) => [v, i]));
    const uidx = new Map(data.presence.utilities.map((u, i) => [u, i]));
    this.classUtilities = data.classes.map((c) =>
      [...new Set(c.split('|'))].map((u) => uidx.get(u)).filter((i) => i !== undefined),
    );
    this.flagModels = new Map();
    for (const [name, ms] of Object.entries(data.flags)) {
      const postings = new Map<number, number[]>();
      ms.forEach((m, mi) => {
        for (let j = 0; j + 1 < m.weights.length; j += 2) {
          const f = m.weights[j] as number;
          let list = postings.get(f);
          if (!list) postings.set(f, (list = []));
          list.push(mi, (m.weights[j + 1] as number) / 100);
        }
      });
      this.flagModels.set(name, {
        flags: ms.map((m) => m.flag),
        bias: Float64Array.from(ms, (m) => m.bias),
        postings,
      });
    }
  }

  get classes(): readonly string[] {
    return this.data.classes;
  }

  /** Feature indices of a request (unknown features dropped). */
  encode(nl: string): number[] {
    const out: number[] = [];
    for (const f of textFeatures(nl)) {
      const i = this.vidx.get(f);
      if (i !== undefined) out.push(i);
    }
    return out;
  }

  /** The `top` most probable utility sequences with their probabilities (summing to ≤ 1). */
  sequences(x: number[], top: number): Array<{ sequence: string; p: number }> {
    const C = this.data.classes.length;
    const z = new Float64Array(C);
    const { presence } = this.data;
    const zu = new Float64Array(presence.utilities.length);
    for (const f of x) {
      const row = this.data.weights[f];
      if (row)
        for (let j = 0; j + 1 < row.length; j += 2) {
          const c = row[j] as number;
          z[c] = (z[c] as number) + (row[j + 1] as number) / 100;
        }
      const pr = presence.weights[f];
      if (pr)
        for (let j = 0; j + 1 < pr.length; j += 2) {
          const u = pr[j] as number;
          zu[u] = (zu[u] as number) + (pr[j + 1] as number) / 100;
        }
    }
    // each class gains beta × the logits of its utilities' presence (clamped to ±9.2, p 1e-4)
    for (let c = 0; c < C; c++)
      for (const u of this.classUtilities[c] as number[])
        z[c] = (z[c] as number) + presence.beta * Math.min(9.2, Math.max(-9.2, zu[u] as number));
    let m = -Infinity;
    for (const v of z) m = Math.max(m, v);
    let sum = 0;
    for (let c = 0; c < C; c++) {
      z[c] = Math.exp((z[c] as number) - m);
      sum += z[c] as number;
    }
    // top-k by insertion into a short sorted list
    const best: number[] = [];
    for (let c = 0; c < C; c++) {
      const v = z[c] as number;
      if (best.length === top && v <= (z[best[top - 1] as number] as number)) continue;
      let i = best.length;
      while (i > 0 && (z[best[i - 1] as number] as number) < v) i--;
      best.splice(i, 0, c);
      if (best.length > top) best.pop();
    }
    return best.map((c) => ({ sequence: this.data.classes[c] as string, p: (z[c] as number) / sum }));
  }

  /** Probability of each modelled flag of `utility` for this request. */
  flagProbabilities(utility: string, x: number[]): Array<{ flag: string; p: number }> {
    const m = this.flagModels.get(utility);
    if (!m) return [];
    const z = Float64Array.from(m.bias);
    for (const f of x) {
      const list = m.postings.get(f);
      if (!list) continue;
      for (let j = 0; j + 1 < list.length; j += 2) {
        const i = list[j] as number;
        z[i] = (z[i] as number) + (list[j + 1] as number);
      }
    }
    return m.flags.map((flag, i) => ({ flag, p: 1 / (1 + Math.exp(-(z[i] as number))) }));
  }
}

/**
 * TF-IDF retrieval over the knowledge base: the request's nearest examples by cosine similarity of
 * stemmed unigrams and bigrams. The engine weighs their command structures (engine.ts).
 */
import type { KbEntry } from './kb';
import { tokenize } from './text';

export class RetrievalIndex {
  private readonly docs: KbEntry[];
  private readonly postings = new Map<string, { ids: Int32Array; ws: Float32Array }>();
  private readonly idf = new Map<string, number>();
  private readonly scratch: Float64Array;

  constructor(entries: KbEntry[]) {
    this.docs = entries;
    this.scratch = new Float64Array(entries.length);
    const df = new Map<string, number>();
    const tfs: Array<Map<string, number>> = [];
    const building = new Map<string, number[]>();
    for (const d of this.docs) {
      const tf = new Map<string, number>();
      for (const t of this.features(d.nl)) tf.set(t, (tf.get(t) ?? 0) + 1);
      tfs.push(tf);
      for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const n = this.docs.length;
    for (const [t, f] of df) this.idf.set(t, Math.log((n + 1) / (f + 0.5)));
    tfs.forEach((tf, i) => {
      let norm = 0;
      const w = new Map<string, number>();
      for (const [t, c] of tf) {
        const v = (1 + Math.log(c)) * (this.idf.get(t) ?? 0);
        w.set(t, v);
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, v] of w) {
        let list = building.get(t);
        if (!list) building.set(t, (list = []));
        list.push(i, v / norm);
      }
    });
    for (const [t, list] of building) {
      const n2 = list.length / 2;
      const ids = new Int32Array(n2);
      const ws = new Float32Array(n2);
      for (let j = 0; j < n2; j++) {
        ids[j] = list[2 * j] ?? 0;
        ws[j] = list[2 * j + 1] ?? 0;
      }
      this.postings.set(t, { ids, ws });
    }
  }

  get size(): number {
    return this.docs.length;
  }

  entry(i: number): KbEntry | undefined {
    return this.docs[i];
  }

  /** Unigrams and bigrams of the stemmed tokens; the first content word (usually the verb) is marked. */
  features(text: string): string[] {
    const toks = tokenize(text);
    const out = [...toks];
    for (let i = 0; i + 1 < toks.length; i++) out.push(`${toks[i]}_${toks[i + 1]}`);
    if (toks[0]) out.push(`V:${toks[0]}`);
    return out;
  }

  /** Top-k neighbours by cosine similarity. */
  neighbours(text: string, k: number, exclude?: Set<number>): Array<{ index: number; sim: number }> {
    const tf = new Map<string, number>();
    for (const t of this.features(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    const q = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const idf = this.idf.get(t);
      if (idf === undefined) continue;
      const v = (1 + Math.log(c)) * idf;
      q.set(t, v);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    const scores = this.scratch;
    const touched: number[] = [];
    for (const [t, v] of q) {
      const wq = v / norm;
      const p = this.postings.get(t);
      if (!p) continue;
      const { ids, ws } = p;
      for (let j = 0; j < ids.length; j++) {
        const i = ids[j] as number;
        if (scores[i] === 0) touched.push(i);
        scores[i] = (scores[i] as number) + wq * (ws[j] as number);
      }
    }
    // top-k by partial selection
    const best: Array<{ index: number; sim: number }> = [];
    let floor = -Infinity;
    for (const i of touched) {
      const sim = scores[i] ?? 0;
      scores[i] = 0;
      if (exclude?.has(i)) continue;
      if (best.length < k) {
        best.push({ index: i, sim });
        if (best.length === k) {
          best.sort((a, b) => b.sim - a.sim);
          floor = best[best.length - 1]?.sim ?? -Infinity;
        }
      } else if (sim > floor) {
        let pos = best.length - 1;
        while (pos > 0 && (best[pos - 1]?.sim ?? 0) < sim) pos--;
        best.splice(pos, 0, { index: i, sim });
        best.pop();
        floor = best[best.length - 1]?.sim ?? -Infinity;
      }
    }
    best.sort((a, b) => b.sim - a.sim || a.index - b.index);
    return best;
  }
}

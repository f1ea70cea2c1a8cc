/**
 * The offline translation engine. Never touches the network.
 *
 * 1. Beliefs about the answer's structure (utilities in order, each with its flags), a mixture of
 *    the learned model (utility-sequence probabilities × independent flag probabilities, see
 *    learn.ts) and the structures of the request's TF-IDF neighbours in the knowledge base.
 * 2. Candidates: known structures of the most probable sequences, the neighbours' structures, and
 *    the intent rules' commands.
 * 3. Minimum Bayes risk under the NLC2CMD metric: the first candidate has the highest exact
 *    expected score under the beliefs; the next four are added greedily to maximise the expected
 *    score of the whole list (best if any is positive, else the mean) on seeded samples of the
 *    beliefs, which makes them complementary.
 * 4. Each structure is realised as the most similar knowledge-base command with that structure,
 *    with the request's own paths, names, sizes and patterns filled in.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { decodeUtilities, findResource, loadKb, type KbEntry } from './kb';
import { LearnedModel, MODEL_FILE, rng, sequenceOf, type ModelData } from './learn';
import { RetrievalIndex } from './retrieval';
import { applyRules, type RuleContext } from './rules';
import { fillArguments } from './slots';
import { pairScore, utilitiesOf, type Utility } from '../metric/nlc2cmd';

export interface EngineCandidate {
  command: string;
  confidence: number;
  explanation: string;
  origin: 'rule' | 'retrieval';
}

export interface EngineOptions {
  /** samples of the answer's structure for choosing the list (more: steadier, slower) */
  samples: number;
  /** share of the samples drawn from the neighbours (the rest from the learned model) */
  neighbourShare: number;
  /** neighbours that vote, weighted by similarity^alpha */
  neighbours: number;
  alpha: number;
  /** sequences sampled from / sequences whose known structures become candidates */
  sequences: number;
  candidateSequences: number;
  /** known structures per candidate sequence (most frequent first) */
  structuresPerSequence: number;
  /** expected-score bonus of an intent rule, times its confidence */
  ruleBonus: number;
  /** sharpens (< 1) or flattens (> 1) the model's sequence probabilities */
  temperature: number;
  /** best candidates (by expected score) the list's second to fifth entries are chosen from */
  shortlist: number;
  /** an intent rule at least this confident is put first, for a request short enough (below) */
  ruleFirst: number;
  /**
   * a longer request usually says more than a rule understood: the rule then only takes second
   * place; `find` requests combine conditions (name, size, age, type) that rules catch only in
   * part, so they lead only when short, other (single-purpose) rules up to the second length
   */
  ruleLeadWords: number;
  ruleLeadWordsAtomic: number;
}

export const DEFAULT_ENGINE: EngineOptions = {
  samples: 100,
  neighbourShare: 0.5,
  neighbours: 40,
  alpha: 4,
  sequences: 10,
  candidateSequences: 8,
  structuresPerSequence: 30,
  ruleBonus: 0.2,
  shortlist: 60,
  temperature: 1,
  ruleFirst: 0.88,
  ruleLeadWords: 6,
  ruleLeadWordsAtomic: 10,
};

export interface TranslateOptions extends RuleContext {
  limit?: number;
  engine?: Partial<EngineOptions>;
  /** leave the intent rules out (measuring the learned part alone) */
  noRules?: boolean;
}

interface Candidate {
  key: string;
  utils: Utility[];
  /** expected NLC2CMD score under the beliefs */
  mean: number;
  bonus: number;
  rule?: number;
}

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * E[(1 + F) / 2] of a predicted flag set against a reference whose flags are independent with the
 * given probabilities (NLC2CMD flag score F). Exact, by the distributions of the number of shared
 * flags and of extra reference flags.
 */
export function expectedFlagScore(predicted: Set<string>, probs: Array<{ flag: string; p: number }>): number {
  const np = predicted.size;
  const MAX_EXTRA = 12;
  // distributions of the number of shared flags (0..np) and of extra reference flags (0..MAX_EXTRA)
  const shared = new Float64Array(np + 1);
  const extra = new Float64Array(MAX_EXTRA + 1);
  shared[0] = 1;
  extra[0] = 1;
  let topShared = 0;
  let topExtra = 0;
  for (const { flag, p } of probs) {
    if (p < 1e-4) continue;
    const inP = predicted.has(flag);
    const d = inP ? shared : extra;
    const cap = inP ? np : MAX_EXTRA;
    let top = inP ? topShared : topExtra;
    if (top < cap) top++;
    for (let k = top; k > 0; k--) d[k] = (d[k] as number) * (1 - p) + (d[k - 1] as number) * p;
    d[0] = (d[0] as number) * (1 - p);
    if (inP) topShared = top;
    else topExtra = top;
  }
  let e = 0;
  for (let a = 0; a <= topShared; a++) {
    const pa = shared[a] as number;
    if (pa === 0) continue;
    for (let b = 0; b <= topExtra; b++) {
      const r = a + b;
      const f = np === 0 && r === 0 ? 1 : (2 * a - np - b) / Math.max(np, r);
      e += pa * (extra[b] as number) * ((1 + f) / 2);
    }
  }
  return e;
}

interface ModelRead {
  model: LearnedModel | null;
  problem: string | null;
}

const NO_MODEL: ModelRead = { model: null, problem: null };

/** A model file that cannot be read or is malformed is a problem to report, not a failure. */
function readModel(file: string, read: () => string): ModelRead {
  try {
    return { model: new LearnedModel(JSON.parse(read()) as ModelData), problem: null };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { model: null, problem: `${file}: ${why}; answering from retrieval alone` };
  }
}

export class OfflineEngine {
  readonly index: RetrievalIndex;
  readonly model: LearnedModel | null;
  options: EngineOptions = { ...DEFAULT_ENGINE };
  /** why the learned model could not be used (the engine then answers from retrieval alone) */
  modelProblem: string | null = null;
  private readonly entries: KbEntry[];
  /** sequence → its known structures, most frequent first */
  private readonly structures = new Map<string, string[]>();
  /** structure → the first knowledge-base index having it */
  private readonly firstWithStructure = new Map<string, number>();
  private readonly decoded = new Map<string, Utility[]>();
  /** a decoded utility's own `name:flag,flag` text (a cache key) */
  private readonly keys = new WeakMap<Utility, string>();

  constructor(entries: KbEntry[], model: ModelData | LearnedModel | null, index?: RetrievalIndex) {
    this.entries = entries;
    this.index = index ?? new RetrievalIndex(entries);
    this.model = model instanceof LearnedModel ? model : model ? new LearnedModel(model) : null;
    const counts = new Map<string, Map<string, number>>();
    entries.forEach((e, i) => {
      if (!this.firstWithStructure.has(e.u)) this.firstWithStructure.set(e.u, i);
      const seq = sequenceOf(e.u);
      let m = counts.get(seq);
      if (!m) counts.set(seq, (m = new Map()));
      m.set(e.u, (m.get(e.u) ?? 0) + 1);
    });
    for (const [seq, m] of counts)
      this.structures.set(
        seq,
        [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([u]) => u),
      );
  }

  /** The programs the knowledge base uses, most used first. */
  programs(): string[] {
    const n = new Map<string, number>();
    for (const e of this.entries)
      for (const u of this.utilities(e.u)) n.set(u.name, (n.get(u.name) ?? 0) + 1);
    return [...n].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  }

  /** Loads the knowledge base and, when present, the learned model (retrieval alone otherwise). */
  static load(kbPath?: string, modelPath?: string): OfflineEngine {
    const file = modelPath ?? findResource(MODEL_FILE);
    const read = file ? readModel(file, () => readFileSync(file, 'utf8')) : NO_MODEL;
    const engine = new OfflineEngine(loadKb(kbPath), read.model);
    engine.modelProblem = read.problem;
    return engine;
  }

  /**
   * The same as `load`, in steps that yield to the event loop in between (each well under a
   * second), so a host serving other requests stays responsive while the engine loads.
   */
  static async loadAsync(kbPath?: string, modelPath?: string): Promise<OfflineEngine> {
    const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
    const entries = loadKb(kbPath);
    await tick();
    const index = new RetrievalIndex(entries);
    await tick();
    const file = modelPath ?? findResource(MODEL_FILE);
    let read: ModelRead = NO_MODEL;
    if (file) {
      const text = await readFile(file, 'utf8').catch((err: unknown) =>
        err instanceof Error ? err : new Error(String(err)),
      );
      await tick();
      read = readModel(file, () => {
        if (text instanceof Error) throw text;
        return text;
      });
      await tick();
    }
    const engine = new OfflineEngine(entries, read.model, index);
    engine.modelProblem = read.problem;
    return engine;
  }

  private utilities(encoded: string): Utility[] {
    let u = this.decoded.get(encoded);
    if (!u) {
      this.decoded.set(encoded, (u = decodeUtilities(encoded)));
      const parts = encoded.split('|');
      u.forEach((x, i) => this.keys.set(x, parts[i] ?? ''));
    }
    return u;
  }

  /** Requires initBashParser() to have resolved (rule candidates are parsed for ranking). */
  translate(request: string, opts: TranslateOptions = {}): EngineCandidate[] {
    const o = { ...this.options, ...opts.engine };
    const limit = opts.limit ?? 5;
    const text = request.slice(0, 2000);
    const rules = opts.noRules ? [] : applyRules(text, opts);
    const near = this.index.neighbours(text, o.neighbours);
    const x = this.model?.encode(text) ?? [];
    // nothing in the request that the corpus knows: no guess
    if (near.length === 0 && rules.length === 0) return [];

    // 1. beliefs: weighted neighbour structures and the model's sequences with flag probabilities
    const weights = near.map((n) => Math.pow(Math.max(n.sim, 1e-6), o.alpha));
    const wsum = weights.reduce((a, b) => a + b, 0) || 1;
    const nbUtils = near.map((n) => this.utilities((this.entries[n.index] as KbEntry).u));
    // neighbours grouped by structure (many share one), for the expectation
    const grouped = new Map<string, { utils: Utility[]; w: number }>();
    near.forEach((n, j) => {
      const key = (this.entries[n.index] as KbEntry).u;
      const g = grouped.get(key);
      if (g) g.w += weights[j] as number;
      else grouped.set(key, { utils: nbUtils[j] as Utility[], w: weights[j] as number });
    });
    const groups = [...grouped.values()];
    const seqs = (this.model && near.length > 0 ? this.model.sequences(x, o.sequences) : []).map((q) => ({
      sequence: q.sequence,
      p: Math.pow(q.p, 1 / o.temperature),
    }));
    const psum = seqs.reduce((a, q) => a + q.p, 0) || 1;
    const seqNames = seqs.map((q) => q.sequence.split('|'));
    const beta = seqs.length === 0 ? 1 : o.neighbourShare;
    const flagProbs = new Map<string, Array<{ flag: string; p: number }>>();
    const probsOf = (name: string): Array<{ flag: string; p: number }> => {
      let pr = flagProbs.get(name);
      if (!pr) flagProbs.set(name, (pr = this.model?.flagProbabilities(name, x) ?? []));
      return pr;
    };
    const positionCache = new Map<string, number>();
    const positionScore = (u: Utility): number => {
      const key = this.keys.get(u) ?? `${u.name}:${[...u.flags].sort().join(',')}`;
      let v = positionCache.get(key);
      if (v === undefined) positionCache.set(key, (v = expectedFlagScore(u.flags, probsOf(u.name))));
      return v;
    };
    const expected = (utils: Utility[]): number => {
      let nb = 0;
      for (const g of groups) nb += g.w * pairScore(utils, g.utils);
      let model = 0;
      for (let j = 0; j < seqNames.length; j++) {
        const names = seqNames[j] as string[];
        const T = Math.max(utils.length, names.length);
        let sc = 0;
        for (let i = 0; i < T; i++) {
          const u = utils[i];
          sc += u && u.name === names[i] ? positionScore(u) : -1;
        }
        model += ((seqs[j] as { p: number }).p * sc) / T;
      }
      return (beta * nb) / wsum + ((1 - beta) * model) / psum;
    };

    // 2. candidates, ranked by expected score
    const pool = new Map<string, Candidate>();
    const add = (key: string, utils: Utility[], bonus: number, rule?: number): void => {
      const have = pool.get(key);
      if (have) {
        if (rule !== undefined && have.rule === undefined) {
          have.rule = rule;
          have.bonus = Math.max(have.bonus, bonus);
        }
        return;
      }
      pool.set(key, { key, utils, mean: expected(utils), bonus, rule });
    };
    rules.forEach((r, i) => {
      const utils = utilitiesOf(r.command);
      if (utils.length) add(`rule:${r.command}`, utils, o.ruleBonus * r.confidence, i);
    });
    for (const q of seqs.slice(0, o.candidateSequences))
      for (const u of (this.structures.get(q.sequence) ?? []).slice(0, o.structuresPerSequence))
        add(u, this.utilities(u), 0);
    for (const n of near) {
      const u = (this.entries[n.index] as KbEntry).u;
      if (u) add(u, this.utilities(u), 0);
    }
    const ranked = [...pool.values()].sort((a, b) => b.mean + b.bonus - (a.mean + a.bonus));
    const chosen: Candidate[] = ranked.slice(0, 1);

    // 3. the rest of the list: greedy on samples of the beliefs, maximising the list's score
    const shortlist = ranked.slice(0, o.shortlist);
    if (limit > 1 && shortlist.length > 1) {
      const rand = rng(hashString(text));
      const samples: Utility[][] = [];
      for (let k = 0; k < o.samples; k++) {
        if (rand() < beta) {
          let r = rand() * wsum;
          let pick = nbUtils[0] as Utility[];
          for (let j = 0; j < nbUtils.length; j++) {
            r -= weights[j] as number;
            if (r <= 0) {
              pick = nbUtils[j] as Utility[];
              break;
            }
          }
          samples.push(pick);
          continue;
        }
        let r = rand() * psum;
        let names = seqNames[0] ?? [];
        for (let j = 0; j < seqs.length; j++) {
          r -= (seqs[j] as { p: number }).p;
          if (r <= 0) {
            names = seqNames[j] as string[];
            break;
          }
        }
        samples.push(
          names.map((name) => {
            const flags = new Set<string>();
            for (const f of probsOf(name)) if (rand() < f.p) flags.add(f.flag);
            return { name, flags };
          }),
        );
      }
      const S = samples.length;
      const table = shortlist.map((c) => Float64Array.from(samples, (smp) => pairScore(c.utils, smp)));
      const curMax = Float64Array.from(table[0] as Float64Array);
      const curSum = Float64Array.from(table[0] as Float64Array);
      const taken = new Set<number>([0]);
      while (chosen.length < Math.min(limit, shortlist.length)) {
        let best = -1;
        let bestValue = -Infinity;
        const n = chosen.length + 1;
        shortlist.forEach((c, ci) => {
          if (taken.has(ci)) return;
          const row = table[ci] as Float64Array;
          let v = 0;
          for (let k = 0; k < S; k++) {
            const sc = row[k] as number;
            const mx = Math.max(curMax[k] as number, sc);
            v += mx > 0 ? mx : ((curSum[k] as number) + sc) / n;
          }
          v = v / S + c.bonus;
          if (v > bestValue) {
            bestValue = v;
            best = ci;
          }
        });
        if (best < 0) break;
        taken.add(best);
        chosen.push(shortlist[best] as Candidate);
        const row = table[best] as Float64Array;
        for (let k = 0; k < S; k++) {
          curMax[k] = Math.max(curMax[k] as number, row[k] as number);
          curSum[k] = (curSum[k] as number) + (row[k] as number);
        }
      }
    }

    // 4. realise as commands
    const out: EngineCandidate[] = [];
    let wide: Array<{ index: number; sim: number }> | null = null;
    for (const c of chosen) {
      const useful = clamp01((1 + c.mean) / 2);
      const rule = c.rule !== undefined ? rules[c.rule] : undefined;
      if (rule) {
        if (out.some((e) => e.command === rule.command)) continue;
        out.push({
          command: rule.command,
          confidence: clamp01(Math.max(rule.confidence * 0.9, useful)),
          explanation: rule.explanation,
          origin: 'rule',
        });
        continue;
      }
      const hasIt = (n: { index: number }): boolean => this.entries[n.index]?.u === c.key;
      let example = near.find(hasIt)?.index;
      if (example === undefined) {
        wide ??= this.index.neighbours(text, 400);
        example = wide.find(hasIt)?.index ?? this.firstWithStructure.get(c.key);
      }
      const entry = example !== undefined ? this.entries[example] : undefined;
      if (!entry) continue;
      const { command } = fillArguments(entry.cmd, entry.nl, text);
      if (out.some((e) => e.command === command)) continue;
      out.push({
        command,
        confidence: clamp01(0.05 + 0.9 * useful),
        explanation: `adapted from a similar example: “${entry.nl.slice(0, 160)}”`,
        origin: 'retrieval',
      });
    }
    // a confident intent rule the corpus knows nothing about (e.g. `tree`) still gets the second
    // place; a weaker one takes a free place at the end
    for (const rule of rules) {
      if (out.some((e) => e.command === rule.command)) continue;
      const c: EngineCandidate = {
        command: rule.command,
        confidence: rule.confidence * 0.8,
        explanation: rule.explanation,
        origin: 'rule',
      };
      if (rule.confidence >= 0.85) out.splice(Math.min(1, out.length), 0, c);
      else if (out.length < limit) out.push(c);
    }
    // a confident intent rule is what the user asked for: it leads (rules come most confident first)
    const lead = rules[0];
    const words = text.trim().split(/\s+/).length;
    if (
      lead &&
      lead.confidence >= o.ruleFirst &&
      (words <= o.ruleLeadWords ||
        (words <= o.ruleLeadWordsAtomic && !/^(sudo\s+)?find\b/.test(lead.command))) &&
      out[0]?.command !== lead.command
    ) {
      const at = out.findIndex((e) => e.command === lead.command);
      const [c] = at >= 0 ? out.splice(at, 1) : [];
      out.unshift({
        command: lead.command,
        confidence: Math.max(c?.confidence ?? 0, lead.confidence * 0.9),
        explanation: lead.explanation,
        origin: 'rule',
      });
    }
    return out.slice(0, limit);
  }
}

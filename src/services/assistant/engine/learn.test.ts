import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedFlagScore } from './engine';
import { findResource, KB_FILE, loadKb, type KbEntry } from './kb';
import {
  LearnedModel,
  MODEL_FILE,
  MODEL_VERSION,
  rng,
  sequenceOf,
  textFeatures,
  trainModel,
  type ModelData,
} from './learn';
import { flagScore } from '../metric/nlc2cmd';

/** E[(1+F)/2] by enumerating every reference flag set. */
function bruteForce(predicted: Set<string>, probs: Array<{ flag: string; p: number }>): number {
  let e = 0;
  for (let mask = 0; mask < 1 << probs.length; mask++) {
    let pr = 1;
    const ref = new Set<string>();
    probs.forEach(({ flag, p }, i) => {
      if (mask & (1 << i)) {
        pr *= p;
        ref.add(flag);
      } else pr *= 1 - p;
    });
    e += pr * ((1 + flagScore(predicted, ref)) / 2);
  }
  return e;
}

const entry = (nl: string, u: string): KbEntry => ({ nl, cmd: '', u });

describe('expectedFlagScore', () => {
  it('equals the enumeration over all reference flag sets', () => {
    const rand = rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      const probs = Array.from({ length: n }, (_, i) => ({
        flag: `-${String.fromCharCode(97 + i)}`,
        p: rand(),
      }));
      const predicted = new Set(probs.filter(() => rand() < 0.4).map((f) => f.flag));
      if (rand() < 0.2) predicted.add('-z'); // a flag the model never predicts
      expect(expectedFlagScore(predicted, probs)).toBeCloseTo(bruteForce(predicted, probs), 10);
    }
  });

  it('is 1 for certain agreement and 0 for a sure single wrong flag', () => {
    expect(expectedFlagScore(new Set(['-l']), [{ flag: '-l', p: 1 }])).toBeCloseTo(1);
    expect(expectedFlagScore(new Set(), [])).toBe(1);
    // predicting nothing against a certain -l: F = -1 → 0
    expect(expectedFlagScore(new Set(), [{ flag: '-l', p: 1 }])).toBeCloseTo(0);
    // predicting -a against a certain -l: F = -2 → -0.5
    expect(expectedFlagScore(new Set(['-a']), [{ flag: '-l', p: 1 }])).toBeCloseTo(-0.5);
  });
});

describe('trainModel and LearnedModel', () => {
  const corpus: KbEntry[] = [];
  const things = ['notes', 'logs', 'photos', 'reports', 'backups', 'music', 'videos', 'configs'];
  for (const t of things) {
    corpus.push(entry(`count the lines in the ${t}`, 'wc:-l'));
    corpus.push(entry(`how many lines are there in ${t}`, 'wc:-l'));
    corpus.push(entry(`list the ${t} with details`, 'ls:-l'));
    corpus.push(entry(`list all the ${t} including hidden ones`, 'ls:-a'));
    corpus.push(entry(`search the ${t} for errors recursively`, 'grep:-r'));
    corpus.push(entry(`find the ${t} and delete them`, 'find:-name|rm:'));
  }

  it('learns sequences and flags that carry over to new wording', () => {
    const model = new LearnedModel(trainModel(corpus, { minFeature: 1, epochs: 20 }));
    const ask = (nl: string): string => model.sequences(model.encode(nl), 3)[0]?.sequence ?? '';
    expect(ask('count the lines in the drafts')).toBe('wc');
    expect(ask('find the drafts and delete them')).toBe('find|rm');
    expect(ask('search the drafts for errors recursively')).toBe('grep');
    const x = model.encode('list all the drafts including hidden ones');
    const p = Object.fromEntries(model.flagProbabilities('ls', x).map((f) => [f.flag, f.p]));
    expect(p['-a']).toBeGreaterThan(0.5);
    expect(p['-l']).toBeLessThan(0.5);
    const dist = model.sequences(x, 10);
    expect(dist.reduce((a, d) => a + d.p, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(model.flagProbabilities('nosuchutility', x)).toEqual([]);
  });

  it('re-weights the sequences by the presence of their utilities', () => {
    const data: ModelData = {
      version: MODEL_VERSION,
      source: 'test',
      vocab: ['BIAS', 'wipe', 'look'],
      classes: ['find', 'find|rm', 'rm'],
      weights: [[], [], []], // the sequence model alone is uniform
      // 'wipe' says rm (logit +3) and not find (-1); 'look' says find (+2) and not rm (-2)
      presence: { utilities: ['find', 'rm'], beta: 1, weights: [[], [0, -100, 1, 300], [0, 200, 1, -200]] },
      flags: {},
    };
    const order = (nl: string, beta: number): string[] =>
      new LearnedModel({ ...data, presence: { ...data.presence, beta } })
        .sequences(new LearnedModel(data).encode(nl), 3)
        .map((s) => s.sequence);
    expect(order('wipe it', 1)).toEqual(['rm', 'find|rm', 'find']);
    expect(order('look around', 1)).toEqual(['find', 'find|rm', 'rm']);
    // scores rm 3, find|rm 2, find -1 at beta 1: p(rm) = e^3 / (e^3 + e^2 + e^-1)
    const top = new LearnedModel(data).sequences(new LearnedModel(data).encode('wipe'), 3)[0];
    expect(top?.p).toBeCloseTo(Math.exp(3) / (Math.exp(3) + Math.exp(2) + Math.exp(-1)), 2);
    // without it, the tie keeps the class order
    expect(order('wipe it', 0)).toEqual(['find', 'find|rm', 'rm']);
  });

  it('learns utility presence from examples whose sequence is too rare to be a class', () => {
    // every "wipe" request has its own one-off sequence containing rm; none is a class
    const rare = ['ls|rm', 'cat|rm', 'sort|rm', 'echo|rm', 'tail|rm', 'head|rm', 'du|rm', 'df|rm'];
    const data = trainModel(
      [
        ...corpus,
        ...rare.map((u, i) => entry(`wipe the ${things[i] ?? ''} now`, u.replace(/\|/g, ':|') + ':')),
      ],
      { minFeature: 1, epochs: 20 },
    );
    for (const r of rare) expect(data.classes).not.toContain(r);
    expect(data.presence.utilities).toEqual(expect.arrayContaining(['rm', 'find', 'wc']));
    const model = new LearnedModel(data);
    const ask = (nl: string): string => model.sequences(model.encode(nl), 3)[0]?.sequence ?? '';
    // the only class with rm is find|rm: "wipe" must now pull towards it
    expect(ask('wipe the drafts now')).toBe('find|rm');
    expect(
      new LearnedModel({ ...data, presence: { ...data.presence, beta: 0 } }).sequences(
        model.encode('wipe the drafts now'),
        1,
      )[0]?.sequence,
    ).not.toBe('find|rm');
  });

  it('is deterministic for a seed', () => {
    const a = JSON.stringify(trainModel(corpus, { minFeature: 1, epochs: 3, seed: 7 }));
    const b = JSON.stringify(trainModel(corpus, { minFeature: 1, epochs: 3, seed: 7 }));
    expect(a).toBe(b);
  });

  it('refuses a model of another version', () => {
    const data = trainModel(corpus, { minFeature: 1, epochs: 1 });
    expect(() => new LearnedModel({ ...data, version: MODEL_VERSION + 1 })).toThrow(/version/);
  });

  it('extracts stemmed unigrams, bigrams and raw bigrams', () => {
    const f = textFeatures('Delete all files');
    expect(f).toEqual(expect.arrayContaining(['delet', 'file', 'r:delete_all', 'BIAS']));
    expect(sequenceOf('find:-name,-type|xargs:-0|rm:-f')).toBe('find|xargs|rm');
    expect(sequenceOf('')).toBe('');
  });
});

describe('the shipped model', () => {
  it('matches the shipped knowledge base (train pairs only)', () => {
    const file = findResource(MODEL_FILE);
    expect(file && existsSync(file)).toBeTruthy();
    const data = JSON.parse(readFileSync(file as string, 'utf8')) as ModelData;
    expect(data.version).toBe(MODEL_VERSION);
    const kb = loadKb(findResource(KB_FILE) ?? undefined);
    const seqs = new Set(kb.map((e) => sequenceOf(e.u)));
    for (const c of data.classes) expect(seqs.has(c)).toBe(true);
    expect(data.weights.length).toBe(data.vocab.length);
    expect(data.presence.weights.length).toBe(data.vocab.length);
    for (const u of data.presence.utilities)
      expect(kb.some((e) => sequenceOf(e.u).split('|').includes(u))).toBe(true);
    for (const u of Object.keys(data.flags))
      expect(kb.some((e) => sequenceOf(e.u).split('|').includes(u))).toBe(true);
  });
});

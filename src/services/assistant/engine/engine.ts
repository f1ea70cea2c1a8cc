/**
 * The offline translation engine: intent rules first, then retrieval over the knowledge base with
 * minimum-Bayes-risk ranking and argument filling. Never touches the network.
 */
import { loadKb, type KbEntry } from './kb';
import { DEFAULT_RETRIEVAL, RetrievalIndex, type RetrievalOptions } from './retrieval';
import { applyRules, type RuleContext } from './rules';
import { fillArguments } from './slots';
import { utilitiesOf } from '../metric/nlc2cmd';

export interface EngineCandidate {
  command: string;
  confidence: number;
  explanation: string;
  origin: 'rule' | 'retrieval';
}

export interface TranslateOptions extends RuleContext {
  limit?: number;
  retrieval?: RetrievalOptions;
}

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

export class OfflineEngine {
  readonly index: RetrievalIndex;
  /** how much a matching intent rule is preferred over the corpus consensus (metric units) */
  ruleBonus = 0.2;

  constructor(entries: KbEntry[]) {
    this.index = new RetrievalIndex(entries);
  }

  static load(path?: string): OfflineEngine {
    return new OfflineEngine(loadKb(path));
  }

  /** Requires initBashParser() to have resolved (rule candidates are parsed for ranking). */
  translate(request: string, opts: TranslateOptions = {}): EngineCandidate[] {
    const limit = opts.limit ?? 5;
    const text = request.slice(0, 2000);
    const rules = applyRules(text, opts);
    const extra = rules.map((r) => ({ utils: utilitiesOf(r.command), bonus: this.ruleBonus * r.confidence }));
    const ranked = this.index.rank(text, opts.retrieval ?? DEFAULT_RETRIEVAL, limit, extra);
    const out: EngineCandidate[] = [];
    for (const r of ranked) {
      const rule = r.extra >= 0 ? rules[r.extra] : undefined;
      if (rule) {
        if (!out.some((o) => o.command === rule.command))
          out.push({
            command: rule.command,
            confidence: rule.confidence,
            explanation: rule.explanation,
            origin: 'rule',
          });
        continue;
      }
      if (!r.entry) continue;
      const { command } = fillArguments(r.entry.cmd, r.entry.nl, text);
      if (out.some((o) => o.command === command)) continue;
      out.push({
        command,
        confidence: clamp01(0.1 + 0.5 * r.similarity + 0.3 * Math.max(0, r.expected)),
        explanation: `adapted from a similar example: “${r.entry.nl.slice(0, 160)}”`,
        origin: 'retrieval',
      });
    }
    // a confident rule the ranking left out still gets a place (second, or where there is room)
    for (const rule of rules) {
      if (out.some((o) => o.command === rule.command)) continue;
      const c: EngineCandidate = {
        command: rule.command,
        confidence: rule.confidence * 0.8,
        explanation: rule.explanation,
        origin: 'rule',
      };
      if (rule.confidence >= 0.85) out.splice(Math.min(1, out.length), 0, c);
      else if (out.length < limit) out.push(c);
    }
    return out.slice(0, limit);
  }
}

/**
 * `npm run --silent eval -- nl2bash-ceiling --data FILE.jsonl [--json]`
 *
 * How far the offline engine is from what any answer drawn from the knowledge base could score,
 * on lines {"nl", "cmd"} (NLC2CMD-style metric, top-1):
 * - `sequence_unseen_share`: requests whose utility sequence (e.g. find|xargs|grep) no
 *   knowledge-base command has, and `structure_unseen_share`: whose utilities with their flag sets
 *   none has (no answer drawn from the knowledge base can match those exactly);
 * - `oracle_best_structure_top1`: the best single knowledge-base structure per request (an
 *   upper bound for any engine that answers with known structures);
 * - `oracle_sequence_top1`: the engine told the right utility sequence whenever the knowledge base
 *   has it, choosing the flags with its learned flag model (its own top-1 otherwise), and
 *   `oracle_sequence_top5`: the same with that sequence's five known structures of highest
 *   expected flag score (the engine's own five otherwise);
 * - `engine_top1` and its split over requests with a seen / unseen sequence, and
 *   `engine_sequence_accuracy` (top-1 candidate has the reference's utility sequence).
 */
import { initBashParser } from '../../src/services/assistant/bash/parser';
import { OfflineEngine, expectedFlagScore } from '../../src/services/assistant/engine/engine';
import { decodeUtilities, encodeUtilities, loadKb } from '../../src/services/assistant/engine/kb';
import { sequenceOf } from '../../src/services/assistant/engine/learn';
import {
  invocationScore,
  pairScore,
  utilitiesOf,
  type Utility,
} from '../../src/services/assistant/metric/nlc2cmd';
import { argValue, readNl2BashRows } from './_nl2bashRows';

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write('usage: npm run --silent eval -- nl2bash-ceiling --data FILE.jsonl [--json]\n');
    return;
  }
  const json = argv.includes('--json');
  const data = argValue(argv, '--data') ?? process.env.NL2BASH_DEV ?? '/work/shared/data/nl2bash/dev.jsonl';
  const rows = readNl2BashRows(data, 'nl2bash-ceiling');
  if (!rows) {
    process.exitCode = 2;
    return;
  }
  await initBashParser();
  const engine = OfflineEngine.load();
  const model = engine.model;
  if (!model) {
    process.stderr.write(`nl2bash-ceiling: needs the learned model: ${engine.modelProblem ?? 'not found'}\n`);
    process.exitCode = 2;
    return;
  }
  const structures = new Map<string, Utility[]>();
  const bySequence = new Map<string, string[]>();
  for (const e of loadKb()) {
    if (structures.has(e.u)) continue;
    structures.set(e.u, decodeUtilities(e.u));
    const s = sequenceOf(e.u);
    bySequence.set(s, [...(bySequence.get(s) ?? []), e.u]);
  }
  const all = [...structures.values()];
  let seqUnseen = 0;
  let structUnseen = 0;
  let oracleBest = 0;
  let oracleSeq = 0;
  let oracleSeq5 = 0;
  let top1 = 0;
  let seqRight = 0;
  const split = { seen: 0, seenN: 0, unseen: 0, unseenN: 0 };
  rows.forEach((r, i) => {
    const ref = utilitiesOf(r.cmd);
    const encoded = encodeUtilities(ref);
    const seq = sequenceOf(encoded);
    const five = engine.translate(r.nl, { limit: 5 }).map((c) => utilitiesOf(c.command));
    const pred = five[0] ?? [];
    const score = invocationScore([pred], ref);
    top1 += score;
    if (pred.length > 0 && sequenceOf(encodeUtilities(pred)) === seq) seqRight++;
    if (!structures.has(encoded)) structUnseen++;
    let best = -1;
    for (const u of all) best = Math.max(best, pairScore(u, ref));
    oracleBest += best;
    const known = bySequence.get(seq);
    if (!known) {
      seqUnseen++;
      oracleSeq += score;
      oracleSeq5 += invocationScore(five, ref);
      split.unseen += score;
      split.unseenN++;
    } else {
      split.seen += score;
      split.seenN++;
      const x = model.encode(r.nl);
      const ranked = known
        .map((k) => {
          const utils = structures.get(k) as Utility[];
          let e = 0;
          for (const u of utils) e += expectedFlagScore(u.flags, model.flagProbabilities(u.name, x));
          return { utils, e };
        })
        .sort((a, b) => b.e - a.e);
      oracleSeq += pairScore((ranked[0] as { utils: Utility[] }).utils, ref);
      oracleSeq5 += invocationScore(
        ranked.slice(0, 5).map((c) => c.utils),
        ref,
      );
    }
    if (!json && (i + 1) % 100 === 0) process.stderr.write(`  ${i + 1}/${rows.length}\n`);
  });
  const n = rows.length || 1;
  const r4 = (v: number): number => Number(v.toFixed(4));
  const result = {
    count: rows.length,
    sequence_unseen_share: r4(seqUnseen / n),
    structure_unseen_share: r4(structUnseen / n),
    oracle_best_structure_top1: r4(oracleBest / n),
    oracle_sequence_top1: r4(oracleSeq / n),
    oracle_sequence_top5: r4(oracleSeq5 / n),
    engine_top1: r4(top1 / n),
    engine_top1_seen_sequence: r4(split.seen / (split.seenN || 1)),
    engine_top1_unseen_sequence: r4(split.unseen / (split.unseenN || 1)),
    engine_sequence_accuracy: r4(seqRight / n),
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
}

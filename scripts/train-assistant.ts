/**
 * Trains the assistant's learned model from the shipped knowledge base (NL2Bash train pairs only)
 * and writes resources/assistant/nl2bash-model.json. Deterministic (seeded).
 *
 *   npm run train:assistant [-- --kb FILE --out FILE --l2 X --flag-l2 X --prune X --flag-prune X --epochs N
 *                            --presence-beta X --presence-prune X ...]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findResource, KB_FILE, loadKb } from '../src/services/assistant/engine/kb';
import { MODEL_FILE, trainModel } from '../src/services/assistant/engine/learn';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const kbFile = arg('--kb') ?? findResource(KB_FILE);
if (!kbFile) {
  process.stderr.write(`train-assistant: ${KB_FILE} not found\n`);
  process.exit(1);
}
const out = arg('--out') ?? join(kbFile, '..', MODEL_FILE);
const entries = loadKb(kbFile);
const t0 = performance.now();
let last = '';
const num = (name: string): number | undefined => {
  const v = arg(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) {
    process.stderr.write(`train-assistant: ${name} needs a non-negative number, got "${v}"\n`);
    process.exit(2);
  }
  return n;
};
const model = trainModel(entries, {
  l2: num('--l2'),
  flagL2: num('--flag-l2'),
  prune: num('--prune'),
  flagPrune: num('--flag-prune'),
  epochs: num('--epochs'),
  flagEpochs: num('--flag-epochs'),
  flagRate: num('--flag-rate'),
  adagradInit: num('--adagrad-init'),
  flagAdagradInit: num('--flag-adagrad-init'),
  presenceEpochs: num('--presence-epochs'),
  presenceL2: num('--presence-l2'),
  presencePrune: num('--presence-prune'),
  presenceBeta: num('--presence-beta'),
  progress: (stage, done, total) => {
    const line = `${stage} ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
    else if (stage !== last || done === total) process.stderr.write(`${line}\n`);
    last = stage;
  },
});
writeFileSync(out, `${JSON.stringify(model)}\n`);
const flagModels = Object.values(model.flags).reduce((a, m) => a + m.length, 0);
process.stderr.write(
  `\ntrain-assistant: ${entries.length} examples → ${model.classes.length} sequences, ` +
    `${model.vocab.length} features, ${flagModels} flag models in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${out}\n`,
);

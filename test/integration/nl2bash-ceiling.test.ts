/**
 * The ceiling eval (`npm run eval -- nl2bash-ceiling`) on a small file made here: its shares and
 * oracles follow from the shipped knowledge base and the metric.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../eval/nl2bash-ceiling';
import { runMain } from '../helpers/runMain';

let dir: string;

const run = (argv: string[]): ReturnType<typeof runMain> => runMain(main, argv);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ainl-ceiling-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nl2bash-ceiling eval', () => {
  it('prints one JSON object whose shares and oracles follow from the knowledge base', async () => {
    const file = join(dir, 'rows.jsonl');
    const rows = [
      { nl: 'list all files in long format', cmd: 'ls -l' },
      { nl: 'find all txt files under the current directory', cmd: "find . -name '*.txt'" },
      // no knowledge-base command has this utility sequence
      { nl: 'frobnicate the widgets', cmd: 'frobnicate --all | quuxify' },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\nnot json\n');
    const { out, err, code } = await run(['--data', file, '--json']);
    expect(code).toBeUndefined();
    expect(err).toContain('line 4: not JSON, skipped');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0] as string) as Record<string, number>;
    expect(r.count).toBe(3);
    expect(r.sequence_unseen_share).toBeCloseTo(1 / 3, 4);
    expect(r.structure_unseen_share).toBeCloseTo(1 / 3, 4);
    // ls -l and find -name are known structures: best 1 each; the unknown pair scores −1 at best
    expect(r.oracle_best_structure_top1).toBeCloseTo(1 / 3, 4);
    expect(r.engine_top1_unseen_sequence).toBe(-1);
    expect(r.oracle_sequence_top1).toBeLessThanOrEqual(r.oracle_best_structure_top1 as number);
    expect(r.engine_top1).toBeLessThanOrEqual(r.oracle_best_structure_top1 as number);
  });

  it('a missing data file is a one-line error and exit code 2', async () => {
    const { out, err, code } = await run(['--data', join(dir, 'nope.jsonl'), '--json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('data file not found');
  });
});

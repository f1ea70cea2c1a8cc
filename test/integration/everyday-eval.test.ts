/**
 * The everyday-requests eval (`npm run eval -- everyday`) on small files made here: one request
 * the assistant answers acceptably, one whose accept list can never match, one malformed line;
 * and the exit-2 paths (missing file, accept regex that does not compile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, normalise, setName } from '../eval/everyday';
import { runMain } from '../helpers/runMain';

let dir: string;

const run = (argv: string[]): ReturnType<typeof runMain> => runMain(main, argv);

const line = (nl: string, accept: string[], topic = 'disk'): string => JSON.stringify({ nl, accept, topic });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ainl-everyday-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('everyday eval', () => {
  it('names sets after their files and collapses whitespace', () => {
    expect(setName('/x/everyday-dev.jsonl')).toBe('dev');
    expect(setName('tiny.jsonl')).toBe('tiny');
    expect(normalise('  df \t -h\n')).toBe('df -h');
  });

  it('counts top-1 / top-5 acceptable answers and skips a malformed line', async () => {
    const file = join(dir, 'tiny.jsonl');
    writeFileSync(
      file,
      [
        // the assistant answers this with df (df -h today); any df form is accepted
        line('how much free disk space do i have', ['(sudo )?df( .*)?']),
        // (?!) never matches: no candidate can be acceptable
        line('show the free disk space', ['(?!)']),
        '{"nl": "not closed',
      ].join('\n') + '\n',
    );
    const { out, err, code } = await run(['--data', file, '--json', '--verbose']);
    expect(code).toBeUndefined();
    const res = JSON.parse(out) as Record<
      string,
      { count: number; top1: number; top5: number; p95_ms: number }
    >;
    expect(Object.keys(res).sort()).toEqual(['all', 'tiny']);
    expect(res.tiny).toMatchObject({ count: 2, top1: 0.5, top5: 0.5 });
    expect(res.all).toEqual(res.tiny);
    expect(res.all?.p95_ms).toBeGreaterThan(0);
    expect(err).toMatch(/tiny\.jsonl:3: not JSON, skipped/);
    // --verbose names the failing request, not the passing one
    expect(err).toMatch(/FAIL \[tiny\/disk\] show the free disk space/);
    expect(err).not.toMatch(/FAIL .*how much free disk space/);
  });

  it('exits 2 on a missing data file', async () => {
    const { out, err, code } = await run(['--data', join(dir, 'nope.jsonl'), '--json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/data file not found: .*nope\.jsonl/);
  });

  it('exits 2 naming file and line when an accept regex does not compile', async () => {
    const file = join(dir, 'badre.jsonl');
    writeFileSync(file, `${line('list files', ['ls'])}\n${line('list files again', ['ls (-l'])}\n`);
    const { out, err, code } = await run(['--data', file, '--json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/badre\.jsonl:2: accept regex does not compile/);
  });
});

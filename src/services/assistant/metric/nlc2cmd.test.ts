import { beforeAll, describe, expect, it } from 'vitest';
import { initBashParser } from '../bash/parser';
import { exactMatch, flagScore, invocationScore, pairScore, scoreCommands, utilitiesOf } from './nlc2cmd';

beforeAll(async () => {
  await initBashParser();
});

const u = (cmd: string): Array<[string, string[]]> =>
  utilitiesOf(cmd).map((x) => [x.name, [...x.flags].sort()]);

describe('NLC2CMD metric', () => {
  it('splits commands into utilities with flag sets (bundles split, values ignored)', () => {
    expect(u('ls -la /tmp | grep -ri foo')).toEqual([
      ['ls', ['-a', '-l']],
      ['grep', ['-i', '-r']],
    ]);
    expect(u('tar czvf a.tgz dir')).toEqual([['tar', ['-c', '-f', '-v', '-z']]]);
    expect(u('find . -name "*.txt" -type f')).toEqual([['find', ['-name', '-type']]]);
  });

  it('includes nested utilities (find -exec, xargs, $(…)) in pre-order with subtree flags', () => {
    expect(u('find . -exec rm -f {} \\;')).toEqual([
      ['find', ['-exec', '-f']],
      ['rm', ['-f']],
    ]);
    expect(u('find . | xargs -0 grep -l x').map((x) => x[0])).toEqual(['find', 'xargs', 'grep']);
    expect(u('chmod +x $(which foo)').map((x) => x[0])).toEqual(['chmod', 'which']);
  });

  it('scores flags: 1 when both empty, (2·shared − union)/max', () => {
    expect(flagScore(new Set(), new Set())).toBe(1);
    expect(flagScore(new Set(['-a']), new Set(['-a']))).toBe(1);
    expect(flagScore(new Set(['-a']), new Set(['-a', '-b']))).toBe(0);
    expect(flagScore(new Set(['-x', '-y']), new Set(['-a', '-b']))).toBe(-2);
  });

  it('scores pairs per aligned position, −1 for a wrong or missing utility', () => {
    expect(scoreCommands(['find . -name a'], 'find /x -name b')).toBe(1);
    expect(scoreCommands(['find . -name a'], 'find . -name a -type f')).toBe(0.5);
    expect(scoreCommands(['ls'], 'find .')).toBe(-1);
    expect(scoreCommands(['find .'], 'find . | wc -l')).toBe(0); // (1 + −1) / 2
    expect(scoreCommands(['find . -x -y'], 'find . -a -b')).toBe(-0.5);
    expect(pairScore([], [])).toBe(0);
  });

  it('takes the best of up to 5 predictions if any is positive, else the mean', () => {
    const ref = utilitiesOf('grep -r foo .');
    expect(invocationScore([utilitiesOf('ls'), utilitiesOf('grep -r x y')], ref)).toBe(1);
    expect(invocationScore([utilitiesOf('ls'), utilitiesOf('cat x')], ref)).toBe(-1);
    expect(invocationScore([utilitiesOf('ls'), utilitiesOf('grep -x -y a')], ref)).toBeCloseTo(
      (-1 + (1 - 1.5) / 2) / 2,
    ); // F = (0 − 3) / 2;
    expect(invocationScore([], ref)).toBe(-1);
  });

  it('reports exact match after whitespace normalisation', () => {
    expect(exactMatch(' ls  -la ', 'ls -la')).toBe(true);
    expect(exactMatch('ls -l', 'ls -la')).toBe(false);
  });
});

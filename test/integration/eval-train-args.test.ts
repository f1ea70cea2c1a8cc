/**
 * The nl2bash eval and the assistant trainer run as a newcomer would run them (`npm run --silent
 * eval -- nl2bash …`, `npm run --silent train:assistant -- …`) with bad arguments: each must stop
 * before any work with exit code 2, one line on stderr and nothing on stdout. Only paths that
 * exit before training: a real training takes 90 s, and every trainer run here writes to a
 * temporary --out so a missed check can never replace the shipped model (it is killed at 60 s).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE } from '../../src/services/assistant/engine/engine';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ainl-eval-args-'));
const data = join(dir, 'dev.jsonl');
writeFileSync(data, `${JSON.stringify({ nl: 'list files', cmd: 'ls' })}\n`);
const modelOut = join(dir, 'model.json');
const knob = Object.keys(DEFAULT_ENGINE)[0] ?? 'none';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function npmRun(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn('npm', ['run', '--silent', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

/** Exit code 2, nothing on stdout, exactly one line on stderr matching `message`. */
async function refuses(args: string[], message: RegExp): Promise<void> {
  const r = await npmRun(args);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(message);
}

describe('npm run eval -- nl2bash: bad arguments', () => {
  it.each([
    [['--limit', 'abc'], /^nl2bash: --limit needs a positive whole number, got "abc"$/m],
    [['--limit', '-3'], /^nl2bash: --limit needs a positive whole number, got "-3"$/m],
    [['--limit=0'], /^nl2bash: --limit needs a positive whole number, got "0"$/m],
    [['--limit', '2.5'], /--limit needs a positive whole number, got "2.5"/],
    [['--engine', '{"topK": '], /^nl2bash: --engine needs a JSON object of numbers with keys from: \w/m],
    [['--engine', '{"noSuchKnob": 1}'], /--engine needs a JSON object of numbers/],
    [['--engine', JSON.stringify({ [knob]: '1' })], /--engine needs a JSON object of numbers/],
    [['--engine='], /--engine needs a JSON object of numbers/],
    [['--engine', '[1]'], /--engine needs a JSON object of numbers/],
  ])('%j', async (extra, message) => {
    await refuses(['eval', '--', 'nl2bash', '--json', '--data', data, ...extra], message);
  });

  it('a missing --data file', async () => {
    const missing = join(dir, 'no-such.jsonl');
    await refuses(
      ['eval', '--', 'nl2bash', '--json', '--data', missing],
      new RegExp(`^nl2bash: data file not found: ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'),
    );
  });
});

describe('npm run train:assistant: malformed numeric options', () => {
  it.each([
    [['--epochs', 'abc'], /^train-assistant: --epochs needs a non-negative number, got "abc"$/m],
    [['--l2', '-1'], /^train-assistant: --l2 needs a non-negative number, got "-1"$/m],
    [['--prune', ''], /^train-assistant: --prune needs a non-negative number, got ""$/m],
    [['--presence-beta', 'Infinity'], /--presence-beta needs a non-negative number, got "Infinity"/],
    [['--epochs', '3', '--flag-rate', '1e'], /--flag-rate needs a non-negative number, got "1e"/],
  ])('%j', async (extra, message) => {
    await refuses(['train:assistant', '--', '--out', modelOut, ...extra], message);
    expect(existsSync(modelOut)).toBe(false);
  });
});

/** The `ai` CLI in-process with captured streams and a temp XDG home. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runAi } from '../../src/cli/ai';

const root = mkdtempSync(join(tmpdir(), 'ainl-ai-cli-'));
const env = {
  HOME: root,
  XDG_DATA_HOME: join(root, 'data'),
  XDG_CONFIG_HOME: join(root, 'config'),
  AINL_SYSTEM_CONFIG_DIR: join(root, 'etc'),
  PATH: process.env.PATH,
  NO_COLOR: '1',
};

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function ai(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runAi(argv, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, out, err };
}

describe('ai CLI', () => {
  it('prints candidates as JSON', async () => {
    const r = await ai('--json', 'find files over 1 GB in my home');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { candidates: Array<{ command: string; risk: string }> };
    expect(j.candidates[0]).toMatchObject({ command: 'find ~ -type f -size +1G', risk: 'safe' });
  });

  it('prints a human list without prompting when not on a terminal', async () => {
    const r = await ai('show disk free space');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1\. df -h/m);
    expect(r.out).toMatch(/SAFE/);
  });

  it('checks and explains commands', async () => {
    const c = await ai('check', '--json', 'rm -rf ~');
    expect(JSON.parse(c.out)).toMatchObject({ command: 'rm -rf ~', risk: 'blocked' });
    const h = await ai('check', 'ls -la');
    expect(h.out).toMatch(/SAFE\s+ls -la/);
    const e = await ai('explain', 'grep -rn TODO src');
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/grep\s+print lines matching a pattern/);
    expect(e.out).toMatch(/-rn\s+-r: search directories recursively; -n: show line numbers/);
  });

  it('keeps a history', async () => {
    const r = await ai('history', '--json');
    const j = JSON.parse(r.out) as { items: Array<{ request: string }> };
    expect(j.items.map((i) => i.request)).toContain('show disk free space');
  });

  it('answers usage errors with exit code 2 and a one-line message', async () => {
    const none = await ai();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/say what you want to do/);
    expect((await ai('--bogus')).code).toBe(2);
    expect((await ai('--limit', '9', 'list files')).code).toBe(2);
    const long = await ai('x'.repeat(3000));
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/too long/);
  });

  it('exits 1 with a notice when nothing matches', async () => {
    const r = await ai('--json', 'zzqx vvbn');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as { notices: string[] }).notices.join(' ')).toMatch(/rephras/);
  });
});

/**
 * The interactive `ai` flow on a real pseudo-terminal (node-pty): choose, execute, edit, and the
 * default Cancel plus typed confirmation for a dangerous command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'ainl-ai-tty-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(request: string): {
  term: pty.IPty;
  output: () => string;
  waitFor: (re: RegExp, ms?: number) => Promise<void>;
  exit: Promise<number>;
} {
  const term = pty.spawn(
    process.execPath,
    [join(repo, 'node_modules/tsx/dist/cli.mjs'), join(repo, 'src/cli/ai.ts'), request],
    {
      cwd: root,
      cols: 120,
      rows: 40,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: root,
        XDG_DATA_HOME: join(root, 'data'),
        XDG_CONFIG_HOME: join(root, 'config'),
        AINL_SYSTEM_CONFIG_DIR: join(root, 'etc'),
        SHELL: '/bin/bash',
        NO_COLOR: '1',
        TERM: 'xterm',
      },
    },
  );
  let buf = '';
  term.onData((d) => (buf += d));
  const exit = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  const waitFor = async (re: RegExp, ms = 40_000): Promise<void> => {
    const t0 = Date.now();
    while (!re.test(buf)) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re}; output:\n${buf}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { term, output: () => buf, waitFor, exit };
}

describe('ai interactive (pty)', () => {
  it('executes the chosen safe command and exits with its status', async () => {
    const s = run('show disk free space');
    await s.waitFor(/Choose 1-\d \[1\]/);
    s.term.write('\r');
    await s.waitFor(/\[X\] Execute/);
    s.term.write('\r'); // default for a safe command: Execute
    expect(await s.exit).toBe(0);
    expect(s.output()).toMatch(/Filesystem/);
  }, 90_000);

  it('defaults to Cancel for a dangerous command and needs a typed confirmation', async () => {
    const s = run('show disk free space');
    await s.waitFor(/Choose 1-\d \[1\]/);
    s.term.write('1\r');
    await s.waitFor(/\[X\] Execute/);
    s.term.write('e\r');
    await s.waitFor(/edit> /);
    s.term.write(`\u0015rm -rf ${join(root, 'nothing-here')}\r`);
    await s.waitFor(/DANGEROUS/);
    await s.waitFor(/\[C\] Cancel/);
    s.term.write('x\r');
    await s.waitFor(/Type "yes" to run it/);
    s.term.write('no\r');
    await s.waitFor(/not confirmed; nothing was run/);
    s.term.write('\r'); // default: Cancel
    expect(await s.exit).toBe(1);
    expect(s.output()).toMatch(/cancelled/);
  }, 90_000);
});

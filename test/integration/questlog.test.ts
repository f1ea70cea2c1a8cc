/**
 * Quest Log end to end: real bash and zsh (node-pty) with the hook from `questlog init`, the
 * service module ingesting their spools, and the CLI as a newcomer would use it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/questlog';
import { defaultConfig } from '../../src/shared/config/schema';
import { resolvePaths } from '../../src/services/config/paths';
import { createLogger } from '../../src/services/core/logger';
import { createQuestlogModuleWith, type QuestlogModule } from '../../src/services/questlog/module';
import type { QuestCommand } from '../../src/shared/contract/questlog';
import { PtyShell } from '../bench/questlog';

let home: string;
let env: NodeJS.ProcessEnv;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(argv, { stdout, stderr, env });
  return { code, out, err };
}

const waitFor = async (pred: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ql-int-'));
  env = {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    PATH: process.env.PATH,
  };
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe.each(['bash', 'zsh'] as const)('%s captured end to end through the daemon', (shell) => {
  let mod: QuestlogModule;
  const appended: unknown[] = [];
  let dataHome: string;

  beforeAll(async () => {
    dataHome = join(home, `data-${shell}`);
    const config = defaultConfig();
    config.questlog.journald = false;
    config.questlog.ingestIntervalMs = 200;
    mod = (await createQuestlogModuleWith()({
      config,
      configProblems: [],
      paths: resolvePaths({ HOME: home, XDG_DATA_HOME: dataHome }),
      emit: (event, payload) => {
        if (event === 'questlog:appended') appended.push(payload);
      },
      log: createLogger('test', { level: 'error' }),
      events: { record: () => undefined },
      call: () => Promise.reject(new Error('none')),
      subscribe: () => () => undefined,
    })) as QuestlogModule;
  });
  afterAll(async () => {
    await mod.dispose();
  });

  it('records commands with exit codes, durations, cwd, multi-line text; skips private ones', async () => {
    const saved = env;
    env = { ...env, XDG_DATA_HOME: dataHome };
    const init = await cli('init', shell);
    env = saved;
    expect(init.code).toBe(0);
    expect(init.out).toContain('QL_SPOOL_DIR=');
    const hookFile = join(home, `hook.${shell}`);
    writeFileSync(hookFile, init.out);
    const shellHome = mkdtempSync(join(home, `home-${shell}-`));
    const sh = new PtyShell({
      shell,
      home: shellHome,
      dataHome,
      hookFile,
      preamble: shell === 'bash' ? 'HISTCONTROL=ignoreboth' : '',
    });
    try {
      await sh.sync();
      for (const line of [
        'true',
        'false',
        '(exit 3)',
        'sleep 0.4',
        ' echo private',
        'cd /tmp',
        'pwd',
        'echo dup',
        'echo dup',
        'for i in 1 2; do\necho "n$i"\ndone',
      ]) {
        sh.type(line.replace(/\n/g, '\r'));
      }
      await sh.sync();
      sh.type('sleep 5');
      await new Promise((r) => setTimeout(r, 400));
      sh.proc.write('\x03');
      await sh.sync();
    } finally {
      await sh.exit();
    }
    const mine = (): QuestCommand[] =>
      mod.store
        .search({ shell, limit: 100, order: 'oldest' })
        .items.filter((c) => !c.command.startsWith('echo QLMARK'));
    await waitFor(() => mine().length >= 10).catch((e: Error) => {
      throw new Error(
        `${e.message}: ${JSON.stringify(mine().map((r) => [r.command, r.exit]))} output: ${JSON.stringify(sh.output.slice(-1500))}`,
      );
    });
    const rows = mine();
    const byCmd = (c: string): QuestCommand | undefined => rows.find((r) => r.command === c);
    expect(rows.map((r) => r.command)).not.toContain(' echo private');
    expect(rows.some((r) => r.command.includes('private'))).toBe(false);
    expect(byCmd('true')?.exit).toBe(0);
    expect(byCmd('false')?.exit).toBe(1);
    expect(byCmd('(exit 3)')?.exit).toBe(3);
    const sleep = byCmd('sleep 0.4');
    expect(sleep?.duration).toBeGreaterThanOrEqual(350);
    expect(sleep?.duration).toBeLessThan(3000);
    expect(byCmd('cd /tmp')?.cwd).toBe(shellHome);
    expect(byCmd('pwd')?.cwd).toBe('/tmp');
    expect(rows.filter((r) => r.command === 'echo dup')).toHaveLength(2);
    const loop = rows.find((r) => r.command.startsWith('for i in 1 2'));
    expect(loop?.command).toMatch(
      shell === 'zsh' ? /^for i in 1 2; do\necho "n\$i"\ndone$/ : /^for i in 1 2; do echo "n\$i"; done$/,
    );
    expect(byCmd('sleep 5')?.exit).toBe(130);
    const first = rows[0] as QuestCommand;
    expect(first.shell).toBe(shell);
    expect(first.session).toMatch(/^[0-9a-f]+$/);
    expect(first.tty).toMatch(/^\/dev\/pts\//);
    expect(first.user).not.toBe('');
    expect(rows.every((r) => r.session === first.session)).toBe(true);
    await waitFor(() => appended.length > 0);
    // the spool of the exited shell is removed once read
    await waitFor(
      () =>
        !existsSync(join(dataHome, 'ai-native-linux', 'spool')) ||
        readdir(join(dataHome, 'ai-native-linux', 'spool')).length === 0,
    );
  }, 60_000);
});

function readdir(d: string): string[] {
  return readdirSync(d);
}

describe('the questlog CLI as a newcomer uses it', () => {
  it('answers with a clear message before anything was recorded', async () => {
    const r = await cli('list');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing recorded yet/);
  });

  it('imports bash, zsh and fish histories idempotently, then searches, shows stats and exports', async () => {
    const bashH = join(home, '.bash_history');
    writeFileSync(bashH, '#1767225600\ngit status\n#1767225660\nmake test\n#1767225720\nmake test\n');
    const zshH = join(home, '.zsh_history');
    writeFileSync(zshH, ': 1767226000:2;cargo build --release\n: 1767226100:0;ls -la\n');
    const fishH = join(home, 'fish_history');
    writeFileSync(fishH, '- cmd: docker compose up -d\n  when: 1767226200\n');
    expect((await cli('import', 'bash')).out).toMatch(/imported 3 of 3 bash/);
    expect((await cli('import', 'zsh', '--file', zshH)).out).toMatch(/imported 2 of 2 zsh/);
    const fish = await cli('import', 'fish', '--file', fishH, '--json');
    expect(JSON.parse(fish.out)).toMatchObject({ imported: 1, format: 'fish' });
    expect((await cli('import', 'bash')).out).toMatch(/imported 0 of 3 .*3 already present/);

    const s = await cli('search', 'make');
    expect(s.code).toBe(0);
    expect(s.out.split('\n')[0]).toMatch(/ID\s+TIME\s+DURATION\s+EXIT\s+CWD\s+COMMAND/);
    expect(s.out.match(/make test/g)).toHaveLength(2);
    const j = JSON.parse((await cli('search', 'carg', '--prefix', '--json')).out);
    expect(j.items.map((c: QuestCommand) => c.command)).toEqual(['cargo build --release']);
    expect(j.total).toBe(1);
    expect((await cli('search', 'no-such-command-anywhere')).code).toBe(1);
    expect((await cli('search', '--regex', '^(git|ls) ', '--json')).out).toMatch(/git status/);
    expect((await cli('search', '--regex', '(')).err).toMatch(/invalid regular expression/);

    const stats = JSON.parse((await cli('stats', '--json')).out);
    expect(stats.totals.commands).toBe(6);
    expect(stats.topCommands[0]).toMatchObject({ program: 'make test', count: 2 });
    const human = await cli('stats');
    expect(human.out).toMatch(/Top commands/);
    expect(human.out).toMatch(/Busiest hours/);

    const csvFile = join(home, 'out.csv');
    const ex = await cli('export', '--format', 'csv', '-o', csvFile);
    expect(ex.code).toBe(0);
    const csv = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,ts,duration,exit,command,cwd,user,host,tty,session,shell,redacted');
    expect(csv).toHaveLength(7);
    // one cell rule with the Quest Log page: a command starting a formula is exported as text
    const formulaH = join(home, 'formula_history');
    writeFileSync(formulaH, '#1767226300\n=SUM(1,2)\n');
    expect((await cli('import', 'bash', '--file', formulaH)).out).toMatch(/imported 1 of 1 bash/);
    const formulaRow = (await cli('export', '--format', 'csv')).out
      .split('\n')
      .find((l) => l.includes('SUM('));
    expect(formulaRow).toMatch(/^\d+,\d+,[^,]*,[^,]*,"'=SUM\(1,2\)",/);
    expect((await cli('delete', formulaRow!.split(',')[0]!)).out).toMatch(/deleted 1/);
    const jl = (await cli('export', 'make')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as QuestCommand);
    expect(jl.map((c) => c.command)).toEqual(['make test', 'make test']);
    expect(jl[0]!.ts).toBeLessThan(jl[1]!.ts);

    const list = JSON.parse((await cli('list', '-n', '2', '--json')).out);
    expect(list.items).toHaveLength(2);
    expect(list.total).toBe(6);

    const show = await cli('show', String(list.items[0].id));
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/runs\s+1/);
    expect((await cli('show', '99999')).code).toBe(1);
  });

  it('previews deletes by filter and needs --yes; deletes by id directly', async () => {
    const pre = await cli('delete', '--query', 'make');
    expect(pre.code).toBe(1);
    expect(pre.err).toMatch(/2 command\(s\) match; add --yes/);
    const del = await cli('delete', '--query', 'make', '--yes');
    expect(del.out).toMatch(/deleted 2/);
    expect((await cli('search', 'make')).code).toBe(1);
    expect((await cli('delete')).code).toBe(2);
    expect((await cli('delete', 'abc')).code).toBe(2);
  });

  it('reports usage errors with exit code 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    const bad = await cli('list', '--since', 'the day after tomorrow');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a time/);
    expect((await cli('list', '--exit', '999')).code).toBe(2);
    expect((await cli('init', 'fish')).code).toBe(2);
    expect((await cli('--help')).code).toBe(0);
  });

  it('init --enable/--disable creates and removes the opt-in marker that profile.d checks', async () => {
    const cfgHome = join(home, 'cfg-optin');
    const saved = env;
    env = { ...env, XDG_CONFIG_HOME: cfgHome };
    try {
      const marker = join(cfgHome, 'ai-native-linux', 'shell-hook');
      // the profile.d script as installed, pointing at this checkout's hooks
      const app = join(home, 'app');
      mkdirSync(join(app, 'resources', 'resources'), { recursive: true });
      symlinkSync(join(process.cwd(), 'resources', 'shell'), join(app, 'resources', 'resources', 'shell'));
      const profile = join(home, 'ai-native-linux.sh');
      writeFileSync(
        profile,
        readFileSync(join(process.cwd(), 'resources', 'profile.d', 'ai-native-linux.sh'), 'utf8').replaceAll(
          '@APP@',
          app,
        ),
      );
      const loginShellLoadsHook = (): boolean => {
        const r = spawnSync(
          'bash',
          [
            '--norc',
            '--noprofile',
            '-i',
            '-c',
            `PS1='$ '; . ${JSON.stringify(profile)}; declare -F __ql_precmd >/dev/null && echo LOADED`,
          ],
          {
            env: {
              PATH: process.env.PATH,
              HOME: home,
              XDG_CONFIG_HOME: cfgHome,
              XDG_DATA_HOME: join(home, 'data-optin'),
              QL_QUIET: '1',
            },
            encoding: 'utf8',
          },
        );
        return r.stdout.includes('LOADED');
      };
      expect(loginShellLoadsHook()).toBe(false);

      const on = await cli('init', 'bash', '--enable');
      expect(on.code).toBe(0);
      expect(on.out).toContain('QL_SPOOL_DIR='); // still prints the snippet
      expect(on.err).toContain(marker);
      expect(existsSync(marker)).toBe(true);
      expect(statSync(marker).mode & 0o777).toBe(0o600);
      expect(loginShellLoadsHook()).toBe(true);
      expect((await cli('init', 'zsh', '--enable')).code).toBe(0); // idempotent

      const off = await cli('init', 'zsh', '--disable');
      expect(off.code).toBe(0);
      expect(off.out).toContain('QL_SPOOL_DIR=');
      expect(existsSync(marker)).toBe(false);
      expect(loginShellLoadsHook()).toBe(false);
      expect((await cli('init', 'bash', '--disable')).code).toBe(0); // already off: fine

      const both = await cli('init', 'bash', '--enable', '--disable');
      expect(both.code).toBe(2);
      expect(both.err).toMatch(/cannot be used with/);

      // a config home that cannot be created: a clear error, exit 1
      writeFileSync(join(home, 'not-a-dir'), '');
      env = { ...env, XDG_CONFIG_HOME: join(home, 'not-a-dir') };
      const bad = await cli('init', 'bash', '--enable');
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/cannot create .*shell-hook/);
    } finally {
      env = saved;
    }
  });

  it('refuses binary and missing history files clearly', async () => {
    const bin = join(home, 'binary');
    writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0, 0, 255]));
    const r = await cli('import', 'bash', '--file', bin);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/looks binary/);
    expect((await cli('import', 'zsh', '--file', join(home, 'nope'))).err).toMatch(/no such file/);
  });

  it('toggles incognito and reports status', async () => {
    expect((await cli('incognito', 'on')).out).toMatch(/incognito: on/);
    expect(existsSync(join(home, 'data', 'ai-native-linux', 'incognito'))).toBe(true);
    expect(JSON.parse((await cli('incognito', '--json')).out)).toEqual({ enabled: true });
    expect((await cli('incognito', 'off')).out).toMatch(/incognito: off/);
    const st = JSON.parse((await cli('status', '--json')).out);
    expect(st).toMatchObject({ incognito: false, daemon: null });
    expect(st.commands).toBe(4);
    const ev = JSON.parse((await cli('list', '--events', '--json')).out);
    expect(ev.items.map((e: { type: string }) => e.type)).toEqual([
      'questlog.incognito.off',
      'questlog.incognito.on',
    ]);
  });
});

describe('questlog CLI with an unusable data directory', () => {
  it('says clearly that the data directory cannot be created', async () => {
    const saved = env;
    writeFileSync(join(home, 'plainfile'), '');
    env = { ...env, XDG_DATA_HOME: join(home, 'plainfile', 'sub') };
    try {
      writeFileSync(join(home, 'h1'), 'ls\n');
      const r = await cli('import', 'bash', '--file', join(home, 'h1'));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/cannot create the data directory .*plainfile/);
    } finally {
      env = saved;
    }
  });

  const canDrop = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  // the other user runs the CLI from this checkout: a checkout in a private directory (mktemp -d makes
  // them 0700) cannot be read by it, and the test then has nothing to show
  const otherCanRead =
    canDrop &&
    spawnSync('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      'test',
      '-r',
      join(process.cwd(), 'package.json'),
    ]).status === 0;
  if (canDrop && !otherCanRead) {
    console.warn('skipped: user nobody cannot read this checkout (a parent directory is private)');
  }
  it.skipIf(!otherCanRead)(
    'reads a database in a read-only directory (another user) from a snapshot',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ql-ro-'));
      try {
        chmodSync(dir, 0o755);
        const e2 = { ...env, HOME: dir, XDG_DATA_HOME: join(dir, 'd') };
        const saved = env;
        env = e2;
        writeFileSync(join(dir, 'h'), 'echo from-root\n');
        expect((await cli('import', 'bash', '--file', join(dir, 'h'))).code).toBe(0);
        env = saved;
        execFileSync('chmod', ['-R', 'a+rX', dir]);
        const r = spawnSync(
          'setpriv',
          [
            '--reuid=65534',
            '--regid=65534',
            '--clear-groups',
            process.execPath,
            '--import',
            'tsx',
            join(process.cwd(), 'src/cli/questlog.ts'),
            'search',
            'from-root',
          ],
          {
            env: { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: join(dir, 'd') },
            encoding: 'utf8',
            cwd: process.cwd(),
            timeout: 60_000,
          },
        );
        expect(r.stderr).toMatch(/not writable; reading a snapshot copy/);
        expect(r.stdout).toMatch(/echo from-root/);
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});

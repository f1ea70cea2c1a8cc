import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildShellEnv,
  findHookDir,
  isStrippedVar,
  prepareLaunch,
  resolveCwd,
  resolveShell,
  shQuote,
  shellKind,
} from './shell';

const shells = new Set(['/bin/bash', '/usr/bin/bash', '/bin/zsh', '/usr/bin/zsh', '/bin/sh']);

describe('resolveShell', () => {
  it('uses $SHELL when it is a listed, executable shell, else /bin/bash', () => {
    expect(resolveShell(undefined, { SHELL: '/usr/bin/zsh' }, shells)).toBe('/usr/bin/zsh');
    expect(resolveShell(undefined, { SHELL: '/usr/bin/python3' }, shells)).toBe('/bin/bash');
    expect(resolveShell(undefined, {}, shells)).toBe('/bin/bash');
    expect(resolveShell(undefined, { SHELL: 'zsh' }, shells)).toBe('/bin/bash');
  });

  it('accepts bash/zsh by name and listed absolute paths; refuses anything else', () => {
    expect(resolveShell('zsh', {}, shells)).toMatch(/\/zsh$/);
    expect(resolveShell('/bin/bash', {}, shells)).toBe('/bin/bash');
    expect(() => resolveShell('/usr/bin/python3', {}, shells)).toThrow(
      /not a login shell listed in \/etc\/shells/,
    );
    expect(() => resolveShell('fish', {}, shells)).toThrow(/absolute path/);
    expect(() => resolveShell('bash -c "rm -rf /"', {}, shells)).toThrow(/absolute path/);
  });

  it('classifies shells', () => {
    expect(shellKind('/usr/bin/bash')).toBe('bash');
    expect(shellKind('/bin/zsh')).toBe('zsh');
    expect(shellKind('/usr/bin/fish')).toBe('other');
  });
});

describe('resolveCwd', () => {
  it('defaults to $HOME and checks a requested directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ainl-cwd-'));
    expect(resolveCwd(undefined, { HOME: dir })).toBe(dir);
    expect(resolveCwd(undefined, { HOME: join(dir, 'gone') })).toBe('/');
    expect(resolveCwd(dir, {})).toBe(dir);
    expect(() => resolveCwd('tmp', {})).toThrow(/absolute/);
    expect(() => resolveCwd(join(dir, 'nope'), {})).toThrow(/not an existing directory/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('shell environment', () => {
  it('strips secrets and app internals, keeps agent sockets', () => {
    for (const n of [
      'GITHUB_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'OPENAI_API_KEY',
      'DB_PASSWORD',
      'NODE_OPTIONS',
      'ELECTRON_RUN_AS_NODE',
      'npm_config_cache',
      'AINL_SERVE_TOKEN',
    ]) {
      expect(isStrippedVar(n), n).toBe(true);
    }
    for (const n of [
      'PATH',
      'HOME',
      'SSH_AUTH_SOCK',
      'XAUTHORITY',
      'LANG',
      'EDITOR',
      'TOKENIZERS_PARALLELISM_X',
    ]) {
      expect(isStrippedVar(n), n).toBe(false);
    }
    const env = buildShellEnv({ PATH: '/bin', GITHUB_TOKEN: 'x', HOME: '/h' }, 't1-abc');
    expect(env).toMatchObject({
      PATH: '/bin',
      HOME: '/h',
      TERM: 'xterm-256color',
      AINL_TERMINAL_ID: 't1-abc',
      LANG: 'C.UTF-8',
    });
    expect(env.GITHUB_TOKEN).toBeUndefined();
  });

  it('quotes paths for the shell', () => {
    expect(shQuote("a b'c")).toBe(`'a b'\\''c'`);
  });
});

describe('startup files', () => {
  it('bash: --rcfile sourcing ~/.bashrc then the hook; zsh: ZDOTDIR with the user dir remembered', () => {
    const root = mkdtempSync(join(tmpdir(), 'ainl-rc-'));
    const hooks = join(root, 'hooks');
    require_dir(hooks);
    writeFileSync(join(hooks, 'questlog.bash'), '# hook\n');
    const b = prepareLaunch('/bin/bash', { HOME: '/home/u' }, join(root, 'rc'), 't1', hooks);
    expect(b.args[0]).toBe('--rcfile');
    const rc = readFileSync(b.args[1] as string, 'utf8');
    expect(rc.indexOf('.bashrc')).toBeLessThan(rc.indexOf('questlog.bash'));
    expect(b.hook).toBe(join(hooks, 'questlog.bash'));
    const z = prepareLaunch('/usr/bin/zsh', { HOME: '/home/u' }, join(root, 'rc'), 't2', hooks);
    expect(z.hook).toBeNull(); // no questlog.zsh here
    expect(z.env.ZDOTDIR).toBe(z.rcDir);
    expect(z.env.AINL_USER_ZDOTDIR).toBe('/home/u');
    expect(existsSync(join(z.rcDir as string, '.zshrc'))).toBe(true);
    const f = prepareLaunch('/usr/bin/fish', { HOME: '/home/u' }, join(root, 'rc'), 't3', hooks);
    expect(f).toMatchObject({ args: [], rcDir: null, hook: null });
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the hook dir from an override or by walking up to resources/shell', () => {
    const root = mkdtempSync(join(tmpdir(), 'ainl-hookdir-'));
    require_dir(join(root, 'resources', 'shell'));
    require_dir(join(root, 'out', 'main'));
    expect(findHookDir({}, join(root, 'out', 'main'))).toBe(join(root, 'resources', 'shell'));
    expect(findHookDir({ AINL_SHELL_HOOK_DIR: join(root, 'resources', 'shell') })).toBe(
      join(root, 'resources', 'shell'),
    );
    expect(findHookDir({ AINL_SHELL_HOOK_DIR: '' })).toBeNull();
    rmSync(root, { recursive: true, force: true });
  });
});

function require_dir(p: string): void {
  mkdirSync(p, { recursive: true });
}

/**
 * How a terminal's shell is chosen and started: which binary, which environment, and the
 * generated startup files that load the user's own rc and then the Quest Log hook.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Problem } from '../../shared/problems';
import { isExecutableFile } from '../core/executable';

export type ShellKind = 'bash' | 'zsh' | 'other';

export function shellKind(shell: string): ShellKind {
  const b = basename(shell);
  if (b === 'bash' || b.startsWith('bash')) return 'bash';
  if (b === 'zsh' || b.startsWith('zsh')) return 'zsh';
  return 'other';
}

/** The login shells the system allows (/etc/shells); null when the file cannot be read. */
export function allowedShells(file = '/etc/shells'): Set<string> | null {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    return new Set(lines.map((l) => l.trim()).filter((l) => l.startsWith('/')));
  } catch {
    return null;
  }
}

const SEARCH_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];

function isAllowed(path: string, shells: Set<string> | null): boolean {
  if (shells) return shells.has(path);
  return ['bash', 'zsh', 'sh', 'dash', 'fish'].includes(basename(path));
}

/**
 * The shell for a new session: the requested one (an absolute path listed in /etc/shells, or the
 * names `bash` / `zsh`), else the user's $SHELL when usable, else /bin/bash.
 */
export function resolveShell(
  requested: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  shells: Set<string> | null = allowedShells(),
): string {
  if (requested !== undefined) {
    if (requested === 'bash' || requested === 'zsh') {
      for (const dir of SEARCH_DIRS) {
        const p = join(dir, requested);
        if (isExecutableFile(p)) return p;
      }
      throw new Problem('not-found', `${requested} is not installed (looked in ${SEARCH_DIRS.join(', ')})`);
    }
    if (!isAbsolute(requested)) {
      throw new Problem(
        'invalid-input',
        `shell must be an absolute path or "bash"/"zsh", got "${requested.slice(0, 80)}"`,
      );
    }
    if (!isAllowed(requested, shells)) {
      throw new Problem(
        'invalid-input',
        `${requested.slice(0, 200)} is not a login shell listed in /etc/shells`,
      );
    }
    if (!isExecutableFile(requested))
      throw new Problem('not-found', `shell ${requested.slice(0, 200)} is not an executable file`);
    return requested;
  }
  const user = env.SHELL;
  if (user && isAbsolute(user) && isAllowed(user, shells) && isExecutableFile(user)) return user;
  for (const p of ['/bin/bash', '/usr/bin/bash', '/bin/sh']) if (isExecutableFile(p)) return p;
  throw new Problem('unavailable', 'no usable shell: neither $SHELL nor /bin/bash can be run');
}

/** The start directory: absolute and an existing directory; default $HOME (else /). */
export function resolveCwd(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (requested === undefined) {
    const home = env.HOME;
    if (home && isAbsolute(home) && isDir(home)) return home;
    return '/';
  }
  if (!isAbsolute(requested))
    throw new Problem('invalid-input', `cwd must be an absolute path, got "${requested.slice(0, 80)}"`);
  if (!isDir(requested))
    throw new Problem('not-found', `cwd ${requested.slice(0, 200)} is not an existing directory`);
  return requested;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Variables of the app's own process that must not leak into the user's shell. */
const APP_INTERNAL = [
  /^ELECTRON_/,
  /^NODE_OPTIONS$/,
  /^NODE_CHANNEL_/,
  /^NODE_UNIQUE_ID$/,
  /^npm_/i,
  /^INIT_CWD$/,
  /^CHROME_/,
  /^GOOGLE_API_KEY$/,
  /^VITE_/,
  /^VITEST/,
  /^TSX_/,
];
/** Names that look like secrets (tokens, passwords, API keys …). */
const SECRET_NAME =
  /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|COOKIE)S?(_|$)/i;
/** Secret-looking names that are sockets or paths the shell needs. */
const KEEP = new Set([
  'SSH_AUTH_SOCK',
  'GPG_AGENT_INFO',
  'XAUTHORITY',
  'DBUS_SESSION_BUS_ADDRESS',
  'GNOME_KEYRING_CONTROL',
]);

export function isStrippedVar(name: string): boolean {
  if (KEEP.has(name)) return false;
  return APP_INTERNAL.some((re) => re.test(name)) || SECRET_NAME.test(name);
}

/** The shell's environment: the app's minus its internals and secret-looking variables, plus terminal identity. */
export function buildShellEnv(base: NodeJS.ProcessEnv, id: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || isStrippedVar(k)) continue;
    env[k] = v;
  }
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.TERM_PROGRAM = 'ai-native-linux';
  env.AINL_TERMINAL_ID = id;
  if (!env.LANG && !env.LC_ALL && !env.LC_CTYPE) env.LANG = 'C.UTF-8';
  return env;
}

/** Where the Quest Log shell hooks (`questlog.bash`, `questlog.zsh`) live, if anywhere. */
export function findHookDir(
  env: NodeJS.ProcessEnv = process.env,
  from: string = import.meta.dirname,
): string | null {
  const override = env.AINL_SHELL_HOOK_DIR;
  if (override !== undefined) return override && isDir(override) ? override : null;
  const candidates: string[] = [];
  const resourcesPath = (process as unknown as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'shell'), join(resourcesPath, 'resources', 'shell'));
  // walk up from this file: src/services/terminal → root, out/main → root
  let dir = resolve(from);
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'resources', 'shell'));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  candidates.push('/usr/share/ai-native-linux/shell');
  for (const c of candidates) if (isDir(c)) return c;
  return null;
}

export function hookFile(hookDir: string | null, kind: ShellKind): string | null {
  if (!hookDir || kind === 'other') return null;
  const f = join(hookDir, kind === 'bash' ? 'questlog.bash' : 'questlog.zsh');
  return existsSync(f) ? f : null;
}

/** Single-quotes a string for bash and zsh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ShellLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** the generated startup files (removed when the session ends) */
  rcDir: string | null;
  hook: string | null;
}

/**
 * The command line and startup files for a session. bash: `--rcfile` a generated file that
 * sources ~/.bashrc, then the hook. zsh: ZDOTDIR pointing at generated files that source the
 * user's own .zshenv / .zshrc (from their ZDOTDIR or $HOME), then the hook. Other shells start
 * plainly, without the hook.
 */
export function prepareLaunch(
  shell: string,
  env: Record<string, string>,
  rcRoot: string,
  id: string,
  hookDir: string | null,
): ShellLaunch {
  const kind = shellKind(shell);
  const hook = hookFile(hookDir, kind);
  if (kind === 'other') return { file: shell, args: [], env, rcDir: null, hook: null };
  const rcDir = join(rcRoot, id);
  mkdirSync(rcDir, { recursive: true, mode: 0o700 });
  const header = `# Generated by AI-Native Linux for terminal ${id}; removed when the session ends.\n`;
  if (kind === 'bash') {
    const rc = join(rcDir, 'bashrc');
    const lines = [header, '[ -r "$HOME/.bashrc" ] && . "$HOME/.bashrc"'];
    if (hook) lines.push(`[ -r ${shQuote(hook)} ] && . ${shQuote(hook)}`);
    writeFileSync(rc, lines.join('\n') + '\n', { mode: 0o600 });
    return { file: shell, args: ['--rcfile', rc, '-i'], env, rcDir, hook };
  }
  const userZdot = env.ZDOTDIR || env.HOME || '/';
  const zshenv = [
    header,
    'ZDOTDIR="${AINL_USER_ZDOTDIR:-$HOME}"',
    '[[ -r "$ZDOTDIR/.zshenv" ]] && . "$ZDOTDIR/.zshenv"',
    'AINL_USER_ZDOTDIR="${ZDOTDIR:-$HOME}"',
    `ZDOTDIR=${shQuote(rcDir)}`,
  ];
  const zshrc = [
    header,
    'ZDOTDIR="${AINL_USER_ZDOTDIR:-$HOME}"',
    'unset AINL_USER_ZDOTDIR',
    '[[ -r "$ZDOTDIR/.zshrc" ]] && . "$ZDOTDIR/.zshrc"',
  ];
  if (hook) zshrc.push(`[[ -r ${shQuote(hook)} ]] && . ${shQuote(hook)}`);
  writeFileSync(join(rcDir, '.zshenv'), zshenv.join('\n') + '\n', { mode: 0o600 });
  writeFileSync(join(rcDir, '.zshrc'), zshrc.join('\n') + '\n', { mode: 0o600 });
  return {
    file: shell,
    args: ['-i'],
    env: { ...env, ZDOTDIR: rcDir, AINL_USER_ZDOTDIR: userZdot },
    rcDir,
    hook,
  };
}

export function removeRcDir(rcDir: string | null): void {
  if (!rcDir) return;
  try {
    rmSync(rcDir, { recursive: true, force: true });
  } catch {
    // best effort: it lives in the runtime dir, which the session manager cleans anyway
  }
}

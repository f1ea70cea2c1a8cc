/**
 * Commands that run other commands: `sudo rm …`, `xargs grep …`, `find … -exec rm {} \;`,
 * `env X=1 cmd`, `timeout 5 cmd`, and the ones that run a script string (`bash -c '…'`, `eval`,
 * `su -c`, `ssh host '…'`). Both the safety checker and the metric look through them.
 */
export interface InnerCommand {
  name: string;
  args: string[];
}

export interface Unwrapped {
  /** The wrapper's own flags/options (as written, e.g. `-u`, `-I`). */
  ownArgs: string[];
  /** Commands it runs with argv (sudo, xargs, env, find -exec …). */
  inner: InnerCommand[];
  /** Script strings it runs through a shell (bash -c, eval, su -c, ssh). */
  scripts: string[];
  /** sudo/doas/su/pkexec: the inner commands run as another user (root by default). */
  privileged: boolean;
  /** xargs / find -exec: the inner command receives arguments we cannot see. */
  feedsArgs: boolean;
}

/** Options that take a value, per wrapper (short form; long `--opt=value` is self-contained). */
const VALUE_OPTS: Record<string, Set<string>> = {
  sudo: new Set([
    '-u',
    '-g',
    '-C',
    '-D',
    '-h',
    '-p',
    '-r',
    '-t',
    '-U',
    '-T',
    '--user',
    '--group',
    '--chdir',
    '--prompt',
    '--host',
  ]),
  doas: new Set(['-u', '-C']),
  pkexec: new Set(['--user']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '-n', '-p', '-P', '-u', '--class', '--classdata']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  stdbuf: new Set(['-i', '-o', '-e']),
  xargs: new Set([
    '-I',
    '-i',
    '-L',
    '-l',
    '-n',
    '-P',
    '-d',
    '-E',
    '-e',
    '-s',
    '-a',
    '--max-args',
    '--max-procs',
    '--delimiter',
    '--arg-file',
    '--replace',
    '--max-lines',
  ]),
  watch: new Set(['-n', '-d', '--interval']),
  time: new Set(['-f', '-o', '--format', '--output']),
  chroot: new Set(['--userspec', '--groups']),
  flock: new Set(['-w', '-E', '--timeout']),
  taskset: new Set([]),
  setsid: new Set([]),
  nohup: new Set([]),
  command: new Set([]),
  builtin: new Set([]),
  exec: new Set(['-a']),
  strace: new Set(['-e', '-o', '-p', '-s', '-u']),
  runuser: new Set(['-u', '-g', '-c']),
};

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash', 'busybox']);

function skipOptions(wrapper: string, args: string[], start = 0): { own: string[]; rest: string[] } {
  const valued = VALUE_OPTS[wrapper] ?? new Set<string>();
  const own: string[] = [];
  let i = start;
  while (i < args.length) {
    const a = args[i] ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (wrapper === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      own.push(a);
      i++;
      continue;
    }
    if (!a.startsWith('-') || a === '-') break;
    own.push(a);
    if (valued.has(a)) {
      own.push(args[i + 1] ?? '');
      i += 2;
    } else if (wrapper === 'xargs' && /^-[ILnPdEsa]./.test(a)) {
      i++; // -I{} style, value attached
    } else i++;
  }
  return { own, rest: args.slice(i) };
}

export function isShell(name: string): boolean {
  return SHELLS.has(name);
}

/** Returns null when `name` is not a wrapper. */
export function unwrap(name: string, args: string[]): Unwrapped | null {
  const base: Unwrapped = { ownArgs: [], inner: [], scripts: [], privileged: false, feedsArgs: false };
  switch (name) {
    case 'sudo':
    case 'doas':
    case 'pkexec':
    case 'env':
    case 'nice':
    case 'ionice':
    case 'nohup':
    case 'stdbuf':
    case 'setsid':
    case 'command':
    case 'builtin':
    case 'exec':
    case 'time':
    case 'strace':
    case 'watch':
    case 'xargs': {
      const { own, rest } = skipOptions(name, args);
      base.ownArgs = own;
      base.privileged = name === 'sudo' || name === 'doas' || name === 'pkexec';
      base.feedsArgs = name === 'xargs';
      if (name === 'env') {
        const split = own.findIndex((o) => o === '-S' || o === '--split-string');
        if (split >= 0) base.scripts.push([own[split + 1] ?? '', ...rest].join(' '));
      }
      // `command -v NAME` / `command -V NAME` only look NAME up
      if (name === 'command' && own.some((o) => /^-[a-zA-Z]*[vV]/.test(o))) return base;
      if (name === 'watch' && rest.length > 0) {
        base.scripts.push(rest.join(' '));
        return base;
      }
      if (rest.length > 0) base.inner.push({ name: rest[0] ?? '', args: rest.slice(1) });
      else if (name === 'xargs') base.inner.push({ name: 'echo', args: [] });
      return base;
    }
    case 'timeout':
    case 'chroot':
    case 'taskset':
    case 'flock': {
      const { own, rest } = skipOptions(name, args);
      base.ownArgs = [...own, rest[0] ?? ''];
      const tail = rest.slice(1);
      if (name === 'flock' && (tail[0] === '-c' || tail[0] === '--command')) base.scripts.push(tail[1] ?? '');
      else if (tail.length > 0) base.inner.push({ name: tail[0] ?? '', args: tail.slice(1) });
      return base;
    }
    case 'su':
    case 'runuser': {
      base.privileged = true;
      for (let i = 0; i < args.length; i++) {
        const a = args[i] ?? '';
        if (a === '-c' || a === '--command') {
          base.scripts.push(args[i + 1] ?? '');
          i++;
        } else if (a.startsWith('--command=')) base.scripts.push(a.slice(10));
        else base.ownArgs.push(a);
      }
      return base;
    }
    case 'eval':
      base.scripts.push(args.join(' '));
      return base;
    case 'ssh': {
      // ssh [opts] host [command…]: the command runs remotely; still worth checking.
      const valued = new Set([
        '-p',
        '-i',
        '-l',
        '-o',
        '-F',
        '-J',
        '-L',
        '-R',
        '-D',
        '-b',
        '-c',
        '-e',
        '-m',
        '-S',
        '-W',
        '-w',
        '-E',
        '-B',
        '-O',
        '-Q',
      ]);
      let i = 0;
      while (i < args.length && (args[i] ?? '').startsWith('-')) {
        base.ownArgs.push(args[i] ?? '');
        i += valued.has(args[i] ?? '') ? 2 : 1;
      }
      const remote = args.slice(i + 1);
      if (remote.length > 0) base.scripts.push(remote.join(' '));
      return base;
    }
    case 'find': {
      let i = 0;
      while (i < args.length) {
        const a = args[i] ?? '';
        if (a === '-exec' || a === '-execdir' || a === '-ok' || a === '-okdir') {
          base.ownArgs.push(a);
          const start = i + 1;
          let end = start;
          while (end < args.length && args[end] !== ';' && args[end] !== '+') end++;
          const argv = args.slice(start, end);
          if (argv.length > 0) base.inner.push({ name: argv[0] ?? '', args: argv.slice(1) });
          base.feedsArgs = true;
          i = end + 1;
        } else {
          base.ownArgs.push(a);
          i++;
        }
      }
      return base.inner.length > 0 ? base : null;
    }
    default:
      if (SHELLS.has(name)) {
        const scripts: string[] = [];
        for (let i = 0; i < args.length; i++) {
          const a = args[i] ?? '';
          if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) && !a.startsWith('--')) {
            scripts.push(args[i + 1] ?? '');
            break;
          }
          if (!a.startsWith('-')) break;
        }
        if (scripts.length === 0) return null;
        base.scripts = scripts;
        return base;
      }
      return null;
  }
}

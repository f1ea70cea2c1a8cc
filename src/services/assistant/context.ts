/**
 * The context analyser: what the machine and the current directory look like, so candidates can
 * be checked against reality (is the program installed? which package manager? git repo?).
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';

export interface ShellContext {
  cwd: string;
  /** a few entries of cwd (names only) */
  files: string[];
  /** the enclosing git repository's current branch (read from .git/HEAD, no git process) */
  git: { branch: string | null; root: string } | null;
  distro: string;
  packageManager: 'apt' | 'dnf' | 'yum' | 'pacman' | 'zypper' | 'apk' | null;
  shell: string;
  /** programs on PATH */
  commands: Set<string>;
  recentFailures: Array<{ command: string; exitCode: number }>;
}

/** Where recent failed commands come from (the Quest Log); none by default. */
export interface FailureSource {
  recentFailures(limit: number): Array<{ command: string; exitCode: number }>;
}

/** Debian package names of programs whose package is named differently. */
const PACKAGE_OF: Record<string, string> = {
  rg: 'ripgrep',
  fd: 'fd-find',
  fdfind: 'fd-find',
  bat: 'bat',
  batcat: 'bat',
  fuser: 'psmisc',
  killall: 'psmisc',
  pstree: 'psmisc',
  ss: 'iproute2',
  ip: 'iproute2',
  netstat: 'net-tools',
  ifconfig: 'net-tools',
  dig: 'bind9-dnsutils',
  nslookup: 'bind9-dnsutils',
  host: 'bind9-host',
  sensors: 'lm-sensors',
  convert: 'imagemagick',
  identify: 'imagemagick',
  '7z': 'p7zip-full',
  ncdu: 'ncdu',
  lsof: 'lsof',
  htop: 'htop',
  tree: 'tree',
  jq: 'jq',
  unzip: 'unzip',
  zip: 'zip',
  rsync: 'rsync',
  curl: 'curl',
  wget: 'wget',
  git: 'git',
  whois: 'whois',
  traceroute: 'traceroute',
  iotop: 'iotop',
  nethogs: 'nethogs',
  pv: 'pv',
  tmux: 'tmux',
  xclip: 'xclip',
  iostat: 'sysstat',
  mpstat: 'sysstat',
  sar: 'sysstat',
  locate: 'plocate',
  updatedb: 'plocate',
  cpio: 'cpio',
  ffmpeg: 'ffmpeg',
  numfmt: 'coreutils',
  whatis: 'man-db',
  man: 'man-db',
  apropos: 'man-db',
  ping: 'iputils-ping',
  nc: 'netcat-openbsd',
  sqlite3: 'sqlite3',
  column: 'bsdextrautils',
  hexdump: 'bsdextrautils',
  lsb_release: 'lsb-release',
  pdfinfo: 'poppler-utils',
  mediainfo: 'mediainfo',
  exiftool: 'libimage-exiftool-perl',
  sshpass: 'sshpass',
  telnet: 'telnet',
  ftp: 'ftp',
  mail: 'mailutils',
  python: 'python3',
  python3: 'python3',
  perl: 'perl',
  ruby: 'ruby',
  node: 'nodejs',
  php: 'php-cli',
  make: 'make',
  gcc: 'gcc',
  docker: 'docker.io',
  kubectl: 'kubectl',
  ufw: 'ufw',
  lspci: 'pciutils',
  lsusb: 'usbutils',
  dos2unix: 'dos2unix',
  bc: 'bc',
  xxd: 'xxd',
  zsh: 'zsh',
  fish: 'fish',
  screen: 'screen',
  nmap: 'nmap',
  tcpdump: 'tcpdump',
  iftop: 'iftop',
  ssh: 'openssh-client',
  scp: 'openssh-client',
  sftp: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  gpg: 'gnupg',
  openssl: 'openssl',
  parallel: 'parallel',
};

const SHELL_BUILTINS = new Set([
  'cd',
  'echo',
  'printf',
  'read',
  'export',
  'alias',
  'unalias',
  'source',
  '.',
  'eval',
  'exec',
  'exit',
  'return',
  'set',
  'unset',
  'shift',
  'test',
  '[',
  '[[',
  'type',
  'hash',
  'history',
  'jobs',
  'fg',
  'bg',
  'wait',
  'trap',
  'ulimit',
  'umask',
  'local',
  'declare',
  'typeset',
  'readonly',
  'let',
  'pushd',
  'popd',
  'dirs',
  'shopt',
  'builtin',
  'command',
  'true',
  'false',
  'kill',
  'time',
  'disown',
  'suspend',
  'logout',
  'help',
  'compgen',
  'complete',
  'getopts',
  'mapfile',
  'readarray',
  'caller',
  'enable',
  'fc',
  'bind',
  'times',
  ':',
  'break',
  'continue',
  'for',
  'while',
  'if',
  'until',
  'case',
  'select',
  'function',
  'coproc',
]);

let pathCache: { key: string; at: number; commands: Set<string> } | null = null;

/** Every executable name on PATH (cached for a minute). */
export function commandsOnPath(pathVar = process.env.PATH ?? ''): Set<string> {
  const now = Date.now();
  if (pathCache && pathCache.key === pathVar && now - pathCache.at < 60_000) return pathCache.commands;
  const out = new Set<string>();
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isFile() || e.isSymbolicLink()) out.add(e.name);
      }
    } catch {
      // missing PATH entries are normal
    }
  }
  pathCache = { key: pathVar, at: now, commands: out };
  return out;
}

export function isAvailable(program: string, commands: Set<string>): boolean {
  if (!program || program.startsWith('$')) return true;
  if (SHELL_BUILTINS.has(program)) return true;
  if (program.includes('/')) {
    try {
      accessSync(program, constants.X_OK);
      return true;
    } catch {
      return program.startsWith('./') || program.startsWith('~'); // user scripts: not ours to judge
    }
  }
  return commands.has(program);
}

export function packageFor(program: string): string {
  if (program.startsWith('mkfs.'))
    return program === 'mkfs.vfat' || program === 'mkfs.fat' ? 'dosfstools' : 'e2fsprogs';
  return PACKAGE_OF[program] ?? program;
}

export function installCommand(pkg: string, pm: ShellContext['packageManager']): string {
  switch (pm) {
    case 'dnf':
    case 'yum':
      return `sudo ${pm} install ${pkg}`;
    case 'pacman':
      return `sudo pacman -S ${pkg}`;
    case 'zypper':
      return `sudo zypper install ${pkg}`;
    case 'apk':
      return `sudo apk add ${pkg}`;
    default:
      return `sudo apt install ${pkg}`;
  }
}

function readOsRelease(): { distro: string; like: string } {
  for (const f of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const text = readFileSync(f, 'utf8');
      const get = (k: string): string =>
        (new RegExp(`^${k}=(.*)$`, 'm').exec(text)?.[1] ?? '').replace(/^"|"$/g, '');
      return { distro: get('PRETTY_NAME') || get('NAME') || 'Linux', like: `${get('ID')} ${get('ID_LIKE')}` };
    } catch {
      // try the next
    }
  }
  return { distro: 'Linux', like: '' };
}

export function detectPackageManager(commands: Set<string>, like = ''): ShellContext['packageManager'] {
  if (/debian|ubuntu/.test(like) && commands.has('apt')) return 'apt';
  if (/fedora|rhel|centos/.test(like) && commands.has('dnf')) return 'dnf';
  if (/arch/.test(like) && commands.has('pacman')) return 'pacman';
  for (const pm of ['apt', 'dnf', 'pacman', 'zypper', 'apk', 'yum'] as const) if (commands.has(pm)) return pm;
  return null;
}

function readBranch(dir: string): string | null {
  try {
    const head = readFileSync(join(dir, '.git', 'HEAD'), 'utf8').trim();
    return head.startsWith('ref: refs/heads/') ? head.slice(16) : head.slice(0, 12);
  } catch {
    return null;
  }
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).slice(0, 50);
  } catch {
    return [];
  }
}

function gitState(cwd: string): ShellContext['git'] {
  let dir = cwd;
  for (let i = 0; i < 40; i++) {
    if (existsSync(join(dir, '.git'))) {
      return { branch: readBranch(dir), root: dir };
    }
    const up = dirname(dir);
    if (up === dir || dir === '/') break;
    dir = up;
  }
  return null;
}

export function analyseContext(
  cwd: string | undefined,
  failures?: FailureSource,
  shellOverride?: string,
): ShellContext {
  const dir = cwd && existsSync(cwd) && statSync(cwd).isDirectory() ? cwd : process.cwd();
  const files = listFiles(dir);
  const commands = commandsOnPath();
  const os = readOsRelease();
  return {
    cwd: dir,
    files,
    git: gitState(dir),
    distro: os.distro,
    packageManager: detectPackageManager(commands, os.like),
    shell: shellOverride || basename(process.env.SHELL ?? 'bash'),
    commands,
    recentFailures: failures?.recentFailures(5) ?? [],
  };
}
